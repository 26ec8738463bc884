import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { getService } from './get-service';
import { CONTEXT_HEADER, SEGMENT_HEADER } from './visitor-context';

/**
 * A personalized GET that shared caches may keep (decided by the context alone: no server fact,
 * no visitor id, no credentials) records nothing when its context has no visitor id either, so
 * the same request is answered the same until something is written. Such answers are kept in the
 * content cache (cleared by every write, here or on another instance) and the drop-in answers an
 * identical request from there before Strapi composes the route (middlewares/drop-in.ts): a CDN's
 * work, for apps without one that keys on the context.
 *
 * Only for requests the drop-in marked: a route that runs nothing but the plugin's read, no
 * credentials. The key is the URL and the context header, exactly what the answer varies on.
 */
const keys = new WeakMap<Context, string>();

const keyOf = (ctx: Context) => `${ctx.url}\n${ctx.get(CONTEXT_HEADER)}`;

/**
 * Answers `ctx` with the response kept for an identical request and returns true; otherwise
 * marks the request so that its answer may be kept (`keepShareableResponse`) and returns false.
 */
export const answerShareable = (strapi: Core.Strapi, ctx: Context): boolean => {
  const key = keyOf(ctx);
  const kept = getService(strapi, 'contentCache').shareableResponse(key);
  if (kept === undefined) {
    keys.set(ctx, key);
    return false;
  }
  const { control } = (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig).cache;
  ctx.vary(CONTEXT_HEADER);
  ctx.set('Cache-Control', control.shared);
  ctx.set(SEGMENT_HEADER, kept.segment);
  ctx.type = 'application/json';
  ctx.body = kept.json;
  return true;
};

/**
 * After a personalized answer of a marked request: keeps it when shared caches may keep it and
 * its context has no visitor id (nothing was recorded), and sends the JSON kept.
 */
export const keepShareableResponse = (
  strapi: Core.Strapi,
  ctx: Context,
  { body, segment, shared }: { body: unknown; segment: string; shared: boolean },
  visitorId: unknown
) => {
  const key = keys.get(ctx);
  if (key === undefined || !shared || visitorId !== undefined) return;
  const json = JSON.stringify(body);
  getService(strapi, 'contentCache').keepShareableResponse(key, { json, segment });
  ctx.type = 'application/json';
  ctx.body = json;
};
