import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';

import { segmentOf } from '../engine';
import type { Decision } from '../engine/types';
import { combineDependences, type Dependence } from '../services/delivery';
import { originOf } from '../utils/caller';
import { getService } from '../utils/get-service';
import {
  setPersonalizationHeaders,
  startPersonalizedResponse,
} from '../utils/personalization-headers';
import { CONTEXT_HEADER, readRequestContext, type Visitor } from '../utils/visitor-context';

/** What one decision of the operation adds to the response's headers and page view. */
export interface Outcome {
  variantDocumentId: string | null;
  stage: string | null;
  dependence: Dependence;
  /** The entry decided; documentId null for a single type. */
  target: { uid: string; documentId: string | null };
  /** Whose decision it is: the request's visitor, or `personalizeDecide`'s context argument. */
  visitor: Visitor | null;
  /** How deep in the response the entry is: 0 for a root field's entry (or entries). */
  depth: number;
}

/** A resolver's path (graphql-js `info.path`): the field's key, then its parents'. */
export interface ResponsePath {
  key: string | number;
  prev: ResponsePath | undefined;
}

/** The depth of the entry whose field is at `path`: its object keys above the field. */
export const entryDepth = (path: ResponsePath) => {
  let depth = -1;
  for (let at = path.prev; at; at = at.prev) if (typeof at.key === 'string') depth += 1;
  return Math.max(depth, 0);
};

/**
 * One GraphQL request as the plugin sees it: its visitor (null without a context: everything is
 * served as is) and every decision its operation made, from which the response's headers are set
 * after it ran.
 */
export interface GraphqlRequest {
  visitor: Visitor | null;
  /** By entry (`uid|documentId|locale`): an entry reached twice is decided once. */
  decisions: Map<string, Decision>;
  /** By the row core resolved: the fields of one entry find its decision at once. */
  decisionsByRow: WeakMap<object, Decision>;
  outcomes: Outcome[];
  /**
   * Values a variant gave GraphQL in place of the entry's own (components, their media): the
   * fields under them resolve from them, never from the base's rows.
   */
  variantValues: WeakSet<object>;
  /** A draft entry was personalized: the response is never for shared caches. */
  servedDraft: boolean;
}

/** The plugin's part of a GraphQL resolver's context. */
export interface GraphqlCall {
  request: GraphqlRequest;
  ctx: Context;
}

const requests = new WeakMap<Context, GraphqlRequest>();

/** The request a resolver's context belongs to (undefined outside the GraphQL endpoint). */
export const callOf = (context: unknown): GraphqlCall | undefined => {
  const ctx = (context as { koaContext?: Context } | null)?.koaContext;
  const request = ctx ? requests.get(ctx) : undefined;
  return request && ctx ? { request, ctx } : undefined;
};

/**
 * The decision for a row core resolved (an entry of `uid`), made once per request. `path`: the
 * path of the field being resolved.
 */
export const decisionOf = (
  strapi: Core.Strapi,
  { request, ctx }: GraphqlCall,
  uid: string,
  row: Record<string, unknown>,
  path: ResponsePath
): Decision => {
  const known = request.decisionsByRow.get(row);
  if (known) return known;
  const key = `${uid}|${String(row.documentId)}|${String(row.locale)}`;
  let decision = request.decisions.get(key);
  if (!decision) {
    const decided = getService(strapi, 'delivery').decideEntry(
      uid,
      row,
      undefined,
      request.visitor,
      originOf(ctx)
    );
    decision = decided.decision;
    request.decisions.set(key, decision);
    request.outcomes.push({
      variantDocumentId: decision.variant?.documentId ?? null,
      stage: decision.stage,
      dependence: decided.dependence,
      target: { uid, documentId: decided.documentId },
      visitor: request.visitor,
      depth: entryDepth(path),
    });
  }
  // Only a draft row of a draft & publish type has `publishedAt: null` (a `status: DRAFT` query).
  if (row.publishedAt === null) request.servedDraft = true;
  request.decisionsByRow.set(row, decision);
  return decision;
};

