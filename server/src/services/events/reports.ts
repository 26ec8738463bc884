import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

import type { ConversionFilter } from '../../contracts';
import { sourceSpread, worstBurst } from '../../engine';
import type { ArmSources } from '../../engine/types';
import { CONVERSIONS_TABLE, EXPOSURES_TABLE, WITHHELD_TABLE } from '../../models/events';
import type { ExposureBuffer } from './exposure-buffer';
import { timeOf } from './rows';

/** Which conversions results count: all, or only those trusted backends sent (purchases). */

/** Reporting: the stored events aggregated per arm for results and the experiments list. */
export const eventReports = (strapi: Core.Strapi, { buffer }: { buffer: ExposureBuffer }) => {
  const knex = () => strapi.db.connection;

  return {
    /**
     * Visitors and conversions per arm, in total and per day, of one experiment and goal; with
     * `conversions: 'trusted'`, only the conversions trusted backends sent.
     */
    async counts(experimentDocumentId: string, goal: string, counted: ConversionFilter = 'all') {
      await buffer.flush();
      const db = knex();
      const converted = (query: Knex.QueryBuilder) =>
        counted === 'trusted' ? query.where({ trusted: true }) : query;
      const [visitors, conversions, dailyVisitors, dailyConversions] = await Promise.all([
        db(EXPOSURES_TABLE)
          .select('arm')
          .count({ n: '*' })
          .where({ experiment: experimentDocumentId })
          .groupBy('arm'),
        converted(
          db(CONVERSIONS_TABLE)
            .select('arm')
            .count({ n: '*' })
            .where({ experiment: experimentDocumentId, goal })
        ).groupBy('arm'),
        db(EXPOSURES_TABLE)
          .select('day', 'arm')
          .count({ n: '*' })
          .where({ experiment: experimentDocumentId })
          .groupBy('day', 'arm'),
        converted(
          db(CONVERSIONS_TABLE)
            .select('day', 'arm')
            .count({ n: '*' })
            .where({ experiment: experimentDocumentId, goal })
        ).groupBy('day', 'arm'),
      ]);
      const byArm = (rows: Record<string, unknown>[]) =>
        new Map(rows.map((row) => [row.arm as string, Number(row.n)]));
      const daily = new Map<
        string,
        { date: string; arm: string; visitors: number; conversions: number }
      >();
      const dayRow = (row: Record<string, unknown>) => {
        const key = `${row.day}|${row.arm}`;
        let entry = daily.get(key);
        if (!entry) {
          entry = { date: row.day as string, arm: row.arm as string, visitors: 0, conversions: 0 };
          daily.set(key, entry);
        }
        return entry;
      };
      for (const row of dailyVisitors) dayRow(row).visitors = Number(row.n);
      for (const row of dailyConversions) dayRow(row).conversions = Number(row.n);
      return {
        visitors: byArm(visitors),
        conversions: byArm(conversions),
        daily: [...daily.values()].sort(
          (a, b) => a.date.localeCompare(b.date) || a.arm.localeCompare(b.arm)
        ),
      };
    },

    /**
     * Where an experiment's events came from, per arm: how concentrated the exposures and
     * conversions from client addresses are on their sources, their most unlikely burst of
     * conversions, and how many exposures the delivery withheld from addresses over their
     * budget. Trusted backends (imports, server-side conversions) are left out: they send in
     * bulk from one place by design.
     */
    async integrity(experimentDocumentId: string, goal: string, armKeys: string[]) {
      await buffer.flush();
      const db = knex();
      const [exposures, conversions, minutes, withheldRows] = await Promise.all([
        db(EXPOSURES_TABLE)
          .select('arm', 'source')
          .count({ n: '*' })
          .where({ experiment: experimentDocumentId, trusted: false })
          .whereNotNull('source')
          .groupBy('arm', 'source'),
        db(CONVERSIONS_TABLE)
          .select('arm', 'source')
          .count({ n: '*' })
          .where({ experiment: experimentDocumentId, goal, trusted: false })
          .whereNotNull('source')
          .groupBy('arm', 'source'),
        db(CONVERSIONS_TABLE)
          .select('arm', 'received_minute')
          .count({ n: '*' })
          .where({ experiment: experimentDocumentId, goal, trusted: false })
          .whereNotNull('received_minute')
          .groupBy('arm', 'received_minute'),
        db(WITHHELD_TABLE).sum({ n: 'count' }).where({ experiment: experimentDocumentId }),
      ]);
      const perArm = <Value>(
        rows: Record<string, unknown>[],
        value: (row: Record<string, unknown>) => Value
      ) => {
        const result = new Map<string, Value[]>();
        for (const row of rows) {
          const values = result.get(row.arm as string);
          if (values) values.push(value(row));
          else result.set(row.arm as string, [value(row)]);
        }
        return result;
      };
      const exposuresBySource = perArm(exposures, (row) => Number(row.n));
      const conversionsBySource = perArm(conversions, (row) => Number(row.n));
      const conversionsByMinute = perArm(
        minutes,
        (row) => [Number(row.received_minute), Number(row.n)] as const
      );
      return {
        withheldExposures: Number(withheldRows[0]?.n ?? 0),
        arms: armKeys.map(
          (key): ArmSources => ({
            key,
            exposures: sourceSpread(exposuresBySource.get(key) ?? []),
            conversions: sourceSpread(conversionsBySource.get(key) ?? []),
            burst: worstBurst(new Map(conversionsByMinute.get(key) ?? [])),
          })
        ),
      };
    },

    /**
     * Visitors and conversions of `goal` per arm, for each period between `boundaries` (ISO
     * times, ascending: a bandit's reweightings): a visitor counts in the period of their
     * exposure, with their conversion (whenever it came). Exposures before the first boundary
     * count in the first period.
     */
    async periodCounts(experimentDocumentId: string, goal: string, boundaries: string[]) {
      await buffer.flush();
      const db = knex();
      const rows = (await db(`${EXPOSURES_TABLE} as e`)
        .leftJoin(`${CONVERSIONS_TABLE} as c`, (join) => {
          join
            .on('c.experiment', '=', 'e.experiment')
            .andOn('c.visitor_hash', '=', 'e.visitor_hash')
            .andOn('c.goal', '=', db.raw('?', [goal]));
        })
        .where('e.experiment', experimentDocumentId)
        .select('e.arm as arm', 'e.exposed_at as exposedAt', 'c.id as converted')) as {
        arm: string;
        exposedAt: unknown;
        converted: unknown;
      }[];
      const starts = boundaries.map((at) => Date.parse(at));
      const periods = Array.from(
        { length: Math.max(1, starts.length) },
        () => new Map<string, { visitors: number; conversions: number }>()
      );
      for (const row of rows) {
        const at = timeOf(row.exposedAt);
        let index = 0;
        while (index + 1 < starts.length && starts[index + 1] <= at) index += 1;
        const counts = periods[index].get(row.arm) ?? { visitors: 0, conversions: 0 };
        counts.visitors += 1;
        if (row.converted !== null && row.converted !== undefined) counts.conversions += 1;
        periods[index].set(row.arm, counts);
      }
      return periods;
    },

    /** Visitors and conversions (of each one's goal) per arm, for many experiments (the list). */
    async armCounts(experiments: { documentId: string; goal: string }[]) {
      const result = new Map<string, Map<string, { visitors: number; conversions: number }>>();
      if (experiments.length === 0) return result;
      await buffer.flush();
      const ids = experiments.map((experiment) => experiment.documentId);
      const goals = new Map(
        experiments.map((experiment) => [experiment.documentId, experiment.goal])
      );
      const [visitors, conversions] = await Promise.all([
        knex()(EXPOSURES_TABLE)
          .select('experiment', 'arm')
          .count({ n: '*' })
          .whereIn('experiment', ids)
          .groupBy('experiment', 'arm'),
        knex()(CONVERSIONS_TABLE)
          .select('experiment', 'goal', 'arm')
          .count({ n: '*' })
          .whereIn('experiment', ids)
          .groupBy('experiment', 'goal', 'arm'),
      ]);
      const arm = (experiment: string, key: string) => {
        let arms = result.get(experiment);
        if (!arms) result.set(experiment, (arms = new Map()));
        let counts = arms.get(key);
        if (!counts) arms.set(key, (counts = { visitors: 0, conversions: 0 }));
        return counts;
      };
      for (const row of visitors as Record<string, unknown>[])
        arm(row.experiment as string, row.arm as string).visitors = Number(row.n);
      for (const row of conversions as Record<string, unknown>[]) {
        if (goals.get(row.experiment as string) !== row.goal) continue;
        arm(row.experiment as string, row.arm as string).conversions = Number(row.n);
      }
      return result;
    },
  };
};
