import type { Context } from 'koa';

import { evaluationData, parseContextJson, parseVisitorContext } from '../engine';
import type { EvaluationData } from '../engine/types';
import { throwIssues, throwValidation } from './validation';

export const CONTEXT_HEADER = 'X-Personalize-Context';
export const SEGMENT_HEADER = 'X-Personalize-Segment';

const withServerFacts = (ctx: Context, context: Parameters<typeof evaluationData>[0]) =>
  evaluationData(context, { now: new Date(), userAgent: ctx.get('user-agent') || undefined });

/**
 * The visitor context of a content request: JSON in the `X-Personalize-Context` header or in the
 * `context` query parameter (the header wins). null when the request carries none.
 */
export const readRequestContext = (ctx: Context): EvaluationData | null => {
  const header = ctx.get(CONTEXT_HEADER);
  const query = (ctx.query as Record<string, unknown>).context;
  if (query !== undefined && typeof query !== 'string') {
    throwValidation('Invalid context: the context query parameter must be one JSON string', [
      { path: ['context'], message: 'expected one URL-encoded JSON string' },
    ]);
  }
  const raw = header || (query as string | undefined);
  if (!raw) return null;
  const parsed = parseContextJson(raw);
  if (!parsed.ok) return throwIssues('context', ['context'], parsed.issues);
  return withServerFacts(ctx, parsed.value);
};

/** The visitor context of a JSON body (decide, preview): a parsed object, not a JSON string. */
export const readBodyContext = (ctx: Context, input: unknown): EvaluationData | null => {
  if (input === undefined || input === null) return null;
  const parsed = parseVisitorContext(input);
  if (!parsed.ok) return throwIssues('context', ['context'], parsed.issues);
  return withServerFacts(ctx, parsed.value);
};
