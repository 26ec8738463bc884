import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type { Core } from '@strapi/strapi';
import { Redis } from 'ioredis';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import { decodeMessage, encodeMessage, type Change, type ChangeMessage } from './messages';
import {
  localRateLimit,
  redisCopies,
  redisRateLimit,
  takeLease,
  type RateLimit,
  type SharedCopies,
} from './shared-state';
import {
  pollTransport,
  postgresTransport,
  redisTransport,
  type ChangeTransport,
} from './transports';

export type { Change, ChangedTarget, ChangeMessage } from './messages';
export { PROFILES_PER_MESSAGE } from './messages';
export type { RateLimit, SharedCopies } from './shared-state';

/** What the receiving side does with other instances' messages (registry-loader.ts). */
export interface ChangeHandlers {
  apply(message: ChangeMessage): Promise<void>;
  /** A message may have been missed (a reconnect, an unreadable message): reload everything. */
  reloadAll(): Promise<void>;
}

/**
 * What several instances of one app share, through what the deployment already runs: changes
 * (Redis pub/sub when `redis` is configured, else PostgreSQL LISTEN/NOTIFY, else the registry's
 * version-token poll alone), per-address rate limits (Redis, else per instance), copies of
 * visitor profiles (Redis, besides the database) and the leases that let one instance run a
 * scheduled job (the database).
 */
const cluster = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  /** Names this instance in messages and leases: unique per process, readable in logs. */
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const keyPrefix = config.redisKeyPrefix;
  // Commands fail at once while Redis is unreachable (no offline queue): a rate limit then counts
  // in memory and a message is left to the version-token poll, rather than waiting.
  const redis = config.redis
    ? new Redis(config.redis, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: true,
      })
    : null;
  // Reported where it matters: a refused command logs (rate limits, publish); ioredis reconnects.
  redis?.on('error', () => undefined);

  const channel = `${keyPrefix}changes`;
  // Redis when the app configured it (it chose it for this), else PostgreSQL's own pub/sub.
  const transport: ChangeTransport = redis
    ? redisTransport(strapi, redis, channel)
    : strapi.db.dialect.client === 'postgres'
      ? postgresTransport(strapi, channel.replace(/[^A-Za-z0-9_]/g, '_'))
      : pollTransport();

  /** Other instances' messages are applied one at a time, in the order they came. */
  let applying: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    applying = applying.then(work).catch((error: unknown) => {
      strapi.log.error(`[personalize] applying another instance's change failed: ${String(error)}`);
    });
  };

  return {
    /** Connects Redis and starts listening; logs the transport in one line. */
    async start(handlers: ChangeHandlers) {
      if (redis) {
        await redis
          .connect()
          .catch((error: unknown) =>
            strapi.log.warn(`[personalize] Redis is not reachable yet: ${String(error)}`)
          );
      }
      await transport.start({
        receive: (text) => {
          const message = decodeMessage(text);
          if (message?.from === instanceId) return;
          enqueue(() => (message ? handlers.apply(message) : handlers.reloadAll()));
        },
        resync: () => enqueue(handlers.reloadAll),
      });
      const { syncIntervalMs } = config;
      const poll = syncIntervalMs > 0 ? `a version-token poll every ${syncIntervalMs} ms` : null;
      const pushed = { postgres: 'PostgreSQL LISTEN/NOTIFY', redis: 'Redis pub/sub', poll: null }[
        transport.name
      ];
      const how = pushed ? `${pushed}${poll ? `, with ${poll} as the safety net` : ''}` : poll;
      strapi.log.info(
        `[personalize] instance ${instanceId}: changes travel by ${how ?? 'nothing (syncIntervalMs is 0)'}; rate limits are ${
          redis ? 'shared in Redis' : 'per instance'
        }`
      );
    },

    /** Tells the other instances; a failure is logged (their version-token poll catches up). */
    async publish(change: Change, version?: string) {
      try {
        await transport.publish(encodeMessage({ from: instanceId, version, change }));
      } catch (error) {
        strapi.log.warn(`[personalize] could not publish a change: ${String(error)}`);
      }
    },

    /** A per-address limit: in Redis when configured, so that N instances allow it once. */
    rateLimit(name: string, limit: number, windowMs: number): RateLimit {
      return redis
        ? redisRateLimit(strapi, redis, `${keyPrefix}rate:${name}:`, limit, windowMs)
        : localRateLimit(limit, windowMs);
    },

    /** Copies of `name` records shared in Redis; null without Redis. */
    copies: (name: string): SharedCopies | null =>
      redis ? redisCopies(strapi, redis, `${keyPrefix}${name}:`) : null,

    /** Whether this instance takes the lease `name` (for `ttlMs`): then it does the work. */
    takeLease: (name: string, ttlMs: number) => takeLease(strapi, instanceId, name, ttlMs),

    /** Waits for the changes being applied, then disconnects. */
    async stop() {
      await transport.stop();
      await applying;
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
};

export default cluster;
