import { createHash, createHmac } from 'node:crypto';

import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

import { PLUGIN_ID } from '../constants';
import { bucketArm, sourceSpread, worstBurst } from '../engine';
import type { ArmSources } from '../engine/types';
import type { PluginConfig } from '../config';
import type { RegisteredExperiment } from '../registry';
import { getService } from '../utils/get-service';
import { addressKey } from '../utils/client-address';
import { RateLimiter } from '../utils/rate-limiter';
import { issuesOf } from '../utils/validation';

export const EXPOSURES_TABLE = 'personalize_exposures';
export const CONVERSIONS_TABLE = 'personalize_conversions';
export const WITHHELD_TABLE = 'personalize_withheld_exposures';

/** Where events come from: the request that sent them, or whose delivery recorded an exposure. */
export interface EventOrigin {
  /** The client address as Strapi sees it (`ctx.ip`, which honours the app's proxy settings); null for the plugin's own code. */
  address: string | null;
  /** Whether they spend that address's event budget: not with an API token that is not read-only. */
  budgeted: boolean;
  /**
   * Whether the events it sends are vouched for (a full-access API token: a backend confirming a
   * purchase; the plugin's own code). Exposures the delivery records never are: whoever asks for
   * a page chooses the visitor id in its context.
   */
  trusted: boolean;
}

/** The plugin's own code (seeds, imports): trusted, from no address, spending no budget. */
export const SYSTEM_ORIGIN: EventOrigin = { address: null, budgeted: false, trusted: true };

/** Which conversions results count: all, or only those trusted backends sent (purchases). */
export type ConversionFilter = 'all' | 'trusted';

/** Rows per INSERT: well under SQLite's bound-variable limit, large enough to be fast. */
const INSERT_CHUNK = 500;
/** Delivery exposures wait at most this long (or for this many) before they are written. */
const EXPOSURE_FLUSH_MS = 200;
const EXPOSURE_FLUSH_ROWS = 500;
/** Clock skew tolerated for a client's `timestamp` in the future. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** An experiment key or goal as events name them. */
export const eventName = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[\w.:-]+$/, 'use letters, digits, "_", "-", "." and ":"');

export const eventSchema = z
  .strictObject({
    /** The client's id of the event; retries are idempotent through the per-visitor unique keys. */
    id: z.string().min(1).max(128).optional(),
    type: z.enum(['exposure', 'conversion']),
    experiment: eventName.optional(),
    goal: eventName.optional(),
    visitorId: z.string().min(1).max(128),
    /** ISO 8601 with an offset, or milliseconds since the epoch; default: when received. */
    timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]).optional(),
  })
  .refine((event) => event.type !== 'exposure' || event.experiment !== undefined, {
    message: 'an exposure names its experiment (key)',
    path: ['experiment'],
  })
  .refine((event) => event.type !== 'conversion' || event.goal !== undefined, {
    message: 'a conversion names its goal',
    path: ['goal'],
  });

export const eventsBodySchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(500),
});

export type EventInput = z.output<typeof eventSchema>;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

interface ExposureRow {
  experiment: string;
  arm: string;
  visitor_hash: string;
  exposed_at: Date;
  day: string;
  source: string | null;
  trusted: boolean;
}

interface ConversionRow {
  experiment: string;
  goal: string;
  arm: string;
  visitor_hash: string;
  converted_at: Date;
  day: string;
  source: string | null;
  trusted: boolean;
  received_minute: number;
}

/** The UTC calendar date of `date`, YYYY-MM-DD. */
export const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** A stored datetime as the database driver returns it (a Date, ms since the epoch or a string). */
const timeOf = (value: unknown) =>
  value instanceof Date ? value.getTime() : new Date(value as string | number).getTime();

const exposureKey = (experiment: string, visitorHash: string) => `${experiment}|${visitorHash}`;

/** Why an event dated `at` cannot belong to the experiment: before it started or after it ended. */
const outsideRun = (experiment: RegisteredExperiment, at: Date): string | null => {
  if (experiment.startedAt && at.getTime() < new Date(experiment.startedAt).getTime())
    return `dated before the experiment "${experiment.key}" started (${experiment.startedAt})`;
  if (experiment.endedAt && at.getTime() > new Date(experiment.endedAt).getTime())
    return `dated after the experiment "${experiment.key}" ended (${experiment.endedAt})`;
  return null;
};

