import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import {
  resultsQuerySchema,
  sampleSizeQuerySchema,
  type ExperimentListItem,
  type ExperimentResults,
  type SampleSize,
} from '../../contracts';
import { CONTROL_ARM, analyzeExperiment, sampleSizePerArm } from '../../engine';
import { messageOf } from '../../engine/messages';
import type { ContentAccess } from '../../utils/content-access';
import { getService } from '../../utils/get-service';
import { parseOrThrow } from '../../utils/validation';
import { present, refuse, type ExperimentRows, type ExperimentRow } from './rows';

/** Results: each arm's statistics, where the events came from, and sample sizes to plan. */
export const experimentResults = (
  strapi: Core.Strapi,
  { experimentRows }: { experimentRows: ExperimentRows }
) => {
  const { rowFor } = experimentRows;
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

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
      const analysis = analyzeExperiment({
        arms: row.arms.map((arm) => ({
          key: arm.key,
          variant: arm.variant,
          weight: arm.weight,
          visitors: visitors.get(arm.key) ?? 0,
          conversions: conversions.get(arm.key) ?? 0,
        })),
        controlKey: CONTROL_ARM,
        sequential,
        sequentialTuning: config().sequentialExpectedVisitors,
      });
      return {
        arms: analysis.arms,
        srm: { pValue: analysis.srm.pValue, mismatch: analysis.srm.mismatch },
        totalVisitors: analysis.arms.reduce((sum, arm) => sum + arm.visitors, 0),
        startedAt: row.startedAt ?? null,
        endedAt: row.endedAt ?? null,
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
