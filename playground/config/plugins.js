const path = require('path');

const { ApolloServerPluginCacheControl } = require('@apollo/server/plugin/cacheControl');

module.exports = ({ env }) => ({
  // The plugin from this repository, loaded from its built `dist/` (run `npm run build` at the root).
  personalize: {
    enabled: true,
    resolve: path.resolve(__dirname, '../..'),
    config: {
      // Requests per second per IP address on POST /api/personalize/events (0 = no limit).
      eventsRateLimit: env.int('PERSONALIZE_EVENTS_RATE_LIMIT', 50),
      // Events one client address may have recorded per hour (0 = no budget).
      eventBudget: { perAddress: env.int('PERSONALIZE_EVENT_BUDGET', 2_000) },
      // The delivery's cache of base entries, in JSON bytes.
      cache: { maxBytes: env.int('PERSONALIZE_CACHE_MAX_BYTES', 50 * 1024 * 1024) },
      // A CDN's country header, e.g. CF-IPCountry (unset: none is read).
      countryHeader: env('PERSONALIZE_COUNTRY_HEADER', null),
      // Where the admin's preview opens the site as the previewed visitor: the demo storefront.
      previewUrl: env('PERSONALIZE_PREVIEW_URL', '/?locale={locale}&personalize-context={context}'),
      // Several instances (docs/deployment.md): a Redis they share (unset: PostgreSQL
      // LISTEN/NOTIFY or the poll carry changes, rate limits count per instance).
      redis: env('PERSONALIZE_REDIS_URL', null),
      redisKeyPrefix: env('PERSONALIZE_REDIS_KEY_PREFIX', 'personalize:'),
      // How often an instance polls the shared version token (ms): the safety net.
      syncIntervalMs: env.int('PERSONALIZE_SYNC_INTERVAL_MS', 5_000),
      // When expired events are deleted (cron pattern, seconds first).
      eventRetentionSchedule: env('PERSONALIZE_RETENTION_SCHEDULE', '0 0 3 * * *'),
      // Visitor profiles in memory per instance (the benchmark sets it to show the bound).
      profiles: { cacheSize: env.int('PERSONALIZE_PROFILES_CACHE_SIZE', 10_000) },
    },
  },
  // Strapi's GraphQL plugin, installed with the playground; PLAYGROUND_GRAPHQL=false boots the app
  // without it (the personalization plugin then registers nothing for GraphQL).
  graphql: {
    enabled: env.bool('PLAYGROUND_GRAPHQL', true),
    config: {
      defaultLimit: 25,
      maxLimit: 100,
      depthLimit: 10,
      // Apollo answers `no-store` unless told how long data may be cached; the personalization
      // plugin never makes a response more cacheable than this (docs/frontend.md, GraphQL).
      apolloServer: {
        plugins: [
          ApolloServerPluginCacheControl({
            defaultMaxAge: env.int('PLAYGROUND_GRAPHQL_MAX_AGE', 60),
          }),
        ],
      },
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET'),
    },
  },
});
