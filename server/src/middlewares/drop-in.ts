import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';

import { originOf } from '../utils/caller';
import { getService } from '../utils/get-service';
import {
  setPersonalizationHeaders,
  startPersonalizedResponse,
} from '../utils/personalization-headers';
import { CONTEXT_HEADER, readRequestContext } from '../utils/visitor-context';

/** Handlers of core REST reads: `api::article.article.find`, `api::article.article.findOne`. */
const CORE_READ = /^(api::[^.]+\.[^.]+)\.(find|findOne)$/;

/** The core read a request was routed to (its content type uid), or null. */
const coreReadOf = (ctx: Context) => {
  const route = ctx.state.route as { handler?: unknown; info?: { type?: string } } | undefined;
  if (ctx.method !== 'GET' || route?.info?.type !== 'content-api') return null;
  if (typeof route.handler !== 'string') return null;
  return CORE_READ.exec(route.handler)?.[1] ?? null;
};

/**
 * The drop-in: a core REST read (`GET /api/articles/...`) that carries a visitor context returns
 * the personalized entry. It runs after the core route, so core permissions and sanitization are
 * untouched; without a context only `Vary` is added. With one, every answer (core's errors
 * included) says what it varies on.
 */
export const dropInMiddleware =
  ({ strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    const carriesContext = Boolean(ctx.get(CONTEXT_HEADER) || ctx.query.context);
    let uid: string | null;
    try {
      await next();
    } finally {
      uid = coreReadOf(ctx);
      if (uid && carriesContext) startPersonalizedResponse(strapi, ctx);
      else if (uid) ctx.vary(CONTEXT_HEADER);
    }
    const body = ctx.body as { data?: unknown } | undefined;
    if (
      !uid ||
      ctx.status !== 200 ||
      typeof body !== 'object' ||
      body === null ||
      !('data' in body)
    )
      return;
    const visitor = await readRequestContext(strapi, ctx);
    if (visitor === null) return;
    const delivery = getService(strapi, 'delivery');
    const personalized = delivery.personalize(
      uid,
      body as { data: unknown },
      ctx.query.locale,
      visitor,
      originOf(ctx)
    );
    setPersonalizationHeaders(strapi, ctx, personalized);
    ctx.body = personalized.body;
    if (ctx.query.track !== 'false') {
      delivery.recordView(visitor, personalized.viewed.entry, personalized.viewed.stage);
    }
  };
