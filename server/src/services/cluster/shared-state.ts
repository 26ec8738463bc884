import type { Core } from '@strapi/strapi';
import type { Redis } from 'ioredis';

import { LEASES_TABLE } from '../../models/leases';
import { RateLimiter } from '../../utils/rate-limiter';

/** A fixed-window counter per key, shared by every instance that uses the same store. */
export interface RateLimit {
  /**
   * Counts a hit of `cost` under `key`: 0 when allowed, otherwise the milliseconds until the
   * window renews (a refused hit counts nothing).
   */
  take(key: string, cost?: number): Promise<number>;
}

/** Counts in this instance's memory (no Redis): each instance allows the limit on its own. */
export const localRateLimit = (limit: number, windowMs: number): RateLimit => {
  const limiter = new RateLimiter(limit, windowMs);
  return { take: async (key, cost = 1) => limiter.take(key, Date.now(), cost) };
};

/** Atomically: refuse without counting when `cost` does not fit, else count it (KEYS[1]: the window). */
const TAKE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if count + cost > limit then
  local left = redis.call('PTTL', KEYS[1])
  if left < 0 then left = window end
  return left
end
if redis.call('INCRBY', KEYS[1], cost) == cost then redis.call('PEXPIRE', KEYS[1], window) end
return 0`;

/**
 * Counts in Redis, so N instances together allow the limit once. While Redis is unreachable each
 * instance counts in memory (fails open to a per-instance limit, never to none).
 */
export const redisRateLimit = (
  strapi: Core.Strapi,
  redis: Redis,
  keyPrefix: string,
  limit: number,
  windowMs: number
): RateLimit => {
  const fallback = localRateLimit(limit, windowMs);
  let warnedAt = 0;
  return {
    async take(key, cost = 1) {
      if (limit <= 0) return 0;
      try {
        return Number(await redis.eval(TAKE_SCRIPT, 1, keyPrefix + key, cost, limit, windowMs));
      } catch (error) {
        if (Date.now() - warnedAt > 60_000) {
          warnedAt = Date.now();
          strapi.log.warn(
            `[personalize] Redis rate limit unavailable, counting per instance: ${String(error)}`
          );
        }
        return fallback.take(key, cost);
      }
    },
  };
};

/**
 * Leases as rows of the plugin's own table (the database is what every instance shares, with or
 * without Redis): the unique name decides which instance got there first; rows go once expired.
 * Resolves whether this instance took `name`: nobody else can until `ttlMs` from now.
 */
export const takeLease = async (
  strapi: Core.Strapi,
  holder: string,
  name: string,
  ttlMs: number
): Promise<boolean> => {
  const knex = strapi.db.connection;
  const now = new Date();
  await knex(LEASES_TABLE).where('expires_at', '<', now).del();
  await knex(LEASES_TABLE)
    .insert({ name, holder, expires_at: new Date(now.getTime() + ttlMs) })
    .onConflict('name')
    .ignore();
  const row: { holder: string } | undefined = await knex(LEASES_TABLE)
    .where({ name })
    .first('holder');
  return row?.holder === holder;
};

/**
 * Versioned copies of records whose durable home is the database (visitor profiles), shared in
 * Redis so that an instance without one in memory reads it without a query. A copy is replaced
 * only by a higher version, so two instances' writes land in their database order whatever
 * order their copies arrive in. Reads and writes fail soft: the database answers instead.
 */
export interface SharedCopies {
  get(key: string): Promise<string | null>;
  put(key: string, version: number, text: string, ttlMs: number): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

const PUT_COPY_SCRIPT = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if stored >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

export const redisCopies = (strapi: Core.Strapi, redis: Redis, keyPrefix: string): SharedCopies => {
  let warnedAt = 0;
  const warn = (error: unknown) => {
    if (Date.now() - warnedAt > 60_000) {
      warnedAt = Date.now();
      strapi.log.warn(
        `[personalize] Redis copies unavailable, using the database: ${String(error)}`
      );
    }
  };
  /** Keys whose copy could not be replaced or removed: removed as soon as Redis answers again. */
  const stale = new Set<string>();
  const removeStale = async () => {
    if (stale.size === 0) return;
    const keys = [...stale];
    await redis.del(...keys.map((key) => keyPrefix + key));
    for (const key of keys) stale.delete(key);
  };
  return {
    async get(key) {
      if (stale.has(key)) return null;
      try {
        return await redis.hget(keyPrefix + key, 'd');
      } catch (error) {
        warn(error);
        return null;
      }
    },
    async put(key, version, text, ttlMs) {
      try {
        await removeStale();
        await redis.eval(PUT_COPY_SCRIPT, 1, keyPrefix + key, version, text, ttlMs);
      } catch (error) {
        stale.add(key);
        warn(error);
      }
    },
    async remove(keys) {
      for (const key of keys) stale.add(key);
      try {
        await removeStale();
      } catch (error) {
        warn(error);
      }
    },
  };
};
