import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';

import {
  GOAL_CONVERSIONS_TABLE,
  IMPACT_EXPOSURES_TABLE,
  VARIANT_REACH_TABLE,
} from '../../models/events';
import type { ImpactExposure } from '../../engine';
import { dayOf, insertNew, retryingLockConflicts } from './rows';
import type { VisitorHashing } from './visitor-hash';

/** Rows wait at most this long (or for this many) before they are written. */
const FLUSH_MS = 200;
const FLUSH_ROWS = 500;

/**
 * A write-behind buffer of rows that count once per unique key (the table's unique index): the
 * delivery never waits on a write, and a key this instance already wrote or queued costs none.
 */
const uniqueRowBuffer = (strapi: Core.Strapi, table: string, conflict: string[], what: string) => {
  let pending: Record<string, unknown>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const known = new LRUCache<string, true>({ max: 100_000 });

  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    const rows = pending;
    pending = [];
    const previous = flushing;
    flushing = (async () => {
      await previous;
      if (rows.length === 0) return;
      try {
        await retryingLockConflicts(() => insertNew(strapi.db.connection, table, rows, conflict));
      } catch (error) {
        known.clear();
        strapi.log.error(`[personalize] ${rows.length} ${what} not stored: ${String(error)}`);
      }
    })();
    await flushing;
  };

  return {
    flush,
    add(key: string, row: Record<string, unknown>) {
      if (known.has(key)) return;
      known.set(key, true);
      pending.push(row);
      if (pending.length >= FLUSH_ROWS) void flush();
      else timer ??= setTimeout(() => void flush(), FLUSH_MS);
    },
    /** Rows were deleted (erasure, retention): any may have to be written again. */
    forget: () => known.clear(),
  };
};

/**
 * What the impact report and variant reach count: the delivery's exposures to personalization
 * (once per visitor and day, by population), variants served (once per variant, visitor and
 * day), and conversions of every goal. Only visitor hashes are stored, never ids.
 */
