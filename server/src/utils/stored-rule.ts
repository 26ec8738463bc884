import type { Rule } from '../engine/types';

/**
 * A rule as read back from a json column. SQLite (better-sqlite3) stores the booleans `true` and
 * `false` as 1 and 0; no number is a valid rule, so those two mean the booleans.
 */
export const storedRule = (value: unknown): Rule => {
  if (value === 1) return true;
  if (value === 0) return false;
  return value ?? null;
};

/** A persona or stage as stored, with its rule read back as written. */
export const withStoredRule = <Row extends object>(row: Row): Row => ({
  ...row,
  rule: storedRule((row as { rule?: unknown }).rule),
});
