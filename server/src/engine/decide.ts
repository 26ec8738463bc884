import { classifyPersona, classifyStage } from './classification';
import { compareVariants, isCandidate, specificity } from './selection';
import type {
  Decision,
  EvaluationData,
  PersonaDefinition,
  Reason,
  StageDefinition,
  VariantDefinition,
  VariantTrace,
} from './types';

const REASON_BY_SPECIFICITY: readonly Reason[] = ['rule', 'stage', 'persona', 'persona+stage'];

/** Whether the context's `consent` says no to `purpose` (absent means yes). */
const refuses = (
  evaluationData: EvaluationData,
  purpose: 'personalization' | 'analytics'
): boolean => {
  const consent = evaluationData.consent;
  return (
    typeof consent === 'object' &&
    consent !== null &&
    (consent as Record<string, unknown>)[purpose] === false
  );
};

/** `consent.personalization === false`: no persona, stage or rule targeting (docs/architecture.md §5 step 1). */
export const refusesPersonalization = (evaluationData: EvaluationData) =>
  refuses(evaluationData, 'personalization');

/** `consent.analytics === false`: no event is stored for this visitor (docs/architecture.md §5 step 1). */
export const refusesAnalytics = (evaluationData: EvaluationData) =>
  refuses(evaluationData, 'analytics');

const quoted = (value: string) => JSON.stringify(value);

/** Why `variant`, a candidate, lost to `winner`, in editors' words. */
const lostTo = (variant: VariantDefinition, winner: VariantDefinition): string => {
  const name = quoted(winner.name);
  if (winner.priority !== variant.priority) return `lost to ${name} (higher priority)`;
  if (specificity(winner) !== specificity(variant)) return `lost to ${name} (more specific)`;
  if (winner.createdAt !== variant.createdAt) return `lost to ${name} (created earlier)`;
  return `lost to ${name} (same priority, specificity and creation time; ordered by document id)`;
};

const mismatch = (kind: 'persona' | 'stage', required: string, visitor: string | null): string =>
  `${kind} ${quoted(required)} required, visitor ${
    visitor === null ? `has no ${kind}` : `is ${quoted(visitor)}`
  }`;

const traceOf = (
  variants: readonly VariantDefinition[],
  persona: string | null,
  stage: string | null,
  evaluationData: EvaluationData,
  picked: VariantDefinition | null
): VariantTrace[] =>
  variants
    .slice()
    .sort(compareVariants)
    .map((variant) => {
      const personaMatched = variant.persona === null || variant.persona === persona;
      const stageMatched = variant.stage === null || variant.stage === stage;
      // Every rule is evaluated here (also of variants ruled out by persona or stage), to explain.
      const ruleMatched = variant.rule === null ? null : variant.rule(evaluationData);
      const candidate = personaMatched && stageMatched && ruleMatched !== false;
      const isPicked = variant === picked;
      const reasons: string[] = [];
      if (!personaMatched) reasons.push(mismatch('persona', variant.persona as string, persona));
      if (!stageMatched) reasons.push(mismatch('stage', variant.stage as string, stage));
      if (ruleMatched === false) reasons.push('rule did not match');
      const note = isPicked
        ? 'picked'
        : reasons.length > 0
          ? reasons.join('; ')
          : picked !== null
            ? lostTo(variant, picked)
            : 'not picked';
      return {
        documentId: variant.documentId,
        name: variant.name,
        persona: variant.persona,
        stage: variant.stage,
        personaMatched,
        stageMatched,
        ruleMatched,
        candidate,
        picked: isPicked,
        note,
      };
    });

const noConsentTrace = (variants: readonly VariantDefinition[]): VariantTrace[] =>
  variants
    .slice()
    .sort(compareVariants)
    .map((variant) => ({
      documentId: variant.documentId,
      name: variant.name,
      persona: variant.persona,
      stage: variant.stage,
      personaMatched: variant.persona === null,
      stageMatched: variant.stage === null,
      ruleMatched: null,
      candidate: false,
      picked: false,
      note: 'the visitor did not consent to personalization',
    }));

/**
 * docs/architecture.md §5 steps 1–5: consent, persona, stage, candidates, pick. Pure and deterministic.
 * Without `trace`, nothing is allocated beyond the decision (this runs on every request).
 * With `trace`, every variant is listed in pick order with why it was or was not picked.
 */
export const resolve = <Variant extends VariantDefinition>(input: {
  personas: readonly PersonaDefinition[];
  stages: readonly StageDefinition[];
  variants: readonly Variant[];
  evaluationData: EvaluationData;
  trace?: boolean;
}): Decision<Variant> => {
  const { personas, stages, variants, evaluationData } = input;
  if (refusesPersonalization(evaluationData)) {
    const decision: Decision<Variant> = {
      persona: null,
      personaSource: null,
      stage: null,
      stageSource: null,
      variant: null,
      reason: 'no-consent',
      warnings: [],
    };
    if (input.trace) decision.trace = noConsentTrace(variants);
    return decision;
  }

  const persona = classifyPersona(personas, evaluationData);
  const stage = classifyStage(stages, evaluationData);
  let picked: Variant | null = null;
  for (const variant of variants) {
    if (
      (picked === null || compareVariants(variant, picked) < 0) &&
      isCandidate(variant, persona.persona, stage.stage, evaluationData)
    ) {
      picked = variant;
    }
  }
  const warnings = persona.warnings;
  for (const warning of stage.warnings) warnings.push(warning);

  const decision: Decision<Variant> = {
    persona: persona.persona,
    personaSource: persona.source,
    stage: stage.stage,
    stageSource: stage.source,
    variant: picked,
    reason: picked === null ? 'default' : REASON_BY_SPECIFICITY[specificity(picked)],
    warnings,
  };
  if (input.trace)
    decision.trace = traceOf(variants, persona.persona, stage.stage, evaluationData, picked);
  return decision;
};
