import type {
  CompiledRule,
  EvaluationData,
  PersonaDefinition,
  Source,
  StageDefinition,
} from './types';

/** Code-unit order of two strings: the same on every machine and locale, unlike localeCompare. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const descending = (a: number, b: number): number => (a > b ? -1 : a < b ? 1 : 0);

/** The order personas are tried in: priority desc, then name asc. */
export const comparePersonas = (a: PersonaDefinition, b: PersonaDefinition): number =>
  descending(a.priority, b.priority) || compareText(a.name, b.name);

/** The order stages are tried in: furthest first (order desc), then name asc. */
export const compareStages = (a: StageDefinition, b: StageDefinition): number =>
  descending(a.order, b.order) || compareText(a.name, b.name);

/** `items` in `compare` order; the same array when already sorted (a registry sorts once). */
const inOrder = <T>(items: readonly T[], compare: (a: T, b: T) => number): readonly T[] => {
  for (let i = 1; i < items.length; i++) {
    if (compare(items[i - 1], items[i]) > 0) return items.slice().sort(compare);
  }
  return items;
};

interface Classifiable {
  slug: string;
  rule: CompiledRule | null;
}

const classify = <Item extends Classifiable>(
  kind: 'persona' | 'stage',
  ordered: readonly Item[],
  explicit: unknown,
  evaluationData: EvaluationData
): { slug: string | null; source: Source | null; warnings: string[] } => {
  const warnings: string[] = [];
  if (typeof explicit === 'string' && explicit !== '') {
    for (const item of ordered) {
      if (item.slug === explicit) return { slug: item.slug, source: 'explicit', warnings };
    }
    // Frontends outlive renamed personas: an unknown slug is reported, never an error.
    warnings.push(`unknown ${kind} ${JSON.stringify(explicit)} ignored`);
  }
  for (const item of ordered) {
    if (item.rule !== null && item.rule(evaluationData)) {
      return { slug: item.slug, source: 'rule', warnings };
    }
  }
  return { slug: null, source: null, warnings };
};

/**
 * docs/architecture.md §5 step 2: an explicit `persona` naming an existing persona wins; otherwise the first
 * persona by priority desc, then name asc, whose rule is truthy. A persona without a rule is only
 * ever chosen explicitly.
 */
export const classifyPersona = (
  personas: readonly PersonaDefinition[],
  evaluationData: EvaluationData
): { persona: string | null; source: Source | null; warnings: string[] } => {
  const { slug, source, warnings } = classify(
    'persona',
    inOrder(personas, comparePersonas),
    evaluationData.persona,
    evaluationData
  );
  return { persona: slug, source, warnings };
};

/**
 * docs/architecture.md §5 step 3: an explicit `stage` naming an existing stage wins; otherwise stages are
 * tried from the furthest (order desc, then name asc) and the first truthy rule wins.
 */
export const classifyStage = (
  stages: readonly StageDefinition[],
  evaluationData: EvaluationData
): { stage: string | null; source: Source | null; warnings: string[] } => {
  const { slug, source, warnings } = classify(
    'stage',
    inOrder(stages, compareStages),
    evaluationData.stage,
    evaluationData
  );
  return { stage: slug, source, warnings };
};
