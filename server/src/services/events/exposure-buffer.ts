import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';

import { WITHHELD_TABLE, EXPOSURES_TABLE } from '../../models/events';
import type { RegisteredExperiment } from '../../registry';
import type { EventBudget } from './event-budget';
import {
  dayOf,
  exposureKey,
  exposureRow,
  insertNew,
  retryingLockConflicts,
  type EventOrigin,
  type ExposureRow,
} from './rows';
import type { VisitorHashing } from './visitor-hash';

/** Delivery exposures wait at most this long (or for this many) before they are written. */
const EXPOSURE_FLUSH_MS = 200;
const EXPOSURE_FLUSH_ROWS = 500;

/**
 * The write-behind buffer of the exposures the delivery records: the delivery never waits on a
 * write. Remembers which exposures this instance already wrote or queued, so that repeat visits
 * cost no write.
 */
export const exposureBuffer = (
  strapi: Core.Strapi,
  { hashing, budget }: { hashing: VisitorHashing; budget: EventBudget }
) => {
  const knex = () => strapi.db.connection;
  let pending: ExposureRow[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  /** Exposures written or queued, by `exposureKey`: the arm of each. */
  const known = new LRUCache<string, string>({ max: 100_000 });
  /** Exposures withheld from addresses over their budget, by experiment and day, not yet written. */
  let withheld = new Map<string, number>();
  /** Visitors already counted as withheld, so that reloading the page counts once. */
  const withheldVisitors = new LRUCache<string, true>({ max: 100_000 });
  /** Exposures between the delivery and the queue: their budget is being asked. */
  const spendings = new Set<Promise<void>>();

  /** Adds the withheld counts to their rows (one per experiment and day). */
  const writeWithheld = async (counts: Map<string, number>) => {
    for (const [key, count] of counts) {
      const [experiment, day] = key.split('|');
      await knex()(WITHHELD_TABLE)
        .insert({ experiment, day, count })
        .onConflict(['experiment', 'day'])
        .merge({ count: knex().raw('??.?? + ?', [WITHHELD_TABLE, 'count', count]) });
    }
  };

  /** Writes the queued exposures now (before events are read or deleted, and on shutdown). */
  const flush = async () => {
    // Exposures still asking the budget are queued in a moment: wait for them.
    await Promise.all(spendings);
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const rows = pending;
    pending = [];
    const counts = withheld;
    withheld = new Map();
    const previous = flushing;
    flushing = (async () => {
      await previous;
      try {
        if (rows.length > 0)
          await retryingLockConflicts(() =>
            insertNew(knex(), EXPOSURES_TABLE, rows, ['experiment', 'visitor_hash'])
          );
      } catch (error) {
        for (const row of rows) known.delete(exposureKey(row.experiment, row.visitor_hash));
        strapi.log.error(`[personalize] ${rows.length} exposure(s) not stored: ${String(error)}`);
      }
      try {
        await writeWithheld(counts);
      } catch (error) {
        strapi.log.error(`[personalize] withheld exposure counts not stored: ${String(error)}`);
      }
    })();
    await flushing;
  };

  // A timer, not a cron job: a write-behind delay that starts with the first queued exposure and
  // runs only while some wait, not work due at a time of day.
  const scheduleFlush = () => {
    if (pending.length >= EXPOSURE_FLUSH_ROWS) void flush();
    else flushTimer ??= setTimeout(() => void flush(), EXPOSURE_FLUSH_MS);
  };

  return {
    flush,

    /**
     * Queues the exposure of a visitor the delivery just served an arm (the first one counts).
     * An address over its budget still gets its content, but its exposure is only counted as
     * withheld. Never waits: the budget (maybe in Redis) is asked after the delivery answered.
     */
    recordExposure(
      experiment: RegisteredExperiment,
      arm: string,
      visitorId: string,
      origin: EventOrigin
    ) {
      const visitorHash = hashing.hashVisitor(visitorId);
      const key = exposureKey(experiment.documentId, visitorHash);
      if (known.has(key)) return;
      known.set(key, arm);
      const now = new Date();
      const spending = budget.spend(origin, 1).then((wait) => {
        spendings.delete(spending);
        if (wait > 0) {
          known.delete(key);
          if (!withheldVisitors.has(key)) {
            withheldVisitors.set(key, true);
            const withheldKey = `${experiment.documentId}|${dayOf(now)}`;
            withheld.set(withheldKey, (withheld.get(withheldKey) ?? 0) + 1);
            scheduleFlush();
          }
          return;
        }
        const source = hashing.sourceOf(origin.address, now);
        pending.push(exposureRow(experiment, arm, visitorHash, now, source, false));
        scheduleFlush();
      });
      spendings.add(spending);
    },

    /** An exposure (by `exposureKey`) is stored: the delivery need not queue it again. */
    markStored(key: string, arm: string) {
      known.set(key, arm);
    },

    /** The arm of an exposure this instance wrote or queued, if it knows of one. */
    armOf(key: string) {
      return known.get(key);
    },

    /** Events were deleted: any exposure may have to be written again. */
    forgetStored() {
      known.clear();
    },
  };
};

export type ExposureBuffer = ReturnType<typeof exposureBuffer>;