export const impactEvents = (strapi: Core.Strapi, { hashing }: { hashing: VisitorHashing }) => {
  const impact = uniqueRowBuffer(
    strapi,
    IMPACT_EXPOSURES_TABLE,
    ['visitor_hash', 'day'],
    'impact exposure(s)'
  );
  const reach = uniqueRowBuffer(
    strapi,
    VARIANT_REACH_TABLE,
    ['variant', 'visitor_hash', 'day'],
    'variant reach row(s)'
  );

  return {
    /** Writes what waits (before reports read, and on shutdown). */
    async flushImpact() {
      await Promise.all([impact.flush(), reach.flush()]);
    },

    /** Impact rows were deleted: any may have to be written again. */
    forgetImpact() {
      impact.forget();
      reach.forget();
    },

    /** The first exposure of the visitor's day to an entry with variants, by population. */
    recordImpactExposure(visitorId: string, exposure: ImpactExposure, now: Date) {
      const visitorHash = hashing.hashVisitor(visitorId);
      const day = dayOf(now);
      impact.add(`${visitorHash}|${day}`, {
        visitor_hash: visitorHash,
        day,
        population: exposure.population,
        persona: exposure.persona,
        stage: exposure.stage,
        exposed_at: now,
      });
    },

    /** A variant was served to this visitor today. */
    recordReach(variant: string, visitorId: string, now: Date) {
      const visitorHash = hashing.hashVisitor(visitorId);
      const day = dayOf(now);
      reach.add(`${variant}|${visitorHash}|${day}`, { variant, visitor_hash: visitorHash, day });
    },

    /** Conversions of any goal, for the impact report (in the ingest's transaction). */
    async storeGoalConversions(
      trx: Knex.Transaction,
      rows: { visitorHash: string; goal: string; at: Date; trusted: boolean }[]
    ) {
      if (rows.length === 0) return new Set<string>();
      return insertNew(
        trx,
        GOAL_CONVERSIONS_TABLE,
        rows.map((row) => ({
          visitor_hash: row.visitorHash,
          goal: row.goal,
          day: dayOf(row.at),
          converted_at: row.at,
          trusted: row.trusted,
        })),
        ['visitor_hash', 'goal', 'day']
      );
    },

    /**
     * The impact report's counts for UTC days `from`–`to`: per population (and `dimension`, a
     * persona or stage as classified), the visitors exposed in the range and, per goal, how many
     * of them converted at or after their first exposure in it. Per day, the visitors exposed that
     * day and how many converted that day after it.
     */
    async impactCounts(range: { from: string; to: string; goal?: string }) {
      await impact.flush();
      const db = strapi.db.connection;
      const firsts = (dimension: 'persona' | 'stage' | null) => {
        const columns = ['visitor_hash', 'population', ...(dimension ? [dimension] : [])];
        return db(IMPACT_EXPOSURES_TABLE)
          .select(columns)
          .min({ first_at: 'exposed_at' })
          .whereBetween('day', [range.from, range.to])
          .groupBy(columns)
          .as('f');
      };
      const counts = async (dimension: 'persona' | 'stage' | null) => {
        const group = ['f.population', ...(dimension ? [`f.${dimension}`] : [])];
        const visitors = (await db
          .from(firsts(dimension))
          .select(group.map((column) => `${column} as ${column.slice(2)}`))
          .count({ n: '*' })
          .groupBy(group)) as Record<string, unknown>[];
        const converted = db
          .from(firsts(dimension))
          .join(`${GOAL_CONVERSIONS_TABLE} as c`, (join) => {
            join
              .on('c.visitor_hash', '=', 'f.visitor_hash')
              .andOn('c.converted_at', '>=', 'f.first_at');
          })
          .where('c.day', '<=', range.to)
          .select([...group.map((column) => `${column} as ${column.slice(2)}`), 'c.goal as goal'])
          .countDistinct({ n: 'c.visitor_hash' })
          .groupBy([...group, 'c.goal']);
        if (range.goal !== undefined) converted.where('c.goal', range.goal);
        return { visitors, conversions: (await converted) as Record<string, unknown>[] };
      };
      const dailyConverted = db(`${IMPACT_EXPOSURES_TABLE} as e`)
        .join(`${GOAL_CONVERSIONS_TABLE} as c`, (join) => {
          join
            .on('c.visitor_hash', '=', 'e.visitor_hash')
            .andOn('c.day', '=', 'e.day')
            .andOn('c.converted_at', '>=', 'e.exposed_at');
        })
        .whereBetween('e.day', [range.from, range.to])
        .select('e.day as day', 'e.population as population', 'c.goal as goal')
        .countDistinct({ n: 'c.visitor_hash' })
        .groupBy('e.day', 'e.population', 'c.goal');
      if (range.goal !== undefined) dailyConverted.where('c.goal', range.goal);
      const [total, persona, stage, dailyVisitors, daily] = await Promise.all([
        counts(null),
        counts('persona'),
        counts('stage'),
        db(IMPACT_EXPOSURES_TABLE)
          .select('day', 'population')
          .count({ n: '*' })
          .whereBetween('day', [range.from, range.to])
          .groupBy('day', 'population') as Promise<Record<string, unknown>[]>,
        dailyConverted as Promise<Record<string, unknown>[]>,
      ]);
      return { total, persona, stage, dailyVisitors, dailyConversions: daily };
    },

    /** Distinct visitors each variant was served to on `since` (a UTC day) and later. */
    async reachOf(variants: string[], since: string): Promise<Map<string, number>> {
      if (variants.length === 0) return new Map();
      await reach.flush();
      const rows = (await strapi.db
        .connection(VARIANT_REACH_TABLE)
        .select('variant')
        .countDistinct({ n: 'visitor_hash' })
        .whereIn('variant', variants)
        .where('day', '>=', since)
        .groupBy('variant')) as { variant: string; n: unknown }[];
      return new Map(rows.map((row) => [row.variant, Number(row.n)]));
    },
  };
};

export type ImpactEvents = ReturnType<typeof impactEvents>;
