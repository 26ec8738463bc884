import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import { authorizeCaller, originOf } from '../../utils/caller';
import { getService } from '../../utils/get-service';
import { setPersonalizationHeaders } from '../../utils/personalization-headers';
import { assertDeliverableQuery } from '../../utils/delivery-query';
import { deliveredContentType } from '../../utils/targets';
import { readBodySchema } from '../../contracts';
import { parseOrThrow, throwValidation } from '../../utils/validation';
import { CONTEXT_HEADER, readBodyContext, readRequestContext } from '../../utils/visitor-context';

export type ReadAction = 'find' | 'findOne';

/** Who is asking, as far as sanitization can differ: the cache keeps callers apart. */
const callerKey = (ctx: Context) => {
  const auth = ctx.state.auth as
    | { strategy?: { name?: string }; credentials?: { id?: unknown } | null }
    | undefined;
  return `${auth?.strategy?.name ?? 'none'}:${String(auth?.credentials?.id ?? 'public')}`;
};

/** The query string without the visitor context (nor `track`), which never change the base entry. */
const baseQuery = (ctx: Context) => {
  const params = new URLSearchParams(ctx.querystring);
  params.delete('context');
  params.delete('track');
  return params.toString();
};

/**
 * The visitor of a read: from the query or the header (GET), or from the body (POST, the form for
 * a context too large for a URL), never from both.
 */
const readVisitor = async (strapi: Core.Strapi, ctx: Context) => {
  if (ctx.method !== 'POST') {
    return { visitor: await readRequestContext(strapi, ctx), track: ctx.query.track !== 'false' };
  }
  if ('context' in ctx.query || ctx.get(CONTEXT_HEADER)) {
    throwValidation('Invalid context: a POST read takes the context in its body only', [
      { path: ['context'], message: 'send the context in the body, not in the query or a header' },
    ]);
  }
  const body = parseOrThrow(readBodySchema, ctx.request.body ?? {}, 'body');
  return {
    visitor: await readBodyContext(strapi, ctx, body.context),
    track: body.track !== false && ctx.query.track !== 'false',
  };
};

/** Runs the app's own controller action (core or customised) and returns its response body. */
const coreRead = async (
  strapi: Core.Strapi,
  ctx: Context,
  uid: UID.ContentType,
  action: ReadAction
) => {
  // An app's content type and its controller share the uid (`api::article.article`).
  const controller = strapi.controller(uid as UID.Controller);
  // Core's find and findOne answer without calling `next`.
  const returned = await controller[action](ctx, async () => {});
  return returned ?? ctx.body;
};

/**
 * The delivery: `/api/personalize/content/...` reads an entry (or a list) exactly as core REST
 * does for the same caller and query, from a cache when it can, then merges the visitor's
 * variant. The caller needs the target type's own find/findOne permission. Only published
 * content is delivered: `status` other than `published` is refused (core REST itself serves
 * drafts to anyone with `find`). The POST form takes the context in its body (`{ context }`).
 */
const content = ({ strapi }: { strapi: Core.Strapi }) => ({
  async read(ctx: Context, uid: UID.ContentType, action: ReadAction) {
    await authorizeCaller(strapi, ctx, [`${uid}.${action}`]);
    assertDeliverableQuery(strapi, uid, ctx.query);
    const { visitor, track } = await readVisitor(strapi, ctx);
    const key = `${uid}|${action}|${String(ctx.params.id ?? '')}|${callerKey(ctx)}|${baseQuery(ctx)}`;
    const body = (await getService(strapi, 'contentCache').through(key, () =>
      coreRead(strapi, ctx, uid, action)
    )) as { data: unknown; meta?: Record<string, unknown> } | undefined;
    if (!body || body.data === null || body.data === undefined) {
      throw new errors.NotFoundError('Not Found');
    }
    const delivery = getService(strapi, 'delivery');
    const personalized = delivery.personalize(uid, body, ctx.query.locale, visitor, originOf(ctx));
    setPersonalizationHeaders(strapi, ctx, personalized);
    ctx.body = personalized.body;
    if (track) delivery.recordView(visitor, personalized.viewed.entry, personalized.viewed.stage);
  },

  /** Any other path under `/content/`: a 404 that says which name is wrong, and why. */
  unknownRoute(ctx: Context) {
    const { type, id } = ctx.params as { type: string; id?: string };
    throw new errors.NotFoundError(
      id !== undefined && deliveredContentType(strapi, type)?.kind === 'singleType'
        ? `"${type}" is a single type: read it without an id`
        : `Unknown content type "${type}": read a collection type by its plural name, a single type by its singular name`,
      { type }
    );
  },
});

export default content;
