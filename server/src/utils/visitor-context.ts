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
import type { EvaluationData, PreviewForce } from '../engine/types';
import type { ProfileInput } from '../services/profiles';
import { getService } from './get-service';
import { previewSecret, verifyPreviewToken } from './preview-token';
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
  /** What a valid preview link forces: nothing is recorded for this visitor then. */
  preview: PreviewForce | null;
  /** The arms this visitor keeps in reweighted bandits (undefined: none running). */
  rememberedArms: ReadonlyMap<string, string> | undefined;
  /** Said in every `meta.personalization.warnings` of the response (an ignored preview link). */
  warnings: readonly string[];
}

/** Why a preview link is ignored, as the response's warning says it. */
const PREVIEW_IGNORED = {
  malformed: 'preview link ignored: the token is not one this server issued',
  signature: 'preview link ignored: the token is not one this server issued',
  expired: 'preview link ignored: it has expired',
} as const;

/** A preview link's grant, or why it is ignored (never an error: the page still renders). */
const previewOf = (strapi: Core.Strapi, token: string | undefined, now: Date) => {
  if (token === undefined) return { preview: null, warnings: [] };
  const secret = previewSecret(
    strapi.config.get('server.app.keys') as string[] | undefined,
    (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig).previewLinkSecret
  );
  const checked = verifyPreviewToken(secret, token, now);
  return checked.ok
    ? { preview: checked.grant, warnings: [] }
    : { preview: null, warnings: [PREVIEW_IGNORED[checked.reason]] };
};

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
  const { preview, warnings } = previewOf(strapi, parsed.value.preview, now);
  const profile = await getService(strapi, 'profiles').complete(parsed.value, now.getTime());
  const context = profile?.context ?? parsed.value;
  const { visitorId } = parsed.value;
  return {
    preview,
    warnings,
    rememberedArms:
      visitorId === undefined || preview !== null
        ? undefined
        : await getService(strapi, 'events').rememberedArms(visitorId),
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
