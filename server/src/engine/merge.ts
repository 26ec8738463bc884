import { FORBIDDEN_KEYS, hasOwn } from './objects';

/**
 * docs/architecture.md §5 step 7: a new object where every override whose key the base has (as an own
 * property) replaces the base's value wholesale. Keys the base does not have are ignored: the
 * caller's `fields` / `populate` decide what is present. `__proto__`, `constructor` and
 * `prototype` are never written. The base is not mutated; no overrides give an equal copy.
 */
export const mergeOverrides = <T extends Record<string, unknown>>(
  base: T,
  overrides: Readonly<Record<string, unknown>>
): T => {
  // Spread defines properties (no setters run, an own "__proto__" key stays a plain key).
  const merged: Record<string, unknown> = { ...base };
  for (const key of Object.keys(overrides)) {
    if (!FORBIDDEN_KEYS.has(key) && hasOwn(base, key)) {
      merged[key] = overrides[key];
    }
  }
  return merged as T;
};
