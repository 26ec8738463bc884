/**
 * The closed vocabularies of a decision, as values: the API contracts (server/src/contracts/)
 * build their schemas from these lists, so a new reason is named once; and the codes of its trace.
 */

/**
 * How a persona or stage was found: named by the context, matched by its rule, or (a stage only)
 * remembered by the visitor's profile as the furthest reached.
 */
export const SOURCES = ['explicit', 'rule', 'profile'] as const;
export type Source = (typeof SOURCES)[number];

/** Why the visitor got this content (docs/architecture.md §5). */
export const REASONS = [
  'persona+stage',
  'persona',
  'stage',
  'rule',
  'default',
  'no-consent',
  'experiment',
  'holdout',
  'preview',
] as const;
export type Reason = (typeof REASONS)[number];

/**
 * Why the preview's decision trace (trace.ts) says a variant was or was not picked, by code, as
 * English templates; the admin's translations hold `trace.<code>` for each.
 */
export const TRACE_MESSAGES = {
  picked: 'picked',
  'persona-mismatch': 'persona "{required}" required, visitor is "{visitor}"',
  'persona-missing': 'persona "{required}" required, visitor has no persona',
  'stage-mismatch': 'stage "{required}" required, visitor is "{visitor}"',
  'stage-missing': 'stage "{required}" required, visitor has no stage',
  'rule-no-match': 'rule did not match',
  'lost-priority': 'lost to "{winner}" (higher priority)',
  'lost-specificity': 'lost to "{winner}" (more specific)',
  'lost-created': 'lost to "{winner}" (created earlier)',
  'lost-order':
    'lost to "{winner}" (same priority, specificity and creation time; ordered by document id)',
  'not-picked': 'not picked',
  'no-context': 'no visitor context: everyone gets the base entry',
  'no-consent': 'the visitor did not consent to personalization',
  holdout: 'the visitor is in the holdout: base content everywhere',
} as const;

export type TraceCode = keyof typeof TRACE_MESSAGES;
