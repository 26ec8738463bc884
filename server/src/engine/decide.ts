import { classifyPersona, classifyStage } from './classification';
import { applyExperiments, applyForcedArm, type ExperimentDefinition } from './experiments';
import { inHoldout, type HoldoutDefinition } from './holdout';
import { isCandidate, pickVariant, specificity } from './selection';
import { traceOf } from './trace';
import type {
  Decision,
  EvaluationData,
  PersonaDefinition,
  PreviewForce,
  Reason,
  StageDefinition,
  VariantDefinition,
} from './types';

const REASON_BY_SPECIFICITY: readonly Reason[] = ['rule', 'stage', 'persona', 'persona+stage'];

/** Why a variant is served, by what it targets (its specificity, selection.ts). */
export const reasonOf = (variant: Pick<VariantDefinition, 'persona' | 'stage'>): Reason =>
  REASON_BY_SPECIFICITY[specificity(variant)];

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

/** Who a visitor counts as in the impact report: personalized, or kept on the base content. */
export type Population = 'personalized' | 'holdout';

/** A visitor's exposure in the impact report: the persona and stage they got, or would have got. */
export interface ImpactExposure {
  population: Population;
  persona: string | null;
  stage: string | null;
}

/**
 * The impact exposure a decision counts as: only while the holdout is on, and only for an entry
 * with variants (any other entry is the same for everyone). `classified`: what the visitor got
 * or, held out, would have got.
 */
export const impactExposureOf = (
  holdout: HoldoutDefinition | undefined,
  entryHasVariants: boolean,
  heldOut: boolean,
  classified: { persona: string | null; stage: string | null }
): ImpactExposure | null =>
  holdout !== undefined && holdout.share > 0 && entryHasVariants
    ? {
        population: heldOut ? 'holdout' : 'personalized',
        persona: classified.persona,
        stage: classified.stage,
      }
    : null;

/**
 * What a decision served to a visitor who allows analytics adds to the reports, besides an
 * experiment's exposure: the variant's reach, and its impact exposure. The delivery records its
 * own decisions with it, and the edge sends its decisions to the events route with it.
 */
export const decisionRecords = (
  decision: Decision<VariantDefinition>,
  holdout: HoldoutDefinition | undefined,
  entryHasVariants: boolean
): { reach: string | null; impact: ImpactExposure | null } => {
  const heldOut = decision.reason === 'holdout';
  return {
    reach: decision.variant?.documentId ?? null,
    impact: impactExposureOf(
      holdout,
      entryHasVariants,
      heldOut,
      heldOut ? (decision.wouldBe ?? { persona: null, stage: null }) : decision
    ),
  };
};

/** The decision that serves the base entry: nobody classified, no variant. Defined once. */
export const emptyDecision = (
  reason: 'default' | 'no-consent' | 'holdout' = 'default'
): Decision<never> => ({
  persona: null,
  personaSource: null,
  stage: null,
  stageSource: null,
  variant: null,
  reason,
  warnings: [],
});

/** What one decision is made from: the entry's targeting data and the visitor. */
export interface DecisionInput<Variant extends VariantDefinition> {
  personas: readonly PersonaDefinition[];
  stages: readonly StageDefinition[];
  /** The entry's variants in the requested locale. */
  variants: readonly Variant[];
  /** The experiments that may decide for the entry, in the order they are tried. */
  experiments: readonly ExperimentDefinition[];
  /** null: the request carries no visitor context, so everyone gets the base entry. */
  evaluationData: EvaluationData | null;
  /** List every variant with why it was or was not picked (the preview). */
  trace?: boolean;
  /**
   * The furthest stage the visitor's profile remembers (when stages are sticky): it wins over a
   * rule-matched stage that is not as far along, never over an explicit one.
   */
  stageReached?: string | null;
  /** The global holdout: a held-out visitor gets the base entry (step 0). */
  holdout?: HoldoutDefinition;
  /** Arm keys by experiment key: the arms of the visitor's first exposures (bandits keep them). */
  rememberedArms?: ReadonlyMap<string, string>;
  /** A verified preview link: what it forces wins over the context, the holdout and consent. */
  preview?: PreviewForce | null;
}

/** The evaluation data with what a preview link forces, as if the context had named it. */
const forcedData = (evaluationData: EvaluationData, preview: PreviewForce): EvaluationData => {
  const data = Object.assign(Object.create(null) as Record<string, unknown>, evaluationData);
  if (preview.persona !== undefined) data.persona = preview.persona;
  if (preview.stage !== undefined) data.stage = preview.stage;
  return data;
};

