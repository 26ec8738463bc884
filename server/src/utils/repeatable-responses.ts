import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { coreFormatOf } from '../services/content-cache';
import { getService } from './get-service';
import { CONTEXT_HEADER, SEGMENT_HEADER } from './visitor-context';

/**
 * A personalized response the request alone decided (no server fact, no visitor id, no
 * credentials: what a shared cache may keep of a GET) records nothing when its context has no
 * visitor id either, so an identical request gets the same answer until something is written.
 * Such answers are kept in the content cache (cleared by every write, here or on another
 * instance) and an identical request is answered from there before Strapi routes it, or else
 * before it composes the route (middlewares/drop-in.ts).
 *
 * Only for requests the drop-in marked: a route that runs nothing but the plugin's own read or
 * decision, no credentials. The key is what the answer can depend on: the method and URL, the
 * context header, the headers core's answer depends on (`coreFormatOf`), and a POST's body.
 */
const keys = new WeakMap<Context, string>();

/** The headers a kept answer is sent with again, as its first answer set them. */
const KEPT_HEADERS = ['Cache-Control', SEGMENT_HEADER] as const;

/** The request's key; undefined for a body JSON cannot write again (nested too deep). */
const keyOf = (ctx: Context): string | undefined => {
  let body = '';
  try {
    if (ctx.method === 'POST') body = JSON.stringify(ctx.request.body ?? null);
  } catch {
    return undefined; // The route refuses such a body.
  }
  return [`${ctx.method} ${ctx.url}`, ctx.get(CONTEXT_HEADER), coreFormatOf(ctx), body].join('\n');
};

/** Answers `ctx` with the response kept for an identical request, if any: whether it did. */
export const sendRepeated = (strapi: Core.Strapi, ctx: Context, key = keyOf(ctx)): boolean => {
  const kept =
    key === undefined ? undefined : getService(strapi, 'contentCache').repeatableResponse(key);
  if (kept === undefined) return false;
  ctx.vary(CONTEXT_HEADER);
  for (const [name, value] of kept.headers) ctx.set(name, value);
  ctx.type = 'application/json';
  ctx.body = kept.json;
  return true;
};

/**
 * Answers `ctx` with the response kept for an identical request and returns true; otherwise
 * marks the request so that its answer may be kept (`keepRepeatableResponse`) and returns false.
 */
export const answerRepeated = (strapi: Core.Strapi, ctx: Context): boolean => {
  const key = keyOf(ctx);
  if (key === undefined) return false;
  if (sendRepeated(strapi, ctx, key)) return true;
  keys.set(ctx, key);
  return false;
};

/**
 * After a personalized answer of a marked request (its headers set): keeps it when the request
 * alone decided it and its context has no visitor id (nothing was recorded), and sends the JSON
 * kept.
 */
export const keepRepeatableResponse = (
  strapi: Core.Strapi,
  ctx: Context,
  { body, requestAlone }: { body: unknown; requestAlone: boolean },
  visitorId: unknown
) => {
  const key = keys.get(ctx);
  if (key === undefined || !requestAlone || visitorId !== undefined) return;
  const json = JSON.stringify(body);
  const headers = KEPT_HEADERS.map((name) => [name, ctx.response.get(name)] as const);
  getService(strapi, 'contentCache').keepRepeatableResponse(key, { json, headers });
  ctx.type = 'application/json';
  ctx.body = json;
};
