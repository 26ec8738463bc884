import { compareText } from './classification';
import { sameJson } from './objects';
import type { EvaluationData, VariantDefinition } from './types';

/** How narrowly a variant targets: persona+stage 3, persona only 2, stage only 1, neither 0. */
export const specificity = (
  variant: Pick<VariantDefinition, 'persona' | 'stage'>
): 0 | 1 | 2 | 3 =>
  variant.persona !== null ? (variant.stage !== null ? 3 : 2) : variant.stage !== null ? 1 : 0;

/**
 * docs/architecture.md §5 step 4: the variant's persona is null or the visitor's, its stage null or the
 * visitor's, and its rule absent or truthy (evaluated last, only when the rest holds).
 */
export const isCandidate = (
  variant: VariantDefinition,
  persona: string | null,
  stage: string | null,
  evaluationData: EvaluationData
): boolean =>
  (variant.persona === null || variant.persona === persona) &&
  (variant.stage === null || variant.stage === stage) &&
  (variant.rule === null || variant.rule(evaluationData));

const descending = (a: number, b: number): number => (a > b ? -1 : a < b ? 1 : 0);

/** Milliseconds of an ISO timestamp, or NaN. */
const timeOf = (iso: string): number => Date.parse(iso);

/** createdAt ascending: by time when both parse, else by text. */
const compareCreated = (a: string, b: string): number => {
  if (a === b) return 0;
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta === ta && tb === tb && ta !== tb) return ta < tb ? -1 : 1;
  return compareText(a, b);
};

/**
 * docs/architecture.md §5 step 5, the pick order: priority desc, specificity desc, createdAt asc, and
 * documentId asc so that the order is total (deterministic on every instance).
 */
type Ranked = Pick<
  VariantDefinition,
  'documentId' | 'persona' | 'stage' | 'priority' | 'createdAt'
>;

export const compareVariants = (a: Ranked, b: Ranked): number =>
  descending(a.priority, b.priority) ||
  descending(specificity(a), specificity(b)) ||
  compareCreated(a.createdAt, b.createdAt) ||
  compareText(a.documentId, b.documentId);

/**
 * The first variant in pick order that is `eligible`, or null. Neither sorts nor copies its
 * input, and asks `eligible` only about a variant that would come before the best so far, so
 * rules that cannot win are never evaluated.
 */
export const pickVariant = <Variant extends VariantDefinition>(
  variants: readonly Variant[],
  eligible: (variant: Variant) => boolean = () => true
): Variant | null => {
  let best: Variant | null = null;
  for (const variant of variants) {
    if ((best === null || compareVariants(variant, best) < 0) && eligible(variant)) best = variant;
  }
  return best;
};

/** What `shadowingVariant` needs of a variant: its pick-order fields and its rule as stored JSON. */
export interface StoredVariant extends Ranked {
  /** The rule as JSON-logic, null for none. */
  rule: unknown;
}

/**
 * The variant that wins every time `variant` is a candidate, so `variant` can never be served;
 * null when there is none. `other` always wins when it is a candidate wherever `variant` is (its
 * persona and stage are null or the same, its rule is absent or the same) and comes first in the
 * pick order. Rules are compared as written: two different rules that happen to match the same
 * visitors are not detected.
 */
export const shadowingVariant = <Variant extends StoredVariant>(
  variant: Variant,
  others: readonly Variant[]
): Variant | null => {
  const covers = (other: Variant) =>
    other.documentId !== variant.documentId &&
    (other.persona === null || other.persona === variant.persona) &&
    (other.stage === null || other.stage === variant.stage) &&
    (other.rule === null || sameJson(other.rule, variant.rule)) &&
    compareVariants(other, variant) < 0;
  return others.find(covers) ?? null;
};
