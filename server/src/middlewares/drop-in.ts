import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';

import { setPersonalizationHeaders } from '../controllers/content-api/content';
import { getService } from '../utils/get-service';
import { CONTEXT_HEADER, readRequestContext } from '../utils/visitor-context';

/** Handlers of core REST reads: `api::article.article.find`, `api::article.article.findOne`. */
const CORE_READ = /^(api::[^.]+\.[^.]+)\.(find|findOne)$/;

/**
 * The drop-in: a core REST read (`GET /api/articles/...`) that carries a visitor context returns
 * the personalized entry. It runs after the core route, so core permissions and sanitization are
 * untouched; without a context only `Vary` is added.
 */
export const dropInMiddleware =
  ({ strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    await next();
    const route = ctx.state.route as { handler?: unknown; info?: { type?: string } } | undefined;
    if (
      ctx.method !== 'GET' ||
      route?.info?.type !== 'content-api' ||
      typeof route.handler !== 'string'
    )
      return;
    const match = CORE_READ.exec(route.handler);
    if (!match) return;
    ctx.vary(CONTEXT_HEADER);
    const body = ctx.body as { data?: unknown } | undefined;
    if (ctx.status !== 200 || typeof body !== 'object' || body === null || !('data' in body))
      return;
    const data = readRequestContext(ctx);
    if (data === null) return;
    const personalized = getService(strapi, 'delivery').personalize(
      match[1],
      body as { data: unknown },
      ctx.query.locale,
      data
    );
    setPersonalizationHeaders(ctx, personalized.segment);
    ctx.body = personalized.body;
  };
