import { z } from 'zod';

import { CONTROL_ARM } from '../engine/experiments';
import { MESSAGES, refinement } from '../engine/messages';
import type { ArmResult, ArmSources, ExperimentArm } from '../engine/types';
import {
  documentFields,
  jsonLogicRuleSchema,
  listQueryFields,
  listResponseSchema,
  locale,
  targetDocumentId,
  targetUid,
  name,
} from './common';
import { eventName } from './events';
import { targetSummarySchema } from './targets';

/** Experiments: `/personalize/experiments`. */

/** `scheduled`: started with a `startAt` still ahead; the schedule job starts it then. */
export const EXPERIMENT_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
] as const;
export const experimentStatusSchema = z.enum(EXPERIMENT_STATUSES);
export type ExperimentStatus = z.infer<typeof experimentStatusSchema>;

const armKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, MESSAGES['field.armKey']);

const armSchema = z.strictObject({
  key: armKey,
  variant: z.string().min(1).max(64).nullable(),
  weight: z.number().positive().max(1_000_000),
});

const armsSchema = z
  .array(armSchema)
  .min(2)
  .max(10)
  .refine(
    (arms) => arms.filter((arm) => arm.key === CONTROL_ARM).length === 1,
    refinement('experiment.controlArm', { key: CONTROL_ARM })
  )
  .refine(
    (arms) => new Set(arms.map((arm) => arm.key)).size === arms.length,
    MESSAGES['experiment.armKeysUnique']
  );

/** `fixed`: the arms' weights as set; `bandit`: reweighted by Thompson sampling on the primary goal. */
export const EXPERIMENT_MODES = ['fixed', 'bandit'] as const;
export const experimentModeSchema = z.enum(EXPERIMENT_MODES);
export type ExperimentMode = z.infer<typeof experimentModeSchema>;

/** At most this many secondary goals: results show each; only the primary one decides. */
export const MAX_SECONDARY_GOALS = 5;

/** An ISO 8601 date-time with its offset, or null to clear it. */
const scheduleTime = z.iso.datetime({ offset: true }).nullable();

export const experimentBodySchema = z.strictObject({
  name,
  key: z
    .string()
    .min(1)
    .max(120)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, MESSAGES['field.key'])
    .optional(),
  targetUid,
  targetDocumentId,
  locale: locale.nullable().optional(),
  arms: armsSchema,
  trafficAllocation: z.number().gt(0).max(1).optional(),
  audience: z.unknown().optional(),
  goal: eventName,
  secondaryGoals: z
    .array(eventName)
    .max(MAX_SECONDARY_GOALS)
    .refine((goals) => new Set(goals).size === goals.length, MESSAGES['experiment.goalsUnique'])
    .optional(),
  mode: experimentModeSchema.optional(),
  /** When it starts by itself (Start then schedules it); null: when started. */
  startAt: scheduleTime.optional(),
  /** When it completes by itself, without a winner (the base is served again). */
  endAt: scheduleTime.optional(),
});

export const experimentUpdateBodySchema = experimentBodySchema.partial();

export const experimentListQuerySchema = z.strictObject({
  targetUid: z.string().max(256).optional(),
  targetDocumentId: z.string().max(64).optional(),
  status: experimentStatusSchema.optional(),
  ...listQueryFields(['targetUid', 'status'], ['name', 'status', 'traffic', 'goal']),
});
export type ExperimentListQuery = z.input<typeof experimentListQuerySchema>;

/** `POST /experiments/:documentId/complete`: the winning arm's key, or null for none. */
export const completeBodySchema = z.strictObject({ winner: armKey.nullable() });

/** Rates and effects a sample size can be planned for (0.01 % to 99.99 %, +0.1 % to +10,000 %). */
export const sampleSizeQuerySchema = z.strictObject({
  baselineRate: z.coerce.number().min(0.0001).max(0.9999),
  minimumDetectableEffect: z.coerce.number().min(0.001).max(100),
});

/** Which conversions results count: all, or only those sent with an API token (a backend). */
export const conversionFilterSchema = z.enum(['all', 'trusted']);
export type ConversionFilter = z.infer<typeof conversionFilterSchema>;

export const resultsQuerySchema = z.strictObject({
  conversions: conversionFilterSchema.default('all'),
});

