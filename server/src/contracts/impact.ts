import { z } from 'zod';

import { eventName } from './events';

/** The personalization impact report: `GET /personalize/impact`. */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC date, YYYY-MM-DD');

/** Days reported by default: the last 30 (today included). */
export const IMPACT_DEFAULT_DAYS = 30;

export const impactQuerySchema = z.strictObject({
  /** One goal; every goal converted in the range when left out. */
  goal: eventName.optional(),
  /** First and last UTC day counted (default: the last 30 days). */
  from: day.optional(),
  to: day.optional(),
});
export type ImpactQuery = z.input<typeof impactQuerySchema>;

/** One population's visitors (exposed in the range) and how many of them converted. */
export const populationCountsSchema = z.strictObject({
  visitors: z.number().int(),
  conversions: z.number().int(),
  /** null without visitors. */
  rate: z.number().nullable(),
});
export type PopulationCounts = z.infer<typeof populationCountsSchema>;

/** Personalized visitors against the holdout for one goal (engine/impact.ts). */
export const impactGoalSchema = z.strictObject({
  goal: z.string(),
  personalized: populationCountsSchema,
  holdout: populationCountsSchema,
  /** Relative: rate personalized / rate holdout − 1. */
  uplift: z.number().nullable(),
  /** 95 % interval of `uplift`. */
  ci: z.tuple([z.number(), z.number()]).nullable(),
  /** Percentage points: rate personalized − rate holdout, and its 95 % interval. */
  absoluteUplift: z.number().nullable(),
  absoluteCi: z.tuple([z.number(), z.number()]).nullable(),
  pValueSequential: z.number().nullable(),
  srm: z.strictObject({ pValue: z.number().nullable(), mismatch: z.boolean() }),
});
export type ImpactGoal = z.infer<typeof impactGoalSchema>;

/**
 * One persona or stage (slug; null: none) and goal: personalized visitors classified so against
 * held-out visitors who would have been.
 */
export const impactSegmentSchema = impactGoalSchema.extend({ slug: z.string().nullable() });
export type ImpactSegment = z.infer<typeof impactSegmentSchema>;

/** Visitors exposed on one day and how many of them converted that day, per population. */
export const impactDaySchema = z.strictObject({
  date: z.string(),
  goal: z.string(),
  population: z.enum(['personalized', 'holdout']),
  visitors: z.number().int(),
  conversions: z.number().int(),
});
export type ImpactDay = z.infer<typeof impactDaySchema>;

export const impactReportSchema = z.strictObject({
  goals: z.array(impactGoalSchema),
  byPersona: z.array(impactSegmentSchema),
  byStage: z.array(impactSegmentSchema),
  daily: z.array(impactDaySchema),
  /** The holdout as set now (its share is what the SRM check expects). */
  holdout: z.strictObject({ share: z.number() }),
  from: z.string(),
  to: z.string(),
});
export type ImpactReport = z.infer<typeof impactReportSchema>;

export const impactResponseSchema = z.strictObject({ data: impactReportSchema });
