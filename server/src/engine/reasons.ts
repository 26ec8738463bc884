/**
 * The closed vocabularies of a decision, as values: the API contracts (server/src/contracts/)
 * build their schemas from these lists, so a new reason is named once.
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