/** An arm: the base entry (`variant: null`) or a variant documentId of the same entry. */
export const experimentArmSchema = z.custom<ExperimentArm>();

export const experimentSchema = z.strictObject({
  ...documentFields,
  name: z.string(),
  key: z.string(),
  targetUid: z.string(),
  targetDocumentId: z.string().nullable(),
  /** null: every locale. */
  locale: z.string().nullable(),
  status: experimentStatusSchema,
  arms: z.array(experimentArmSchema),
  trafficAllocation: z.number(),
  audience: jsonLogicRuleSchema,
  goal: z.string(),
  secondaryGoals: z.array(z.string()),
  mode: experimentModeSchema,
  startAt: z.string().nullable(),
  endAt: z.string().nullable(),
  seed: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  winner: z.string().nullable(),
});
export type Experiment = z.infer<typeof experimentSchema>;

/** A bandit's weights from `at` on (the first entry: the weights it started with). */
export const banditWeightsSchema = z.strictObject({
  at: z.string(),
  arms: z.record(z.string(), z.number()),
});
export type BanditWeights = z.infer<typeof banditWeightsSchema>;

/**
 * An experiment in the list: with its visitors so far, the arm converting best and its entry
 * named as the Content Manager names it.
 */
export const experimentListItemSchema = experimentSchema.extend({
  totalVisitors: z.number().int(),
  leadingArm: z.string().nullable(),
  target: targetSummarySchema,
});
export type ExperimentListItem = z.infer<typeof experimentListItemSchema>;

export const experimentListSchema = listResponseSchema(experimentListItemSchema);

export const dailyCountsSchema = z.strictObject({
  date: z.string(),
  arm: z.string(),
  visitors: z.number().int(),
  conversions: z.number().int(),
});
export type DailyCounts = z.infer<typeof dailyCountsSchema>;

/** One secondary goal's statistics per arm: shown, never deciding significance or the bandit. */
export const secondaryGoalResultSchema = z.strictObject({
  goal: z.string(),
  arms: z.array(z.custom<ArmResult>()),
});
export type SecondaryGoalResult = z.infer<typeof secondaryGoalResultSchema>;

/**
 * The planned horizon: when it started and ends, the visitors per day so far and the total
 * that rate reaches by `endAt` (null without an end or without visitors yet).
 */
export const horizonSchema = z.strictObject({
  startAt: z.string().nullable(),
  endAt: z.string().nullable(),
  visitorsPerDay: z.number().nullable(),
  projectedVisitors: z.number().int().nullable(),
});
export type Horizon = z.infer<typeof horizonSchema>;

/** `GET /experiments/:documentId/results`; each arm's statistics are computed by the engine. */
export const experimentResultsSchema = z.strictObject({
  mode: experimentModeSchema,
  /** Bandits: `probabilityBest` on each arm, rates weighted by period, no p-values. */
  arms: z.array(z.custom<ArmResult>()),
  secondary: z.array(secondaryGoalResultSchema),
  /** Bandits only: every reweighting, oldest first; empty for a fixed experiment. */
  weights: z.array(banditWeightsSchema),
  horizon: horizonSchema,
  srm: z.strictObject({ pValue: z.number().nullable(), mismatch: z.boolean() }),
  totalVisitors: z.number().int(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  sequential: z.boolean(),
  daily: z.array(dailyCountsSchema),
  integrity: z.strictObject({
    conversionsCounted: conversionFilterSchema,
    /** Exposures not recorded because their address was over its event budget. */
    withheldExposures: z.number().int(),
    arms: z.array(z.custom<ArmSources>()),
  }),
});
export type ExperimentResults = z.infer<typeof experimentResultsSchema>;

/** `GET /experiments/sample-size`: visitors each arm needs for the planned effect. */
export const sampleSizeSchema = z.strictObject({
  visitorsPerArm: z.number().int(),
  baselineRate: z.number(),
  minimumDetectableEffect: z.number(),
  alpha: z.number(),
  power: z.number(),
});
export type SampleSize = z.infer<typeof sampleSizeSchema>;

/** What `POST /experiments/:documentId/promote` wrote: the base entry's draft to review. */
export const promotionSchema = z.strictObject({
  targetUid: z.string(),
  documentId: z.string().nullable(),
  locale: z.string(),
  attributes: z.array(z.string()),
});
export type Promotion = z.infer<typeof promotionSchema>;
