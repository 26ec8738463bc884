import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import type { Dependence } from '../services/delivery';
import { CONTEXT_HEADER, SEGMENT_HEADER } from './visitor-context';

const cacheControl = (strapi: Core.Strapi) =>
  (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig).cache.control;

/**
 * First thing on a personalized route: whatever it answers, errors included, depends on the
 * context header, and no shared cache keeps it unless the success says otherwise.
 */
export const startPersonalizedResponse = (strapi: Core.Strapi, ctx: Context) => {
  ctx.vary(CONTEXT_HEADER);
  ctx.set('Cache-Control', cacheControl(strapi).private);
};

/**
 * Whether the request alone decided a personalized response: no server-derived fact, no visitor
 * id, no credentials, published content.
 */
const decidedByRequestAlone = (ctx: Context, dependence: Dependence) =>
  dependence.serverFacts.size === 0 &&
  !dependence.visitorId &&
  !ctx.get('authorization') &&
  (ctx.query.status === undefined || ctx.query.status === 'published');

/**
 * The headers of a personalized response: its segment; `Vary` for every request header the
 * decision may have read (the context always, the User-Agent when a rule may have read the
 * device derived from it, the country header when one may have read the country taken from it);
 * and `Cache-Control`: the shared policy only when the request alone decided (no server-derived
 * fact, no visitor id, no credentials), the private one otherwise. Returns whether the request
 * alone decided.
 */
export const setPersonalizationHeaders = (
  strapi: Core.Strapi,
  ctx: Context,
  {
    segment,
    dependence,
    shareable = true,
  }: {
    segment: string;
    dependence: Dependence;
    /** false: never for shared caches (a POST, whose context is in a body no cache keys on). */
    shareable?: boolean;
  }
) => {
  const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  ctx.vary(CONTEXT_HEADER);
  if (dependence.serverFacts.has('device')) ctx.vary('User-Agent');
  if (dependence.serverFacts.has('geo') && config.countryHeader) ctx.vary(config.countryHeader);
  ctx.set(SEGMENT_HEADER, segment);
  const requestAlone = decidedByRequestAlone(ctx, dependence);
  ctx.set(
    'Cache-Control',
    shareable && requestAlone ? config.cache.control.shared : config.cache.control.private
  );
  return requestAlone;
};

/**
 * The surrogate keys of variant content (`?variant=`, `?variants=`), which the purge webhook
 * names again when what they tag changes (services/purge.ts): an entry (a single type has no
 * documentId), a collection type's lists, a variant.
 */
export const surrogateKeys = {
  entry: (uid: string, documentId: string | null) =>
    documentId === null ? `personalize-entry:${uid}` : `personalize-entry:${uid}:${documentId}`,
  type: (uid: string) => `personalize-type:${uid}`,
  variant: (documentId: string) => `personalize-variant:${documentId}`,
};

/**
 * The headers of named variants' content, which no visitor decided: shared caches may keep it
 * `cache.variantMaxAgeSeconds`, unless credentials produced it (what a caller's permissions let
 * it read is that caller's alone: `Vary: Authorization` and `private`) or it came by POST. Its
 * surrogate keys go in `Cache-Tag` (comma-separated, as Cloudflare reads it) and `Surrogate-Key`
 * (space-separated, as Fastly reads it).
 */
export const setVariantContentHeaders = (
  strapi: Core.Strapi,
  ctx: Context,
  { segment, keys }: { segment: string; keys: readonly string[] }
) => {
  const { variantMaxAgeSeconds } = (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig)
    .cache;
  ctx.vary(CONTEXT_HEADER);
  ctx.vary('Authorization');
  ctx.set(SEGMENT_HEADER, segment);
  const shared = ctx.method === 'GET' && !ctx.get('authorization');
  ctx.set('Cache-Control', `${shared ? 'public' : 'private'}, max-age=${variantMaxAgeSeconds}`);
  ctx.set('Cache-Tag', keys.join(','));
  ctx.set('Surrogate-Key', keys.join(' '));
};
