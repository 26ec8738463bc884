/**
 * The closed vocabularies of a decision, as values: the API contracts (server/src/contracts/)
 * build their schemas from these lists, so a new reason is named once.
 */

/** How a persona or stage was found: named by the context, or matched by its rule. */
export const SOURCES = ['explicit', 'rule'] as const;
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
] as const;
export type Reason = (typeof REASONS)[number];
