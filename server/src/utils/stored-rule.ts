import type { JsonLogicRule } from '../contracts';
import { isPlainObject } from '../engine/objects';

/**
 * A rule as read back from a json column. SQLite (better-sqlite3) stores the booleans `true` and
 * `false` as 1 and 0; no number is a valid rule, so those two mean the booleans. A valid rule is
 * an operation or a boolean (engine/rules.ts); anything else was never saved through the API and
 * reads as none.
 */
export const storedRule = (value: unknown): JsonLogicRule => {
  if (value === 1) return true;
  if (value === 0) return false;
  if (typeof value === 'boolean' || isPlainObject(value)) return value;
  return null;
};

/** A persona or stage as stored, with its rule read back as written. */
export const withStoredRule = <Row extends object>(row: Row): Row => ({
  ...row,
  rule: storedRule((row as { rule?: unknown }).rule),
});
