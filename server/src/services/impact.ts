import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import {
  IMPACT_DEFAULT_DAYS,
  impactQuerySchema,
  type ImpactDay,
  type ImpactGoal,
  type ImpactReport,
  type ImpactSegment,
  type PopulationCounts,
} from '../contracts';
import { compareToHoldout, type Population } from '../engine';
import { messageOf } from '../engine/messages';
import { DAY_MS, dayOf } from './events/rows';
import { getService } from '../utils/get-service';
import { parseOrThrow, refuse } from '../utils/validation';

type Row = Record<string, unknown>;
interface Counts {
  visitors: number;
  conversions: number;
}

const withRate = ({ visitors, conversions }: Counts): PopulationCounts => ({
  visitors,
  conversions,
  rate: visitors === 0 ? null : conversions / visitors,
});

/** A slug column as stored: null (none) or the slug. */
const slugOf = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * The personalization impact report (`GET /personalize/impact`): visitors who got personalized
 * content against the holdout, per goal, per persona and per stage, and per day.
 */
const impact = ({ strapi }: { strapi: Core.Strapi }) => ({
  async report(input: unknown): Promise<ImpactReport> {
    const query = parseOrThrow(impactQuerySchema, input, 'query');
    const to = query.to ?? dayOf(new Date());
    const from = query.from ?? dayOf(new Date(Date.parse(to) - (IMPACT_DEFAULT_DAYS - 1) * DAY_MS));
    if (from > to) refuse(messageOf('impact.range', { from, to }), ['from']);
    const { share } = getService(strapi, 'registryLoader').registry.holdout;
    const tuning = (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig)
      .sequentialExpectedVisitors;
    const counts = await getService(strapi, 'events').impactCounts({
      from,
      to,
      goal: query.goal,
    });
    const goals = [
      ...new Set([
        ...(query.goal === undefined ? [] : [query.goal]),
        ...counts.total.conversions.map((row) => String(row.goal)),
      ]),
    ].sort();

    /** Personalized against held out, for one goal, among the rows `slug` selects. */
    const comparison = (
      rows: { visitors: Row[]; conversions: Row[] },
      goal: string,
      selects: (row: Row) => boolean
    ): ImpactGoal => {
      const of = (population: Population): Counts => ({
        visitors: rows.visitors
          .filter((row) => row.population === population && selects(row))
          .reduce((sum, row) => sum + Number(row.n), 0),
        conversions: rows.conversions
          .filter((row) => row.population === population && row.goal === goal && selects(row))
          .reduce((sum, row) => sum + Number(row.n), 0),
      });
      const personalized = of('personalized');
      const holdout = of('holdout');
      return {
        goal,
        personalized: withRate(personalized),
        holdout: withRate(holdout),
        ...compareToHoldout(personalized, holdout, share, tuning),
      };
    };

    const breakdown = (dimension: 'persona' | 'stage'): ImpactSegment[] => {
      const rows = counts[dimension];
      const slugs = [...new Set(rows.visitors.map((row) => slugOf(row[dimension])))];
      return slugs.flatMap((slug) =>
        goals.map((goal) => ({
          slug,
          ...comparison(rows, goal, (row) => slugOf(row[dimension]) === slug),
        }))
      );
    };

    const daily: ImpactDay[] = goals.flatMap((goal) =>
      counts.dailyVisitors.map((row) => ({
        date: String(row.day),
        goal,
        population: row.population as Population,
        visitors: Number(row.n),
        conversions: Number(
          counts.dailyConversions.find(
            (converted) =>
              converted.day === row.day &&
              converted.population === row.population &&
              converted.goal === goal
          )?.n ?? 0
        ),
      }))
    );
    daily.sort((a, b) => a.date.localeCompare(b.date) || a.population.localeCompare(b.population));

    return {
      goals: goals.map((goal) => comparison(counts.total, goal, () => true)),
      byPersona: breakdown('persona'),
      byStage: breakdown('stage'),
      daily,
      holdout: { share },
      from,
      to,
    };
  },
});

export default impact;
