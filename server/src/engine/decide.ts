import { classifyPersona, classifyStage } from './classification';
import { applyExperiments, applyForcedArm, type ExperimentDefinition } from './experiments';
import { inHoldout, type HoldoutDefinition } from './holdout';
import { fillTemplate, TRACE_MESSAGES, type MessageValues, type TraceCode } from './messages';
import { compareVariants, isCandidate, pickVariant, specificity } from './selection';
import type {
  Decision,
  EvaluationData,
  PersonaDefinition,
  PreviewForce,
  Reason,
  StageDefinition,
  TraceNote,
  VariantDefinition,
  VariantTrace,
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

const note = (code: TraceCode, values?: MessageValues): TraceNote =>
  values ? { code, values } : { code };

/** The notes as one English sentence. */
const sentence = (why: readonly TraceNote[]) =>
  why.map(({ code, values }) => fillTemplate(TRACE_MESSAGES[code], values)).join('; ');

/** Why `variant`, a candidate, lost to `winner`. */
const lostTo = (variant: VariantDefinition, winner: VariantDefinition): TraceNote => {
  const values = { winner: winner.name };
  if (winner.priority !== variant.priority) return note('lost-priority', values);
  if (specificity(winner) !== specificity(variant)) return note('lost-specificity', values);
  if (winner.createdAt !== variant.createdAt) return note('lost-created', values);
  return note('lost-order', values);
};

const mismatch = (
  kind: 'persona' | 'stage',
  required: string,
  visitor: string | null
): TraceNote =>
  visitor === null
    ? note(`${kind}-missing`, { required })
    : note(`${kind}-mismatch`, { required, visitor });

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
      const reasons: TraceNote[] = [];
      if (!personaMatched) reasons.push(mismatch('persona', variant.persona as string, persona));
      if (!stageMatched) reasons.push(mismatch('stage', variant.stage as string, stage));
      if (ruleMatched === false) reasons.push(note('rule-no-match'));
      const why = isPicked
        ? [note('picked')]
        : reasons.length > 0
          ? reasons
          : [picked !== null ? lostTo(variant, picked) : note('not-picked')];
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
        note: sentence(why),
        why,
      };
    });

/** Every variant in pick order, none picked, for the same reason: when no rule was evaluated. */
const untriedTrace = (
  variants: readonly VariantDefinition[],
  code: 'no-context' | 'no-consent' | 'holdout'
): VariantTrace[] =>
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
      note: TRACE_MESSAGES[code],
      why: [note(code)],
    }));

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

/**
 * The whole decision for one entry, docs/architecture.md §5 steps 0–6: holdout, consent, persona,
 * stage, candidates, pick, then experiments. Pure and deterministic. Without `trace`, nothing is
 * allocated beyond the decision (this runs on every request). The trace explains steps 1–5:
 * `picked` is step 5's pick, which an experiment may then replace. A preview link skips the
 * holdout and consent (nothing is recorded for it), forces what it names, and is the reason.
 */
export const decide = <Variant extends VariantDefinition>(
  input: DecisionInput<Variant>
): Decision<Variant> => {
  const { personas, stages, variants, experiments } = input;
  const preview = input.preview ?? null;
  if (input.evaluationData === null) {
    const decision: Decision<Variant> = emptyDecision();
    if (input.trace) {
      decision.trace = untriedTrace(variants, 'no-context');
    }
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
    if (input.trace) {
      decision.trace = untriedTrace(variants, 'holdout');
    }
    return decision;
  }
  let decision: Decision<Variant>;
  if (preview === null && refusesPersonalization(evaluationData)) {
    decision = emptyDecision('no-consent');
    if (input.trace) {
      decision.trace = untriedTrace(variants, 'no-consent');
    }
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
    if (input.trace) {
      decision.trace = traceOf(variants, persona.persona, stage.stage, evaluationData, picked);
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
