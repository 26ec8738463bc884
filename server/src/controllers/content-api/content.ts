import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import { emptyDecision, reasonOf, segmentOf } from '../../engine';
import type { Decision } from '../../engine/types';
import { applyDecision, personalizationMeta } from '../../services/delivery';
import { authorizeCaller, originOf } from '../../utils/caller';
import type { CoreBody, ReadAction } from '../../services/content-cache';
import { getService } from '../../utils/get-service';
import {
  setPersonalizationHeaders,
  setVariantContentHeaders,
  surrogateKeys,
} from '../../utils/personalization-headers';
import {
  assertDeliverableQuery,
  requestedVariants,
  type RequestedVariants,
} from '../../utils/delivery-query';
import { keepRepeatableResponse } from '../../utils/repeatable-responses';
import { deliveredContentType } from '../../utils/targets';
import { readBodySchema } from '../../contracts';
import { parseOrThrow, throwValidation } from '../../utils/validation';
import {
  CONTEXT_HEADER,
  readBodyContext,
  readRequestContext,
  type Visitor,
} from '../../utils/visitor-context';

export type { ReadAction } from '../../services/content-cache';

type Entry = Record<string, unknown>;

/** The query parameters of the delivery's routes that never change core's answer. */
const DELIVERY_PARAMS = ['context', 'track', 'variant', 'variants'];

/**
 * Answers with core's body personalized for the visitor (variants merged, `meta.personalization`,
 * the headers), then records the page view unless `track` is false. An answer the request alone
 * decided is kept for an identical request (utils/repeatable-responses.ts).
 */
export const sendPersonalized = (
  strapi: Core.Strapi,
  ctx: Context,
  uid: UID.ContentType,
  body: CoreBody,
  visitor: Visitor | null,
  track: boolean
) => {
  const delivery = getService(strapi, 'delivery');
  const personalized = delivery.personalize(uid, body, ctx.query.locale, visitor, originOf(ctx));
  const requestAlone = setPersonalizationHeaders(strapi, ctx, personalized);
  ctx.body = personalized.body;
  if (track) delivery.recordView(visitor, personalized.viewed.entry, personalized.viewed.stage);
  keepRepeatableResponse(
    strapi,
    ctx,
    { body: personalized.body, requestAlone },
    visitor?.context.visitorId
  );
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

/** Named variants are the same for everyone: a read that names them states no visitor. */
const assertNoContext = (ctx: Context) => {
  const body =
    ctx.method === 'POST' ? parseOrThrow(readBodySchema, ctx.request.body ?? {}, 'body') : {};
  if ('context' in ctx.query || ctx.get(CONTEXT_HEADER) || body.context !== undefined) {
    throwValidation('Invalid context: a read that names its variants takes no visitor context', [
      { path: ['context'], message: 'leave out the context with `variant` or `variants`' },
    ]);
  }
};

/**
 * Core's answer with the named published variants merged, for every visitor alike: nothing is
 * decided or recorded. A variant that is not published for its entry and locale (or whose type
 * is switched off) is a 404.
 */
const sendVariants = (
  strapi: Core.Strapi,
  ctx: Context,
  uid: UID.ContentType,
  body: CoreBody,
  requested: RequestedVariants
) => {
  const { registry } = getService(strapi, 'registryLoader');
  const delivery = getService(strapi, 'delivery');
  const single = strapi.getModel(uid).kind === 'singleType';
  const list = Array.isArray(body.data);
  const entries = (list ? body.data : [body.data]) as Entry[];
  const byDocumentId = new Map(entries.map((entry) => [entry.documentId, entry]));
  const decisions = new Map<Entry | null, Decision>();
  for (const [entryId, variantId] of requested) {
    const entry = entryId === null ? entries[0] : (byDocumentId.get(entryId) ?? null);
    const documentId = single ? null : (entryId ?? String(entry?.documentId));
    const locale = delivery.variantLocale(uid, entry, ctx.query.locale);
    const variant = registry
      .variantsOf(uid, documentId, locale)
      .find((candidate) => candidate.documentId === variantId);
    if (!variant) {
      throw new errors.NotFoundError(
        `No published variant "${variantId}" of this entry in locale "${locale}"`,
        { variant: variantId, locale }
      );
    }
    // An entry named but not on this page has nothing to merge into.
    decisions.set(entry, {
      ...emptyDecision(),
      variant,
      reason: reasonOf(variant),
    });
  }
  const merged = entries.map((entry) => {
    const decision = decisions.get(entry) ?? emptyDecision();
    return { entry: applyDecision(entry, decision), meta: personalizationMeta(decision) };
  });
  const variantKeys = [...requested.values()].map(surrogateKeys.variant);
  if (list) {
    const segment = segmentOf(merged.map(({ meta }) => meta.variant?.documentId ?? null));
    ctx.body = {
      ...body,
      data: merged.map(({ entry }) => entry),
      meta: { ...body.meta, personalization: merged.map(({ meta }) => meta), segment },
    };
    setVariantContentHeaders(strapi, ctx, {
      segment,
      keys: [surrogateKeys.type(uid), ...variantKeys],
    });
    return;
  }
  const [{ entry, meta }] = merged;
  ctx.body = { ...body, data: entry, meta: { ...body.meta, personalization: meta } };
  const documentId = single ? null : String(entries[0].documentId);
  setVariantContentHeaders(strapi, ctx, {
    segment: meta.segment,
    keys: [surrogateKeys.entry(uid, documentId), ...variantKeys],
  });
};

/**
 * The delivery: `/api/personalize/content/...` reads an entry (or a list) exactly as core REST
 * does for the same caller and query, from a cache when it can, then merges the visitor's
 * variant, or the variants the query names (`variant`, `variants`: cacheable, for everyone).
 * The caller needs the target type's own find/findOne permission. Only published content is
 * delivered: `status` other than `published` is refused (core REST itself serves drafts to
 * anyone with `find`). The POST form takes the context in its body (`{ context }`).
 */
const content = ({ strapi }: { strapi: Core.Strapi }) => ({
  async read(ctx: Context, uid: UID.ContentType, action: ReadAction) {
    await authorizeCaller(strapi, ctx, [`${uid}.${action}`]);
    assertDeliverableQuery(strapi, uid, ctx.query);
    const list = action === 'find' && strapi.getModel(uid).kind === 'collectionType';
    const requested = requestedVariants(ctx.query, list);
    if (requested) assertNoContext(ctx);
    const reader = requested ? null : await readVisitor(strapi, ctx);
    // An app's content type and its controller share the uid (`api::article.article`).
    const controller = strapi.controller(uid as UID.Controller);
    const body = await getService(strapi, 'contentCache').coreRead(
      ctx,
      { uid, action, controller },
      'personalize',
      DELIVERY_PARAMS
    );
    if (!body || body.data === null || body.data === undefined) {
      throw new errors.NotFoundError('Not Found');
    }
    if (requested) sendVariants(strapi, ctx, uid, body, requested);
    else if (reader) sendPersonalized(strapi, ctx, uid, body, reader.visitor, reader.track);
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
