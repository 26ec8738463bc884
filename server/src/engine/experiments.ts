import { hash32 } from './segment';
import type {
  CompiledRule,
  Decision,
  EvaluationData,
  ExperimentArm,
  PreviewForce,
  VariantDefinition,
} from './types';

/** An experiment as assignment needs it (docs/architecture.md §5 step 6). */
export interface ExperimentDefinition {
  documentId: string;
  key: string;
  /** Random, generated at creation: the same visitor lands in unrelated arms across experiments. */
  seed: string;
  /** null = every locale. */
  locale: string | null;
  status: 'running' | 'completed';
  /** The arm key every would-be participant gets once completed; null while running. */
  winner: string | null;
  arms: readonly ExperimentArm[];
  /** 0 < x ≤ 1: the share of the audience that takes part. */
  trafficAllocation: number;
  audience: CompiledRule | null;
  goal: string;
}

export const CONTROL_ARM = 'control';

const TWO_TO_THE_32 = 2 ** 32;

/**
 * The visitor's position in [0, 1) for one purpose (`salt`) of one experiment:
 * MurmurHash3 x86 32-bit of `seed:experimentKey:visitorId` (plus `:salt`), over 2^32.
 */
export const bucketOf = (seed: string, experimentKey: string, visitorId: string, salt = '') =>
  hash32(`${seed}:${experimentKey}:${visitorId}${salt === '' ? '' : `:${salt}`}`) / TWO_TO_THE_32;

/**
 * The arm at `position` in [0, 1) by cumulative weight. The last arm also takes what floating
 * point rounding leaves above the sum of the weights.
 */
export const armAt = <Arm extends ExperimentArm>(arms: readonly Arm[], position: number): Arm => {
  let cumulative = 0;
  for (const arm of arms) {
    cumulative += arm.weight;
    if (position < cumulative) return arm;
  }
  return arms[arms.length - 1];
};

/** Whether the visitor falls inside the traffic allocation (a monotone rollout: raising it keeps everyone in). */
export const inTraffic = (experiment: ExperimentDefinition, visitorId: string) =>
  bucketOf(experiment.seed, experiment.key, visitorId) < experiment.trafficAllocation;

/**
 * The arm a visitor takes part with, by bucketing alone (no audience): null outside the traffic
 * allocation. A second hash with another salt picks the arm, so that the arm does not depend on
 * the allocation: raising the traffic never moves a visitor to another arm.
 */
export const bucketArm = (experiment: ExperimentDefinition, visitorId: string) =>
  inTraffic(experiment, visitorId)
    ? armAt(experiment.arms, bucketOf(experiment.seed, experiment.key, visitorId, 'arm'))
    : null;

const visitorIdOf = (evaluationData: EvaluationData): string | null =>
  typeof evaluationData.visitorId === 'string' && evaluationData.visitorId !== ''
    ? evaluationData.visitorId
    : null;

/**
 * docs/architecture.md §5 step 6 for one experiment: the arm this visitor gets, or null when the experiment
 * does not decide (no visitorId, outside the audience or the traffic allocation). `remembered`:
 * the arm of the visitor's first exposure, which they keep. Once completed with a winner, every
 * would-be participant gets the winner.
 */
export const assignArm = (
  experiment: ExperimentDefinition,
  evaluationData: EvaluationData,
  remembered?: string
): ExperimentArm | null => {
  const visitorId = visitorIdOf(evaluationData);
  if (visitorId === null) return null;
  if (experiment.status === 'completed' && experiment.winner === null) return null;
  if (experiment.audience !== null && !experiment.audience(evaluationData)) return null;
  // A bandit's visitor keeps the arm of their first exposure whatever the weights are now.
  const arm =
    (remembered === undefined
      ? undefined
      : experiment.arms.find((candidate) => candidate.key === remembered)) ??
    bucketArm(experiment, visitorId);
  if (arm === null || experiment.status === 'running') return arm;
  return experiment.arms.find((candidate) => candidate.key === experiment.winner) ?? null;
};

/** Weights scaled to sum to 1 (they are validated > 0). */
export const normalizeWeights = <Arm extends { weight: number }>(arms: readonly Arm[]): Arm[] => {
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  return arms.map((arm) => ({ ...arm, weight: arm.weight / total }));
};

/** The variant an arm serves: null for the base, undefined when it is not published here. */
const armVariant = <Variant extends VariantDefinition>(
  arm: ExperimentArm,
  variants: readonly Variant[]
): Variant | null | undefined =>
  arm.variant === null ? null : variants.find((item) => item.documentId === arm.variant);

/**
 * Step 6 on top of steps 1–5: the first experiment (running ones first) that assigns this visitor
 * an arm it can serve replaces the pick. An arm whose variant is not published in this locale
 * cannot be served, so that experiment does not decide here.
 */
export const applyExperiments = <Variant extends VariantDefinition>(
  decision: Decision<Variant>,
  experiments: readonly ExperimentDefinition[],
  variants: readonly Variant[],
  evaluationData: EvaluationData,
  rememberedArms?: ReadonlyMap<string, string>
): Decision<Variant> => {
  for (const experiment of experiments) {
    const arm = assignArm(experiment, evaluationData, rememberedArms?.get(experiment.key));
    if (arm === null) continue;
    const variant = armVariant(arm, variants);
    if (variant === undefined) continue;
    return {
      ...decision,
      variant,
      reason: 'experiment',
      experiment: { key: experiment.key, arm: arm.key },
    };
  }
  return decision;
};

/**
 * Step 6 under a preview link: only the experiment the link names decides, with the arm it
 * names (or else the winner, or the visitor's own arm), whatever the audience and the traffic
 * allocation. Without a named experiment, no experiment decides: the link shows the persona and
 * stage content.
 */
export const applyForcedArm = <Variant extends VariantDefinition>(
  decision: Decision<Variant>,
  experiments: readonly ExperimentDefinition[],
  variants: readonly Variant[],
  evaluationData: EvaluationData,
  preview: PreviewForce
): Decision<Variant> => {
  const experiment = experiments.find((item) => item.key === preview.experiment);
  if (experiment === undefined) return decision;
  const visitorId = visitorIdOf(evaluationData);
  // Without a named arm: the winner once there is one, else the visitor's own arm.
  const key = preview.arm ?? experiment.winner;
  const arm =
    key === null
      ? visitorId === null
        ? null
        : armAt(experiment.arms, bucketOf(experiment.seed, experiment.key, visitorId, 'arm'))
      : experiment.arms.find((candidate) => candidate.key === key);
  if (!arm) return decision;
  const variant = armVariant(arm, variants);
  if (variant === undefined) return decision;
  return { ...decision, variant, experiment: { key: experiment.key, arm: arm.key } };
};