/** The classified stage, or the remembered one when it is further along the journey. */
const furthestStage = (
  stages: readonly StageDefinition[],
  classified: ReturnType<typeof classifyStage>,
  reached: string | null | undefined
): ReturnType<typeof classifyStage> => {
  if (!reached || classified.source === 'explicit' || classified.stage === reached) {
    return classified;
  }
  const remembered = stages.find((stage) => stage.slug === reached);
  if (remembered === undefined) return classified;
  const current = stages.find((stage) => stage.slug === classified.stage);
  return current === undefined || remembered.order > current.order
    ? { stage: remembered.slug, source: 'profile', warnings: classified.warnings }
    : classified;
};

/** `decide`, its trace made by `explain` (trace.ts traceOf), or not at all (null). */
const decideExplained = <Variant extends VariantDefinition>(
  input: Omit<DecisionInput<Variant>, 'trace'>,
  explain: typeof traceOf | null
): Decision<Variant> => {
  const { personas, stages, variants, experiments } = input;
  const preview = input.preview ?? null;
  if (input.evaluationData === null) {
    const decision: Decision<Variant> = emptyDecision();
    if (explain) decision.trace = explain(variants, { untried: 'no-context' });
    return decision;
  }
  const evaluationData =
    preview === null ? input.evaluationData : forcedData(input.evaluationData, preview);
  // Only an entry with something to hold back holds a visitor out: any other entry is the same
  // for everyone, so its answer (and what a shared cache keeps of it) says `default`.
  const holdsBack = variants.length > 0 || experiments.length > 0;
  if (
    preview === null &&
    holdsBack &&
    input.holdout &&
    inHoldout(input.holdout, evaluationData.visitorId)
  ) {
    const decision: Decision<Variant> = emptyDecision('holdout');
    if (!refusesPersonalization(evaluationData)) {
      decision.wouldBe = {
        persona: classifyPersona(personas, evaluationData).persona,
        stage: furthestStage(stages, classifyStage(stages, evaluationData), input.stageReached)
          .stage,
      };
    }
    if (explain) decision.trace = explain(variants, { untried: 'holdout' });
    return decision;
  }
  let decision: Decision<Variant>;
  if (preview === null && refusesPersonalization(evaluationData)) {
    decision = emptyDecision('no-consent');
    if (explain) decision.trace = explain(variants, { untried: 'no-consent' });
  } else {
    const persona = classifyPersona(personas, evaluationData);
    const stage = furthestStage(stages, classifyStage(stages, evaluationData), input.stageReached);
    const picked = pickVariant(variants, (variant) =>
      isCandidate(variant, persona.persona, stage.stage, evaluationData)
    );
    const warnings = persona.warnings;
    for (const warning of stage.warnings) warnings.push(warning);
    decision = {
      persona: persona.persona,
      personaSource: persona.source,
      stage: stage.stage,
      stageSource: stage.source,
      variant: picked,
      reason: picked === null ? 'default' : reasonOf(picked),
      warnings,
    };
    if (explain) {
      decision.trace = explain(variants, {
        persona: persona.persona,
        stage: stage.stage,
        evaluationData,
        picked,
      });
    }
  }
  if (preview !== null) {
    return {
      ...applyForcedArm(decision, experiments, variants, evaluationData, preview),
      reason: 'preview',
    };
  }
  // Experiments assign with or without consent to personalization (step 1).
  return experiments.length === 0
    ? decision
    : applyExperiments(decision, experiments, variants, evaluationData, input.rememberedArms);
};

/**
 * The whole decision for one entry, docs/architecture.md §5 steps 0–6: holdout, consent, persona,
 * stage, candidates, pick, then experiments. Pure and deterministic. Without `trace`, nothing is
 * allocated beyond the decision (this runs on every request). The trace explains steps 1–5:
 * `picked` is step 5's pick, which an experiment may then replace. A preview link skips the
 * holdout and consent (nothing is recorded for it), forces what it names, and is the reason.
 */
export const decide = <Variant extends VariantDefinition>(
  input: DecisionInput<Variant>
): Decision<Variant> => decideExplained(input, input.trace ? traceOf : null);

/**
 * `decide` without a trace, for a bundle that never asks for one (the edge's): the trace's code,
 * out of this function's reach, stays out of it.
 */
export const decideWithoutTrace = <Variant extends VariantDefinition>(
  input: Omit<DecisionInput<Variant>, 'trace'>
): Decision<Variant> => decideExplained(input, null);
