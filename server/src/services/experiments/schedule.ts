import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import { seededRandom, thompsonWeights } from '../../engine';
import { getService } from '../../utils/get-service';
import type { ExperimentLifecycle } from './lifecycle';
import { weightsAt } from './lifecycle';
import type { ExperimentRow, ExperimentRows } from './rows';

/** What one run of the schedule did, by experiment key. */
export interface ScheduleRun {
  started: string[];
  completed: string[];
  reweighted: string[];
}

/**
 * Scheduled work on experiments, run by a cron job (bootstrap.ts) on one instance of several:
 * scheduled ones start at `startAt`, running or paused ones complete at `endAt` (without a
 * winner: the base is served again), bandits reweight. `now` is the run's clock, so that tests
 * can run it at any time.
 */
export const experimentSchedule = (
  strapi: Core.Strapi,
  {
    experimentRows,
    lifecycle,
  }: {
    experimentRows: ExperimentRows;
    lifecycle: Pick<ExperimentLifecycle, 'assertStartable' | 'activate' | 'finish'>;
  }
) => {
  const { documents, write } = experimentRows;
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  /**
   * A bandit's new weights by Thompson sampling on the primary goal, once every arm has its
   * burn-in visitors and the interval since the last weights has passed. The draws are seeded by
   * the experiment and the reweighting's number, so a run repeated gives the same weights.
   */
  const reweight = async (row: ExperimentRow, now: Date) => {
    const { intervalMinutes, minShare, burnInVisitors } = config().bandit;
    const history = row.weightHistory?.length
      ? row.weightHistory
      : [weightsAt(row.arms, new Date(row.startedAt ?? now))];
    const last = Date.parse(history[history.length - 1].at);
    if (now.getTime() - last < intervalMinutes * 60_000) return false;
    const { visitors, conversions } = await getService(strapi, 'events').counts(
      row.documentId,
      row.goal
    );
    const arms = row.arms.map((arm) => ({
      key: arm.key,
      visitors: visitors.get(arm.key) ?? 0,
      conversions: Math.min(conversions.get(arm.key) ?? 0, visitors.get(arm.key) ?? 0),
    }));
    if (arms.some((arm) => arm.visitors < burnInVisitors)) return false;
    const weights = thompsonWeights(arms, {
      minShare,
      random: seededRandom(`${row.seed}:${history.length}`),
    });
    await write(row.documentId, {
      arms: row.arms.map((arm) => ({ ...arm, weight: weights[arm.key] })),
      weightHistory: [...history, { at: now.toISOString(), arms: weights }],
    });
    return true;
  };

  return {
    async runSchedule(now: Date = new Date()): Promise<ScheduleRun> {
      const run: ScheduleRun = { started: [], completed: [], reweighted: [] };
      const rows = (await documents().findMany({
        filters: {
          $or: [
            {
              status: 'scheduled',
              $or: [{ startAt: { $null: true } }, { startAt: { $lte: now } }],
            },
            { status: { $in: ['running', 'paused'] }, endAt: { $lte: now } },
            { status: 'running', mode: 'bandit' },
          ],
        },
        sort: ['startAt:asc', 'createdAt:asc'],
      })) as ExperimentRow[];
      for (const row of rows) {
        try {
          if (row.status === 'scheduled') {
            await lifecycle.assertStartable(row);
            await lifecycle.activate(row, now);
            run.started.push(row.key);
          } else if (row.endAt && new Date(row.endAt).getTime() <= now.getTime()) {
            await lifecycle.finish(row, null, new Date(row.endAt));
            run.completed.push(row.key);
          } else if (await reweight(row, now)) {
            run.reweighted.push(row.key);
          }
        } catch (error) {
          // A scheduled start that cannot happen (an arm unpublished since) waits for the editor.
          strapi.log.warn(
            `[personalize] scheduled work on experiment "${row.key}" did not happen: ${String(error)}`
          );
        }
      }
      return run;
    },
  };
};