/**
 * Exposures and conversions: stored with the visitor id only as an HMAC, written in batches with
 * the tables' unique keys deciding what is new (so a retried batch counts nothing twice), and
 * aggregated for results. No IP address or user agent is ever stored.
 */
const events = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const knex = () => strapi.db.connection;
  const registry = () => getService(strapi, 'registryLoader').registry;

  let secret: string | undefined;
  const hmacKey = () => {
    secret ??=
      config().visitorIdSecret ??
      createHash('sha256')
        .update(
          `strapi-plugin-personalize:visitor-id:${(strapi.config.get('server.app.keys') as string[] | undefined)?.join(',') ?? ''}`
        )
        .digest('hex');
    return secret;
  };

  const hashVisitor = (visitorId: string) =>
    createHmac('sha256', hmacKey()).update(visitorId).digest('hex');

  /**
   * What is stored of a client address (of its /64 for IPv6): 6 hex digits (24 bits, so about
   * 256 IPv4 addresses share each value) of an HMAC whose key is derived from the app's secret
   * and the UTC day the server received the event on, so the value changes every day; null
   * without an address.
   */
  const sourceOf = (address: string | null, receivedAt: Date) =>
    address === null
      ? null
      : createHmac('sha256', hmacKey())
          .update(`source:${dayOf(receivedAt)}:${addressKey(address)}`)
          .digest('hex')
          .slice(0, 6);

  // One budget per client address for the exposures and events it makes the plugin record.
  const { perAddress, windowSeconds } = config().eventBudget;
  const budget = new RateLimiter(perAddress, windowSeconds * 1_000);
  /** Exposures withheld from addresses over their budget, by experiment and day, not yet written. */
  let withheld = new Map<string, number>();
  /** Visitors already counted as withheld, so that reloading the page counts once. */
  const withheldVisitors = new LRUCache<string, true>({ max: 100_000 });

  /**
   * Spends `cost` of the origin's event budget; 0 when it may, otherwise the milliseconds until
   * its budget renews.
   */
  const spend = (origin: EventOrigin, cost: number, now = Date.now()): number =>
    origin.budgeted && origin.address !== null
      ? budget.take(addressKey(origin.address), now, cost)
      : 0;

  /** Inserts rows, skipping those whose unique key exists; returns the keys actually inserted. */
  const insertNew = async <Row extends object>(
    trx: Knex | Knex.Transaction,
    table: string,
    rows: Row[],
    conflict: string[]
  ): Promise<Set<string>> => {
    const inserted = new Set<string>();
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const returned = (await trx(table)
        .insert(rows.slice(start, start + INSERT_CHUNK))
        .onConflict(conflict)
        .ignore()
        .returning(conflict)) as Record<string, string>[];
      for (const row of returned) inserted.add(conflict.map((column) => row[column]).join('|'));
    }
    return inserted;
  };

  // Delivery exposures are buffered and written together: the delivery never waits on a write.
  let pending: ExposureRow[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  /** Exposures this instance already wrote or queued, so repeat visits cost no write. */
  const known = new LRUCache<string, true>({ max: 100_000 });

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

  const flush = async () => {
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
          await insertNew(knex(), EXPOSURES_TABLE, rows, ['experiment', 'visitor_hash']);
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

  /** Marks conversions stored before (from a browser) as trusted: a backend confirmed them. */
  const markTrusted = async (trx: Knex.Transaction, rows: ConversionRow[]) => {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await trx(CONVERSIONS_TABLE)
        .where({ trusted: false })
        .whereIn(
          ['experiment', 'goal', 'visitor_hash'],
          rows
            .slice(start, start + INSERT_CHUNK)
            .map((row) => [row.experiment, row.goal, row.visitor_hash])
        )
        .update({ trusted: true, source: null });
    }
  };

  // A timer, not a cron job: a write-behind delay that starts with the first queued exposure and
  // runs only while some wait, not work due at a time of day.
  const scheduleFlush = () => {
    if (pending.length >= EXPOSURE_FLUSH_ROWS) void flush();
    else flushTimer ??= setTimeout(() => void flush(), EXPOSURE_FLUSH_MS);
  };

  /** An exposure at `at`, received at `receivedAt` (its source's day), vouched for when `trusted`. */
  const exposureRow = (
    experiment: RegisteredExperiment,
    arm: string,
    visitorHash: string,
    at: Date,
    { address, trusted }: { address: string | null; trusted: boolean },
    receivedAt: Date
  ): ExposureRow => ({
    experiment: experiment.documentId,
    arm,
    visitor_hash: visitorHash,
    exposed_at: at,
    day: dayOf(at),
    source: trusted ? null : sourceOf(address, receivedAt),
    trusted,
  });

  /** Why an event is not stored (null: it is), and its rows. */
  const exposureOf = (
    event: EventInput,
    visitorHash: string,
    at: Date,
    origin: EventOrigin,
    receivedAt: Date
  ) => {
    const experiment = registry().experiment(event.experiment as string);
    if (!experiment || experiment.status !== 'running') {
      return { error: `no running experiment has the key "${event.experiment}"` } as const;
    }
    const outside = outsideRun(experiment, at);
    if (outside) return { error: outside } as const;
    const arm = bucketArm(experiment, event.visitorId);
    if (arm === null) {
      return { error: "the visitor is outside the experiment's traffic allocation" } as const;
    }
    return { row: exposureRow(experiment, arm.key, visitorHash, at, origin, receivedAt) } as const;
  };

  const goalExperiments = (event: EventInput) => {
    const matches: RegisteredExperiment[] = [];
    for (const experiment of registry().experiments) {
      if (
        experiment.status === 'running' &&
        experiment.goal === event.goal &&
        (event.experiment === undefined || experiment.key === event.experiment)
      )
        matches.push(experiment);
    }
    return matches;
  };

  const timestampOf = (event: EventInput, now: number): Date | string => {
    if (event.timestamp === undefined) return new Date(now);
    const at = new Date(event.timestamp);
    if (at.getTime() > now + FUTURE_TOLERANCE_MS) return 'timestamp is in the future';
    if (at.getTime() < now - config().eventRetentionDays * DAY_MS)
      return `timestamp is older than the ${config().eventRetentionDays}-day retention`;
    return at;
  };

  return {
    hashVisitor,

    /** For the plugin's own code and the app's seeds and imports (see SYSTEM_ORIGIN). */
    systemOrigin: SYSTEM_ORIGIN,

    /** The arm a running experiment (by key) gives this visitor by bucketing; null outside it. */
    assignedArm(experimentKey: string, visitorId: string) {
      const experiment = registry().experiment(experimentKey);
      return experiment ? (bucketArm(experiment, visitorId)?.key ?? null) : null;
    },

    /**
     * Queues the exposure of a visitor the delivery just served an arm (the first one counts).
     * An address over its budget still gets its content, but its exposure is only counted as
     * withheld.
     */
    recordExposure(
      experiment: RegisteredExperiment,
      arm: string,
      visitorId: string,
      origin: EventOrigin
    ) {
      const visitorHash = hashVisitor(visitorId);
      const key = exposureKey(experiment.documentId, visitorHash);
      if (known.has(key)) return;
      const now = new Date();
      if (spend(origin, 1, now.getTime()) > 0) {
        if (!withheldVisitors.has(key)) {
          withheldVisitors.set(key, true);
          const withheldKey = `${experiment.documentId}|${dayOf(now)}`;
          withheld.set(withheldKey, (withheld.get(withheldKey) ?? 0) + 1);
          scheduleFlush();
        }
        return;
      }
      known.set(key, true);
      pending.push(
        exposureRow(
          experiment,
          arm,
          visitorHash,
          now,
          { address: origin.address, trusted: false },
          now
        )
      );
      scheduleFlush();
    },

    /** Writes the queued exposures now (before results are read, and on shutdown). */
    flush,

    /**
     * Stores a batch in one transaction and answers only after it committed. Each event is
     * accepted (stored), a duplicate (already stored) or rejected with the reason. A batch over
     * its address's budget is refused whole with a RateLimitError (`details.retryAfter`, in
     * seconds). A trusted origin's conversions mark the same conversions stored before as trusted
     * (a browser may have reported the purchase first).
     */
    async ingest(inputs: unknown[], origin: EventOrigin): Promise<IngestResult> {
      const now = Date.now();
      const wait = spend(origin, inputs.length, now);
      if (wait > 0) {
        const retryAfter = Math.ceil(wait / 1_000);
        throw new errors.RateLimitError(
          `This address sent more events than its budget allows (${perAddress} every ${windowSeconds} s); retry in ${retryAfter} s`,
          { retryAfter }
        );
      }
      const rejected: IngestResult['rejected'] = [];
      const seenIds = new Set<string>();
      let duplicates = 0;
      const exposures: { index: number; row: ExposureRow }[] = [];
      const conversions: {
        index: number;
        event: EventInput;
        visitorHash: string;
        at: Date;
        experiments: RegisteredExperiment[];
      }[] = [];

      inputs.forEach((input, index) => {
        const parsed = eventSchema.safeParse(input);
        if (!parsed.success) {
          const issues = issuesOf(parsed.error);
          rejected.push({
            index,
            error: issues
              .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
              .join('; '),
          });
          return;
        }
        const event = parsed.data;
        if (event.id !== undefined) {
          if (seenIds.has(event.id)) {
            duplicates += 1;
            return;
          }
          seenIds.add(event.id);
        }
        const at = timestampOf(event, now);
        if (typeof at === 'string') {
          rejected.push({ index, error: at });
          return;
        }
        const visitorHash = hashVisitor(event.visitorId);
        if (event.type === 'exposure') {
          const exposure = exposureOf(event, visitorHash, at, origin, new Date(now));
          if ('error' in exposure) rejected.push({ index, error: exposure.error as string });
          else exposures.push({ index, row: exposure.row });
          return;
        }
        const running = goalExperiments(event);
        const experiments = running.filter((experiment) => outsideRun(experiment, at) === null);
        if (running.length > 0 && experiments.length === 0) {
          rejected.push({ index, error: outsideRun(running[0], at) as string });
          return;
        }
        if (experiments.length === 0) {
          rejected.push({
            index,
            error:
              event.experiment === undefined
                ? `no running experiment has the goal "${event.goal}"`
                : `the experiment "${event.experiment}" is not running or its goal is not "${event.goal}"`,
          });
          return;
        }
        conversions.push({ index, event, visitorHash, at, experiments });
      });

      // A conversion right after the page was delivered must find that page's exposure.
      if (conversions.length > 0) await flush();
      let accepted = 0;
      await knex().transaction(async (trx) => {
        const insertedExposures = await insertNew(
          trx,
          EXPOSURES_TABLE,
          exposures.map(({ row }) => row),
          ['experiment', 'visitor_hash']
        );
        for (const { row } of exposures) {
          const key = exposureKey(row.experiment, row.visitor_hash);
          if (insertedExposures.delete(key)) accepted += 1;
          else duplicates += 1;
          known.set(key, true);
        }

        if (conversions.length === 0) return;
        // Each visitor's first exposure in the experiments concerned: a conversion is attributed
        // to that arm, and counts only when it happened after it.
        const experimentIds = [
          ...new Set(
            conversions.flatMap(({ experiments }) => experiments.map((e) => e.documentId))
          ),
        ];
        const visitorHashes = [...new Set(conversions.map(({ visitorHash }) => visitorHash))];
        const exposed = new Map<string, { arm: string; at: number }>();
        for (let start = 0; start < visitorHashes.length; start += INSERT_CHUNK) {
          const rows = (await trx(EXPOSURES_TABLE)
            .select('experiment', 'arm', 'visitor_hash', 'exposed_at')
            .whereIn('experiment', experimentIds)
            .whereIn('visitor_hash', visitorHashes.slice(start, start + INSERT_CHUNK))) as {
            experiment: string;
            arm: string;
            visitor_hash: string;
            exposed_at: unknown;
          }[];
          for (const row of rows) {
            exposed.set(exposureKey(row.experiment, row.visitor_hash), {
              arm: row.arm,
              at: timeOf(row.exposed_at),
            });
          }
        }

        const rows: { index: number; row: ConversionRow }[] = [];
        for (const { index, event, visitorHash, at, experiments } of conversions) {
          let counted = false;
          for (const experiment of experiments) {
            const exposure = exposed.get(exposureKey(experiment.documentId, visitorHash));
            if (!exposure || exposure.at > at.getTime()) continue;
            counted = true;
            rows.push({
              index,
              row: {
                experiment: experiment.documentId,
                goal: event.goal as string,
                arm: exposure.arm,
                visitor_hash: visitorHash,
                converted_at: at,
                day: dayOf(at),
                source: origin.trusted ? null : sourceOf(origin.address, new Date(now)),
                trusted: origin.trusted,
                received_minute: Math.floor(now / 60_000),
              },
            });
          }
          if (!counted) {
            rejected.push({
              index,
              error: `not counted: the visitor has no earlier exposure in a running experiment with the goal "${event.goal}"`,
            });
          }
        }
        const inserted = await insertNew(
          trx,
          CONVERSIONS_TABLE,
          rows.map(({ row }) => row),
          ['experiment', 'goal', 'visitor_hash']
        );
        if (origin.trusted)
          await markTrusted(
            trx,
            rows.map(({ row }) => row)
          );
        const newByEvent = new Map<number, boolean>();
        for (const { index, row } of rows) {
          const isNew = inserted.has(`${row.experiment}|${row.goal}|${row.visitor_hash}`);
          newByEvent.set(index, (newByEvent.get(index) ?? false) || isNew);
        }
        for (const isNew of newByEvent.values()) {
          if (isNew) accepted += 1;
          else duplicates += 1;
        }
      });
      rejected.sort((a, b) => a.index - b.index);
      return { accepted, duplicates, rejected };
    },

    /** GDPR erasure: every stored event of one visitor. */
    async eraseVisitor(visitorId: string) {
      await flush();
      const visitorHash = hashVisitor(visitorId);
      return knex().transaction(async (trx) => {
        const exposures = await trx(EXPOSURES_TABLE).where({ visitor_hash: visitorHash }).del();
        const conversions = await trx(CONVERSIONS_TABLE).where({ visitor_hash: visitorHash }).del();
        known.clear();
        return { exposures, conversions };
      });
    },

    /** Deletes events older than `eventRetentionDays` (the daily job). */
    async purgeExpired(now = new Date()) {
      await flush();
      const cutoff = new Date(now.getTime() - config().eventRetentionDays * DAY_MS);
      const exposures = await knex()(EXPOSURES_TABLE).where('exposed_at', '<', cutoff).del();
      const conversions = await knex()(CONVERSIONS_TABLE).where('converted_at', '<', cutoff).del();
      await knex()(WITHHELD_TABLE).where('day', '<', dayOf(cutoff)).del();
      if (exposures > 0) known.clear();
      return { exposures, conversions };
    },

    /** Every event of one experiment (it is deleted). */
    async deleteExperimentEvents(experimentDocumentId: string) {
      await flush();
      for (const table of [EXPOSURES_TABLE, CONVERSIONS_TABLE, WITHHELD_TABLE]) {
        await knex()(table).where({ experiment: experimentDocumentId }).del();
      }
      known.clear();
    },

    /**
     * Visitors and conversions per arm, in total and per day, of one experiment and goal; with
     * `conversions: 'trusted'`, only the conversions trusted backends sent.
     */
    async counts(experimentDocumentId: string, goal: string, counted: ConversionFilter = 'all') {
      await flush();
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
      await flush();
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

    /** Visitors and conversions (of each one's goal) per arm, for many experiments (the list). */
    async armCounts(experiments: { documentId: string; goal: string }[]) {
      const result = new Map<string, Map<string, { visitors: number; conversions: number }>>();
      if (experiments.length === 0) return result;
      await flush();
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

    stop() {
      return flush();
    },
  };
};

export default events;
