import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import {
  resultsQuerySchema,
  sampleSizeQuerySchema,
  type ExperimentListItem,
  type ExperimentResults,
  type Horizon,
  type SampleSize,
} from '../../contracts';
import {
  CONTROL_ARM,
  analyzeExperiment,
  periodWeightedComparison,
  periodWeightedRates,
  probabilityBest,
  sampleSizePerArm,
  seededRandom,
} from '../../engine';
import type { ArmResult } from '../../engine/types';

const NO_COUNTS = { visitors: 0, conversions: 0 };
import { messageOf } from '../../engine/messages';
import type { ContentAccess } from '../../utils/content-access';
import { getService } from '../../utils/get-service';
import { parseOrThrow } from '../../utils/validation';
import { isoOrNull, present, refuse, type ExperimentRows, type ExperimentRow } from './rows';

const DAY_MS = 86_400_000;

/**
 * The planned horizon: visitors per day since the start, and what that rate reaches by the end.
 * Less than an hour of data says nothing of a daily rate: null then.
 */
export const horizonOf = (row: ExperimentRow, totalVisitors: number, now: Date): Horizon => {
  const startAt = isoOrNull(row.startAt);
  const endAt = isoOrNull(row.endAt);
  const startedAt = row.startedAt ? new Date(row.startedAt).getTime() : null;
  const until = row.endedAt ? new Date(row.endedAt).getTime() : now.getTime();
  const elapsed = startedAt === null ? 0 : until - startedAt;
  const visitorsPerDay = elapsed >= 3_600_000 ? (totalVisitors / elapsed) * DAY_MS : null;
  const remaining = endAt === null ? null : Math.max(0, Date.parse(endAt) - until);
  return {
    startAt,
    endAt,
    visitorsPerDay,
    projectedVisitors:
      visitorsPerDay === null || remaining === null
        ? null
        : Math.round(totalVisitors + (visitorsPerDay * remaining) / DAY_MS),
  };
};

