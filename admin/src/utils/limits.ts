/**
 * Limits the server's contracts set (server/src/contracts/), repeated here because the admin
 * imports only types from the server (its zod schemas stay out of the admin bundle);
 * test/unit/admin-limits.test.ts checks that they agree.
 */

/** contracts/settings.ts MAX_HOLDOUT_SHARE, as a percentage. */
export const MAX_HOLDOUT_PERCENT = 20;

/** contracts/experiments.ts MAX_SECONDARY_GOALS. */
export const MAX_SECONDARY_GOALS = 5;

/** contracts/preview.ts MAX_PREVIEW_LINK_HOURS. */
export const MAX_PREVIEW_LINK_HOURS = 720;

/** contracts/impact.ts IMPACT_DEFAULT_DAYS: the days the impact report shows by default. */
export const IMPACT_DEFAULT_DAYS = 30;

const SEED_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A new holdout seed: 16 random characters of [A-Za-z0-9_-] (96 bits). */
export const randomSeed = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => SEED_ALPHABET[byte & 63]).join(
    ''
  );