const keyOf = ({ target }: Outcome) => `${target.uid}|${target.documentId}`;

/**
 * The page view of each visitor the operation decided for: the entry at the top of the response
 * when there is one (a homepage with its featured stories counts the homepage, with its signals),
 * the view of a list otherwise.
 */
const recordViews = (strapi: Core.Strapi, outcomes: Outcome[]) => {
  const delivery = getService(strapi, 'delivery');
  for (const visitor of new Set(outcomes.map((outcome) => outcome.visitor))) {
    const own = outcomes.filter((outcome) => outcome.visitor === visitor);
    const top = Math.min(...own.map((outcome) => outcome.depth));
    const entries = new Map(
      own.filter((outcome) => outcome.depth === top).map((outcome) => [keyOf(outcome), outcome])
    );
    const [first] = entries.values();
    delivery.recordView(visitor, entries.size === 1 ? first.target : null, own[0].stage);
  }
};

/** An error as Strapi's GraphQL formats a ValidationError (`extensions.code` BAD_USER_INPUT). */
const badUserInput = (error: InstanceType<typeof errors.ValidationError>) => ({
  errors: [
    {
      message: error.message,
      extensions: {
        error: { name: error.name, message: error.message, details: error.details },
        code: 'BAD_USER_INPUT',
      },
    },
  ],
});

/**
 * Around the GraphQL endpoint: reads the visitor context once (the `X-Personalize-Context`
 * header, as on REST, or `?context=`), refusing a bad one with a GraphQL error, and after the
 * operation ran sets the headers of a personalized response for all its decisions together:
 * the combined segment, `Vary` and `Cache-Control` as REST delivery does. Shared caches may keep
 * it only for a GET without errors that served no draft. Then the page view, unless
 * `?track=false`.
 */
export const graphqlRequestMiddleware =
  ({ strapi, endpoint }: { strapi: Core.Strapi; endpoint: string }) =>
  async (ctx: Context, next: Next) => {
    if (ctx.path !== endpoint) return next();
    let visitor: Visitor | null = null;
    if (ctx.get(CONTEXT_HEADER) || ctx.query.context !== undefined) {
      startPersonalizedResponse(strapi, ctx);
      try {
        visitor = await readRequestContext(strapi, ctx);
      } catch (error) {
        if (!(error instanceof errors.ValidationError)) throw error;
        ctx.status = 400;
        ctx.body = badUserInput(error);
        return undefined;
      }
    } else {
      ctx.vary(CONTEXT_HEADER);
    }
    const request: GraphqlRequest = {
      visitor,
      decisions: new Map(),
      decisionsByRow: new WeakMap(),
      outcomes: [],
      variantValues: new WeakSet(),
      servedDraft: false,
    };
    requests.set(ctx, request);
    await next();
    const { outcomes } = request;
    if (outcomes.length === 0) return undefined;
    // Errors are a JSON key: inside a string value the quotes would be escaped.
    const hasErrors = typeof ctx.body !== 'string' || ctx.body.includes('"errors":');
    // Never more cacheable than Apollo's own policy says (`no-store` without cache hints).
    const apolloShares = /\bpublic\b/.test(ctx.response.get('Cache-Control'));
    // In entry order, not resolution order: the same response always has the same segment.
    const byEntry = [...outcomes].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    setPersonalizationHeaders(strapi, ctx, {
      segment: segmentOf(byEntry.map((outcome) => outcome.variantDocumentId)),
      dependence: combineDependences(outcomes.map((outcome) => outcome.dependence)),
      shareable:
        ctx.method === 'GET' &&
        ctx.status === 200 &&
        apolloShares &&
        !hasErrors &&
        !request.servedDraft,
    });
    if (ctx.query.track !== 'false') recordViews(strapi, outcomes);
    return undefined;
  };
