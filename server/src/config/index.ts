import { z } from 'zod';

/**
 * Options under `personalize.config` in the app's `config/plugins`. Unknown keys are refused at
 * start-up so that a typo never silently falls back to a default.
 */
export const pluginConfigSchema = z.strictObject({
  /**
   * How often (ms) an instance checks whether another instance sharing the database changed
   * personas, stages, variants or content; 0 turns the check off (a single instance needs none).
   */
  syncIntervalMs: z.number().int().min(0).default(5_000),
  /** The delivery's cache of base entries as core REST returns them, cleared on every write. */
  cache: z
    .strictObject({
      maxEntries: z.number().int().min(0).default(5_000),
      /** Upper bound of staleness when another instance writes; local writes clear it at once. */
      ttlMs: z.number().int().min(0).default(10_000),
    })
    .prefault({}),
  /** Record an exposure when the delivery serves an experiment arm (otherwise the frontend sends them). */
  exposureOnDelivery: z.boolean().default(true),
  /** Events older than this are deleted by a daily job. */
  eventRetentionDays: z.number().int().min(1).max(3_650).default(180),
  /**
   * The HMAC key visitor ids are stored under. Default: derived from the app's `APP_KEYS`, so it
   * is secret without configuration; changing it makes earlier events unreachable by erasure.
   */
  visitorIdSecret: z.string().min(16).optional(),
  /** Requests per second one IP address may send to `POST /api/personalize/events`; 0 = no limit. */
  eventsRateLimit: z.number().int().min(0).default(50),
  /**
   * The total visitors an experiment is expected to reach: tunes the sequential (always-valid)
   * p-value, which is most sensitive around this size.
   */
  sequentialExpectedVisitors: z.number().int().min(100).default(5_000),
});

export type PluginConfig = z.output<typeof pluginConfigSchema>;

export default {
  default: pluginConfigSchema.parse({}),
  validator(config: unknown) {
    const result = pluginConfigSchema.safeParse(config);
    if (!result.success) {
      throw new Error(`Invalid personalize plugin config: ${z.prettifyError(result.error)}`);
    }
  },
};
