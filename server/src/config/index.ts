import { z } from 'zod';

/** Where `previewUrl` takes the previewed visitor's context. */
export const PREVIEW_URL_CONTEXT = '{context}';

/** A cron pattern as `strapi.cron` takes it (seconds first when 6 fields). */
const cronPattern = z
  .string()
  .max(100)
  .regex(/^\S+( \S+){4,5}$/, 'a cron pattern of 5 or 6 fields');

/**
 * Options under `personalize.config` in the app's `config/plugins`. Unknown keys are refused at
 * start-up so that a typo never silently falls back to a default.
 */
export const pluginConfigSchema = z.strictObject({
  /**
   * How often (ms) an instance compares the shared version token with its own, the safety net
   * under the pushed changes (Redis pub/sub or PostgreSQL LISTEN/NOTIFY) and the only way
   * instances hear of each other without them (MySQL, SQLite): then it bounds their staleness.
   * 0 turns the poll off (a single instance needs none).
   */
  syncIntervalMs: z.number().int().min(0).default(5_000),
  /**
   * A Redis server (`redis://` or `rediss://` URL) the instances share: changes travel by its
   * pub/sub and per-address rate limits count there. null: changes travel by PostgreSQL
   * LISTEN/NOTIFY or the poll, and each instance counts its own rate limits.
   */
  redis: z
    .string()
    .max(2_000)
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .nullable()
    .default(null),
  /** Prefix of the plugin's Redis keys and channel: apps sharing one Redis need different ones. */
  redisKeyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'letters, digits and _ : . -')
    .default('personalize:'),
  cache: z
    .strictObject({
      /** The delivery's cache of base entries as core REST returns them, cleared on every write. */
      maxEntries: z.number().int().min(0).default(5_000),
      /** ...and the most memory it may take (JSON bytes of the entries it holds). */
      maxBytes: z
        .number()
        .int()
        .min(0)
        .default(50 * 1024 * 1024),
      /**
       * The longest a cached entry is kept. Not what keeps instances consistent (every write,
       * here or on another instance, empties the cache): a bound for writes made around Strapi
       * (SQL by hand). 0 turns the cache off.
       */
      ttlMs: z.number().int().min(0).default(300_000),
      /**
       * `max-age` of the content of one published variant (`?variant=`, `?variants=`), which no
       * visitor decides: `public` for callers without credentials, `private` otherwise.
       */
      variantMaxAgeSeconds: z.number().int().min(0).max(31_536_000).default(300),
      /** `Cache-Control` of personalized responses (docs/frontend.md, "Caching"). */
      control: z
        .strictObject({
          /** Decided by the request's context alone: shared caches (a CDN) may keep it. */
          shared: z.string().min(1).max(200).default('public, max-age=60'),
          /** Decided with a server-derived fact (time, User-Agent, country header), a visitor id or credentials. */
          private: z.string().min(1).max(200).default('private, no-store'),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * Where to tell a CDN which cached variant content changed (docs/frontend.md, "Cacheable content
   * per variant"): after a write commits, a POST of `{ "keys": [...] }` (the surrogate keys of
   * what changed) with these headers (a token). null: none is sent.
   */
  purgeWebhook: z
    .strictObject({
      url: z
        .string()
        .max(2_000)
        .regex(/^https?:\/\//, 'an http(s) URL'),
      headers: z
        .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name'), z.string().max(4_000))
        .default({}),
    })
    .nullable()
    .default(null),
  /**
   * A request header with the visitor's country that a CDN in front of Strapi adds
   * (`CF-IPCountry`, `CloudFront-Viewer-Country`, `X-Vercel-IP-Country`): `geo.country` for
   * contexts that do not state it. null: none is read.
   */
  countryHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name')
    .nullable()
    .default(null),
  /** Record an exposure when the delivery serves an experiment arm (otherwise the frontend sends them). */
  exposureOnDelivery: z.boolean().default(true),
  /** Events older than this are deleted by a daily job. */
  eventRetentionDays: z.number().int().min(1).max(3_650).default(180),
  /** Visitor profiles unseen this long are deleted by the same job. */
  profileRetentionDays: z.number().int().min(1).max(3_650).default(90),
  /**
   * When that job runs (a cron pattern, seconds first, server time); one instance of several does
   * each run.
   */
  eventRetentionSchedule: cronPattern.default('0 0 3 * * *'),
  /**
   * The HMAC key visitor ids are stored under. Default: derived from the app's `APP_KEYS`, so it
   * is secret without configuration; changing it makes earlier events unreachable by erasure.
   */
  visitorIdSecret: z.string().min(16).optional(),
  /**
   * Visitor profiles (docs/privacy.md): what the server remembers of visitors whose context has a
   * `visitorId` and `consent.personalization: true`, and nobody else.
   */
  profiles: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** A page view after this long without one starts a new visit. */
      visitGapMinutes: z.number().int().min(1).max(1_440).default(30),
      /** `topInterest` names the highest interest score of at least this; else it is null. */
      topInterestThreshold: z.number().min(0).default(10),
      /** Profiles kept in memory per instance (LRU); the database holds them all. */
      cacheSize: z.number().int().min(1).default(10_000),
      /**
       * Trait keys refused as personal data (case-insensitive), unless `allowPersonalData`.
       */
      personalDataKeys: z
        .array(z.string().min(1).max(64))
        .default(['email', 'phone', 'name', 'firstName', 'lastName', 'address', 'ip']),
      allowPersonalData: z.boolean().default(false),
    })
    .prefault({}),
  /** Journey stages: `sticky` remembers the furthest stage reached (in the profile). */
  stages: z.strictObject({ sticky: z.boolean().default(true) }).prefault({}),
  /** Requests per second one IP address may send to `POST /api/personalize/events`; 0 = no limit. */
  eventsRateLimit: z.number().int().min(0).default(50),
  /**
   * The events one client address may have recorded, exposures by the delivery and events sent
   * to `POST /api/personalize/events` together, per window; 0 = no budget. Requests with an API
   * token that is not read-only are exempt. Past it the events route answers 429 and the
   * delivery serves content without recording exposures (counted as withheld).
   */
  eventBudget: z
    .strictObject({
      // 0, or room for at least one full batch (500 events): a larger batch could never pass.
      perAddress: z
        .number()
        .int()
        .min(0)
        .refine((value) => value === 0 || value >= 500, '0 (no budget) or at least 500')
        .default(2_000),
      windowSeconds: z.number().int().min(1).max(86_400).default(3_600),
    })
    .prefault({}),
  /**
   * How often scheduled work runs (a cron pattern, seconds first): experiments start and complete
   * at their `startAt`/`endAt` and bandits reweight on this beat. One instance of several does
   * each run.
   */
  scheduleCron: cronPattern.default('0 * * * * *'),
  /** Multi-armed bandit experiments (`mode: "bandit"`). */
  bandit: z
    .strictObject({
      /** Minutes between two reweightings. */
      intervalMinutes: z.number().int().min(1).max(10_080).default(60),
      /** The least share of traffic every arm keeps, so a loser can still recover. */
      minShare: z.number().min(0).max(0.5).default(0.1),
      /** Visitors every arm needs before the first reweighting (until then: equal weights as set). */
      burnInVisitors: z.number().int().min(0).default(100),
    })
    .prefault({}),
  /** How long a preview link is valid when its creator does not say (hours; at most 30 days). */
  previewLinkHours: z.number().int().min(1).max(720).default(168),
  /**
   * The key preview links are signed with. Default: derived from the app's `APP_KEYS` (apart from
   * the visitor-id key); changing it revokes every link.
   */
  previewLinkSecret: z.string().min(16).optional(),
  /**
   * The total visitors an experiment is expected to reach: tunes the sequential (always-valid)
   * p-value, which is most sensitive around this size.
   */
  sequentialExpectedVisitors: z.number().int().min(100).default(5_000),
  /**
   * The frontend page the admin's preview opens as the previewed visitor ("Open in storefront"),
   * with placeholders: `{context}` (required: the visitor context as base64url JSON, for the
   * client's `previewContext()`), `{locale}`, `{documentId}` (empty for a single type). Absolute
   * http(s), or a path on Strapi's own server. null: no link.
   */
  previewUrl: z
    .string()
    .max(2_000)
    .regex(/^(https?:\/\/|\/(?!\/))/, 'an http(s) URL or a path starting with one /')
    .refine((url) => url.includes(PREVIEW_URL_CONTEXT), `must contain ${PREVIEW_URL_CONTEXT}`)
    .nullable()
    .default(null),
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