/** Results: each arm's statistics, where the events came from, and sample sizes to plan. */
export const experimentResults = (
  strapi: Core.Strapi,
  { experimentRows }: { experimentRows: ExperimentRows }
) => {
  const { rowFor } = experimentRows;
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  /**
   * A bandit's arms: rates weighted by the periods between reweightings (pooling them would mix
   * periods of different weights: Simpson's paradox), the uplift and its interval from those, the
   * chance each arm is best, and no p-value (reweighting on the data breaks its guarantees).
   */
  const banditArms = async (row: ExperimentRow, pooled: ArmResult[]): Promise<ArmResult[]> => {
    const periods = await getService(strapi, 'events').periodCounts(
      row.documentId,
      row.goal,
      (row.weightHistory ?? []).map((entry) => entry.at)
    );
    const weighted = periodWeightedRates(
      periods
        .map((period) =>
          row.arms.map((arm) => ({ key: arm.key, ...(period.get(arm.key) ?? NO_COUNTS) }))
        )
        .map((arms) => ({ arms }))
    );
    const best = probabilityBest(pooled, { random: seededRandom(row.seed) });
    const control = weighted.find((arm) => arm.key === CONTROL_ARM);
    return pooled.map((arm) => {
      const estimate = weighted.find((candidate) => candidate.key === arm.key);
      const comparison =
        control && estimate && arm.key !== CONTROL_ARM
          ? periodWeightedComparison(control, estimate)
          : null;
      return {
        ...arm,
        rate: estimate?.rate ?? arm.rate,
        uplift: comparison?.uplift ?? null,
        ciLow: comparison?.differenceCi?.[0] ?? null,
        ciHigh: comparison?.differenceCi?.[1] ?? null,
        pValue: null,
        pValueSequential: null,
        chanceToBeatControl: null,
        significant: false,
        probabilityBest: best[arm.key] ?? 0,
      };
    });
  };

  /**
   * Visitors and conversions per arm of many experiments, for the list's leading arm (the list
   * adds the entries' names).
   */
  const listSummaries = async (
    rows: ExperimentRow[]
  ): Promise<Omit<ExperimentListItem, 'target'>[]> => {
    const counts = await getService(strapi, 'events').armCounts(
      rows.map((row) => ({ documentId: row.documentId, goal: row.goal }))
    );
    return rows.map((row) => {
      const arms = counts.get(row.documentId) ?? new Map();
      let totalVisitors = 0;
      let leadingArm: string | null = null;
      let leadingRate = -1;
      for (const arm of row.arms) {
        const { visitors = 0, conversions = 0 } = arms.get(arm.key) ?? {};
        totalVisitors += visitors;
        if (visitors > 0 && conversions / visitors > leadingRate) {
          leadingRate = conversions / visitors;
          leadingArm = arm.key;
        }
      }
      return { ...present(row), totalVisitors, leadingArm };
    });
  };

  return {
    listSummaries,

    /**
     * The statistics of each arm, and where the events came from (`integrity`). With
     * `?conversions=trusted`, only conversions trusted backends sent count (purchases that a
     * server confirmed, which no browser can fake).
     */
    async results(
      access: ContentAccess,
      documentId: string,
      input: unknown = {}
    ): Promise<ExperimentResults> {
      const { conversions: counted } = parseOrThrow(resultsQuerySchema, input, 'query');
      const row = await rowFor(access, 'read', documentId);
      const events = getService(strapi, 'events');
      const [{ visitors, conversions, daily }, integrity] = await Promise.all([
        events.counts(documentId, row.goal, counted),
        events.integrity(
          documentId,
          row.goal,
          row.arms.map((arm) => arm.key)
        ),
      ]);
      // Only completion (the planned horizon) may use the fixed-horizon p-value; a running or
      // paused experiment is still being watched, so the always-valid sequential one judges it.
      const sequential = row.status !== 'completed';
      const analyze = (counts: {
        visitors: Map<string, number>;
        conversions: Map<string, number>;
      }) =>
        analyzeExperiment({
          arms: row.arms.map((arm) => ({
            key: arm.key,
            variant: arm.variant,
            weight: arm.weight,
            visitors: counts.visitors.get(arm.key) ?? 0,
            conversions: counts.conversions.get(arm.key) ?? 0,
          })),
          controlKey: CONTROL_ARM,
          sequential,
          sequentialTuning: config().sequentialExpectedVisitors,
        });
      const analysis = analyze({ visitors, conversions });
      const bandit = row.mode === 'bandit';
      const arms = bandit ? await banditArms(row, analysis.arms) : analysis.arms;
      // Secondary goals are shown, never deciding: only the primary goal may be significant.
      const secondary = await Promise.all(
        (row.secondaryGoals ?? []).map(async (goal) => ({
          goal,
          arms: analyze(await events.counts(documentId, goal, counted)).arms.map((arm) => ({
            ...arm,
            significant: false,
          })),
        }))
      );
      const totalVisitors = arms.reduce((sum, arm) => sum + arm.visitors, 0);
      return {
        mode: row.mode ?? 'fixed',
        arms,
        secondary,
        weights: row.weightHistory ?? [],
        horizon: horizonOf(row, totalVisitors, new Date()),
        // Weights that change over time make a split test against the current weights
        // meaningless: a bandit has no SRM check.
        srm: bandit
          ? { pValue: null, mismatch: false }
          : { pValue: analysis.srm.pValue, mismatch: analysis.srm.mismatch },
        totalVisitors,
        startedAt: isoOrNull(row.startedAt),
        endedAt: isoOrNull(row.endedAt),
        sequential,
        daily,
        integrity: {
          conversionsCounted: counted,
          withheldExposures: integrity.withheldExposures,
          arms: integrity.arms,
        },
      };
    },

    sampleSize(input: unknown): SampleSize {
      const query = parseOrThrow(sampleSizeQuerySchema, input, 'query');
      const alpha = 0.05;
      const power = 0.8;
      if (query.baselineRate * (1 + query.minimumDetectableEffect) >= 1) {
        refuse(messageOf('experiment.baselineTooHigh'), ['minimumDetectableEffect']);
      }
      let visitorsPerArm: number;
      try {
        visitorsPerArm = sampleSizePerArm(
          query.baselineRate,
          query.minimumDetectableEffect,
          alpha,
          power
        );
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        return refuse(messageOf('experiment.noSampleSize', { reason: error.message }), [
          'minimumDetectableEffect',
        ]);
      }
      return {
        visitorsPerArm,
        ...query,
        alpha,
        power,
      };
    },
  };
};

export type ExperimentResultsService = ReturnType<typeof experimentResults>;
