import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import {
  evaluationData,
  parseContextJson,
  parseVisitorContext,
  serverFactsOf,
  type Parsed,
  type ServerFact,
  type VisitorContext,
} from '../engine';
import type { EvaluationData } from '../engine/types';
import { throwIssues, throwValidation } from './validation';

export const CONTEXT_HEADER = 'X-Personalize-Context';
export const SEGMENT_HEADER = 'X-Personalize-Segment';

/** A request's visitor: what rules are evaluated against, and what of it the server supplied. */
export interface Visitor {
  evaluationData: EvaluationData;
  serverFacts: ReadonlySet<ServerFact>;
}

/** The app's country header (`countryHeader`), if it configures one. */
export const countryHeader = (strapi: Core.Strapi) =>
  (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig).countryHeader;

const visitorOf = (strapi: Core.Strapi, ctx: Context, parsed: Parsed<VisitorContext>): Visitor => {
  if (!parsed.ok) return throwIssues('context', ['context'], parsed.issues);
  const header = countryHeader(strapi);
  return {
    evaluationData: evaluationData(parsed.value, {
      now: new Date(),
      userAgent: ctx.get('user-agent') || undefined,
      country: header ? ctx.get(header) || undefined : undefined,
    }),
    serverFacts: serverFactsOf(parsed.value, { readsCountry: header !== null }),
  };
};

/**
 * The raw header value as text: Node reads header bytes as Latin-1, so UTF-8 is decoded here;
 * a percent-encoded value (what browsers' `fetch` must send for non-Latin-1 text) too.
 */
const headerText = (value: string) => {
  const decoded = /[\u0080-\u00ff]/.test(value)
    ? Buffer.from(value, 'latin1').toString('utf8')
    : value;
  if (!decoded.trimStart().startsWith('%')) return decoded;
  try {
    return decodeURIComponent(decoded);
  } catch {
    return decoded; // Refused as JSON, with the reason.
  }
};

/**
 * The visitor context of a content request: JSON in the `X-Personalize-Context` header (UTF-8,
 * or percent-encoded) or in the `context` query parameter (the header wins). null when the
 * request carries none.
 */
export const readRequestContext = (strapi: Core.Strapi, ctx: Context): Visitor | null => {
  const header = ctx.get(CONTEXT_HEADER);
  const query = (ctx.query as Record<string, unknown>).context;
  if (query !== undefined && typeof query !== 'string') {
    throwValidation('Invalid context: the context query parameter must be one JSON string', [
      { path: ['context'], message: 'expected one URL-encoded JSON string' },
    ]);
  }
  const raw = header ? headerText(header) : (query as string | undefined);
  if (!raw) return null;
  return visitorOf(strapi, ctx, parseContextJson(raw));
};

/** The visitor context of a JSON body (decide, preview): a parsed object, not a JSON string. */
export const readBodyContext = (
  strapi: Core.Strapi,
  ctx: Context,
  input: unknown
): Visitor | null => {
  if (input === undefined || input === null) return null;
  return visitorOf(strapi, ctx, parseVisitorContext(input));
};
