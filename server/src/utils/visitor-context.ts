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
import type { ProfileInput } from '../services/profiles';
import { getService } from './get-service';
import { throwIssues, throwValidation } from './validation';

export const CONTEXT_HEADER = 'X-Personalize-Context';
export const SEGMENT_HEADER = 'X-Personalize-Segment';

/**
 * A request's visitor: the context it stated, what rules are evaluated against (that context
 * completed by the profile and the server's facts), what of it the server supplied, and the
 * profile's part (null without consent or without a profile).
 */
export interface Visitor {
  context: VisitorContext;
  evaluationData: EvaluationData;
  serverFacts: ReadonlySet<ServerFact>;
  profile: ProfileInput | null;
}

/** The app's country header (`countryHeader`), if it configures one. */
export const countryHeader = (strapi: Core.Strapi) =>
  (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig).countryHeader;

const visitorOf = async (
  strapi: Core.Strapi,
  ctx: Context,
  parsed: Parsed<VisitorContext>
): Promise<Visitor> => {
  if (!parsed.ok) return throwIssues('context', ['context'], parsed.issues);
  const header = countryHeader(strapi);
  const now = new Date();
  const profile = await getService(strapi, 'profiles').complete(parsed.value, now.getTime());
  const context = profile?.context ?? parsed.value;
  return {
    context: parsed.value,
    evaluationData: evaluationData(context, {
      now,
      userAgent: ctx.get('user-agent') || undefined,
      country: header ? ctx.get(header) || undefined : undefined,
    }),
    serverFacts: serverFactsOf(context, { readsCountry: header !== null }),
    profile,
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
export const readRequestContext = async (
  strapi: Core.Strapi,
  ctx: Context
): Promise<Visitor | null> => {
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
export const readBodyContext = async (
  strapi: Core.Strapi,
  ctx: Context,
  input: unknown
): Promise<Visitor | null> => {
  if (input === undefined || input === null) return null;
  return visitorOf(strapi, ctx, parseVisitorContext(input));
};
