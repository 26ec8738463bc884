import { compareText } from './classification';
import type { EvaluationData, VariantDefinition } from './types';

/** How narrowly a variant targets: persona+stage 3, persona only 2, stage only 1, neither 0. */
export const specificity = (
  variant: Pick<VariantDefinition, 'persona' | 'stage'>
): 0 | 1 | 2 | 3 =>
  variant.persona !== null ? (variant.stage !== null ? 3 : 2) : variant.stage !== null ? 1 : 0;

/**
 * DESIGN.md §5 step 4: the variant's persona is null or the visitor's, its stage null or the
 * visitor's, and its rule absent or truthy (evaluated last, only when the rest holds).
 */
export const isCandidate = (
  variant: VariantDefinition,
  persona: string | null,
  stage: string | null,
  data: EvaluationData
): boolean =>
  (variant.persona === null || variant.persona === persona) &&
  (variant.stage === null || variant.stage === stage) &&
  (variant.rule === null || variant.rule(data));

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
 * DESIGN.md §5 step 5, the pick order: priority desc, specificity desc, createdAt asc, and
 * documentId asc so that the order is total (deterministic on every instance).
 */
export const compareVariants = (a: VariantDefinition, b: VariantDefinition): number =>
  descending(a.priority, b.priority) ||
  descending(specificity(a), specificity(b)) ||
  compareCreated(a.createdAt, b.createdAt) ||
  compareText(a.documentId, b.documentId);

/** The first candidate in pick order, or null. Neither sorts nor copies its input. */
export const pickVariant = <Variant extends VariantDefinition>(
  candidates: readonly Variant[]
): Variant | null => {
  let best: Variant | null = null;
  for (const candidate of candidates) {
    if (best === null || compareVariants(candidate, best) < 0) best = candidate;
  }
  return best;
};
