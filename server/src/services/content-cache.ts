import type { Core, UID } from '@strapi/strapi';
import type { Context } from 'koa';
import { LRUCache } from 'lru-cache';

import { PLUGIN_ID } from '../constants';
import type { PluginConfig } from '../config';
import type { Auth } from '../utils/caller';

export type ReadAction = 'find' | 'findOne';

/** One core read: the type, the action and the app's controller that answers it. */
export interface CoreRead {
  uid: UID.ContentType;
  action: ReadAction;
  controller: Core.Controller;
}

/** A core REST response: `data` one entry, a list, or null. */
export interface CoreBody {
  data: unknown;
  meta?: Record<string, unknown>;
}

/**
 * A personalized response the request alone decided, with nothing recorded, as it was sent: its
 * JSON and the headers sent again with it (utils/repeatable-responses.ts).
 */
export interface RepeatableResponse {
  json: string;
  headers: readonly (readonly [string, string])[];
}

/** What the cache holds: core's answer to a read, or a repeatable personalized response. */
type Kept = { kind: 'core'; body: object } | { kind: 'repeatable'; response: RepeatableResponse };

const jsonOf = (kept: Kept) =>
  kept.kind === 'core' ? JSON.stringify(kept.body) : kept.response.json;

/**
 * The request headers core's answer depends on besides the caller and the query: the v4 response
 * format and Live Preview's encoded source maps (core-api's `transformResponse`).
 */
export const coreFormatOf = (ctx: Context) =>
  `${ctx.get('strapi-response-format')}|${ctx.get('strapi-encode-source-maps')}`;

/** Who is asking, as far as sanitization can differ: the cache keeps callers apart. */
const callerKey = (ctx: Context) => {
  const auth = ctx.state.auth as
    | { strategy?: { name?: string }; credentials?: { id?: unknown } | null }
    | undefined;
  return `${auth?.strategy?.name ?? 'none'}:${String(auth?.credentials?.id ?? 'public')}`;
};

/**
 * Base entries exactly as the app's core controllers returned them, per caller and query, so a
 * personalized read costs less than a plain one, and repeatable personalized responses; bounded
 * together by count and by size (the JSON bytes of what it holds). Any database write clears it
 * (see bootstrap.ts); the TTL bounds what another instance's write can leave stale.
 */
const contentCache = ({ strapi }: { strapi: Core.Strapi }) => {
  const { cache: options } = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const enabled = options.maxEntries > 0 && options.maxBytes > 0 && options.ttlMs > 0;
  const responses = new LRUCache<string, Kept>({
    max: Math.max(options.maxEntries, 1),
    maxSize: Math.max(options.maxBytes, 1),
    // A response larger than the whole cache is simply not kept.
    sizeCalculation: (value, key) => Buffer.byteLength(jsonOf(value)) + Buffer.byteLength(key),
    ttl: Math.max(options.ttlMs, 1),
  });

  const published = new LRUCache<string, boolean>({ max: 10_000, ttl: Math.max(options.ttlMs, 1) });
  /**
   * Callers authenticated in the last second, by Authorization header ('' = the Public role):
   * Strapi's content API authentication reads the role's permissions from the database on every
   * request, which costs more than a whole personalized read. A changed permission or a revoked
   * token is a database write, which clears this at once.
   */
  const callers = new LRUCache<string, Auth>({ max: 1_000, ttl: 1_000 });

  /** The cached response for `key`, or what `load` returns (cached only when it is an object). */
  const through = async (key: string, load: () => Promise<unknown>): Promise<unknown> => {
    if (!enabled) return load();
    const hit = responses.get(`core|${key}`);
    if (hit?.kind === 'core') return hit.body;
    const value = await load();
    if (typeof value === 'object' && value !== null)
      responses.set(`core|${key}`, { kind: 'core', body: value });
    return value;
  };

  return {
    /**
     * Core's answer to this read for this (authenticated) caller, from the cache when it can.
     * The key names the route the query was validated on (under `rest.strictParams` routes accept
     * different parameters) and leaves out `ignored` ones, which core's answer does not depend on.
     */
    async coreRead(
      ctx: Context,
      { uid, action, controller }: CoreRead,
      route: string,
      ignored: readonly string[]
    ): Promise<CoreBody | undefined> {
      const query = new URLSearchParams(ctx.querystring);
      for (const name of ignored) query.delete(name);
      const key = `${route}|${uid}|${action}|${String(ctx.params.id ?? '')}|${callerKey(ctx)}|${coreFormatOf(ctx)}|${query.toString()}`;
      return (await through(key, async () => {
        // Core's find and findOne answer without calling `next`.
        const returned: unknown = await controller[action](ctx, async () => {});
        return returned ?? ctx.body;
      })) as CoreBody | undefined;
    },

    /** The repeatable response kept for an identical request (`key`), if any. */
    repeatableResponse(key: string): RepeatableResponse | undefined {
      const hit = enabled ? responses.get(`repeatable|${key}`) : undefined;
      return hit?.kind === 'repeatable' ? hit.response : undefined;
    },

    keepRepeatableResponse(key: string, response: RepeatableResponse) {
      if (enabled) responses.set(`repeatable|${key}`, { kind: 'repeatable', response });
    },

    clear() {
      responses.clear();
      published.clear();
      callers.clear();
    },

    /** Whether an entry is published, remembered until the next write (for decisions without content). */
    async isPublished(key: string, load: () => Promise<boolean>): Promise<boolean> {
      const hit = published.get(key);
      if (hit !== undefined) return hit;
      const value = await load();
      published.set(key, value);
      return value;
    },

    async caller(authorization: string, authenticate: () => Promise<Auth>): Promise<Auth> {
      const hit = callers.get(authorization);
      if (hit) return hit;
      const auth = await authenticate();
      callers.set(authorization, auth);
      return auth;
    },

    /** What the cached responses weigh, in bytes of JSON (UTF-8). */
    get bytes() {
      return responses.calculatedSize;
    },
  };
};

export default contentCache;
