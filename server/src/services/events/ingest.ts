import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import {
  eventSchema,
  type ConversionInput,
  type DecisionEventInput,
  type NamedEventInput,
  type ViewInput,
  type EventInput,
  type ExposureInput,
  type TrackResult,
} from '../../contracts';
import { bucketArm, impactExposureOf, inHoldout, type ProfileChange } from '../../engine';
import { CONVERSIONS_TABLE, EXPOSURES_TABLE } from '../../models/events';
import type { RegisteredExperiment } from '../../registry';
import { getService } from '../../utils/get-service';
import { issuesOf } from '../../utils/validation';
import type { EventBudget } from './event-budget';
import type { ExposureBuffer } from './exposure-buffer';
import type { ImpactEvents } from './impact';
import {
  DAY_MS,
  INSERT_CHUNK,
  dayOf,
  exposureKey,
  exposureRow,
  insertNew,
  outsideRun,
  retryingLockConflicts,
  timeOf,
  type ConversionRow,
  type EventOrigin,
  type ExposureRow,
} from './rows';
import type { VisitorHashing } from './visitor-hash';

/** Clock skew tolerated for a client's `timestamp` in the future. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Ingest and attribution: a batch of exposures and conversions from frontends and backends,
 * checked against the running experiments, stored in one transaction with the tables' unique
 * keys deciding what is new (so a retried batch counts nothing twice), each conversion
 * attributed to the arm of the visitor's earlier exposure.
 */
export const eventIngest = (
  strapi: Core.Strapi,
  {
    hashing,
    budget,
    buffer,
    impact,
  }: { hashing: VisitorHashing; budget: EventBudget; buffer: ExposureBuffer; impact: ImpactEvents }
) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const knex = () => strapi.db.connection;
  const registry = () => getService(strapi, 'registryLoader').registry;

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

  /** Why an exposure is not stored, or its row. */
  const exposureOf = (
    event: ExposureInput,
    visitorHash: string,
    at: Date,
    origin: EventOrigin,
    receivedAt: Date
  ): { error: string } | { row: ExposureRow } => {
    const experiment = registry().experiment(event.experiment);
    if (!experiment || experiment.status !== 'running') {
      return { error: `no running experiment has the key "${event.experiment}"` } as const;
    }
    const outside = outsideRun(experiment, at);
    if (outside) return { error: outside } as const;
    if (inHoldout(registry().holdout, event.visitorId)) {
      return { error: 'the visitor is in the holdout: no arm is served to them' } as const;
    }
    const arm = bucketArm(experiment, event.visitorId);
    if (arm === null) {
      return { error: "the visitor is outside the experiment's traffic allocation" } as const;
    }
    const source = hashing.sourceOf(origin.address, receivedAt);
    return {
      row: exposureRow(experiment, arm.key, visitorHash, at, source, origin.trusted),
    } as const;
  };

  /**
   * Records what the origin records of its own decision (delivery.ts `decideFor`) for one made at
   * the edge: the variant's reach and, holdout on, the visitor's impact exposure. Why it is not
   * recorded, or null. The variant must be published for the entry and locale, and nobody in the
   * holdout is served one.
   */
  const recordDecision = (event: DecisionEventInput, at: Date): string | null => {
    const { holdout, personas, stages } = registry();
    const variants = registry().variantsOf(
      event.target.uid,
      event.target.documentId ?? null,
      event.locale
    );
    const heldOut = inHoldout(holdout, event.visitorId);
    if (event.variant !== null) {
      if (!variants.some((variant) => variant.documentId === event.variant)) {
        return `the variant "${event.variant}" is not published for that entry and locale`;
      }
      if (heldOut) return 'the visitor is in the holdout: no variant is served to them';
    }
    if (event.persona !== null && !personas.some((persona) => persona.slug === event.persona)) {
      return `no persona has the slug "${event.persona}"`;
    }
    if (event.stage !== null && !stages.some((stage) => stage.slug === event.stage)) {
      return `no stage has the slug "${event.stage}"`;
    }
    if (event.variant !== null) impact.recordReach(event.variant, event.visitorId, at);
    const exposure = impactExposureOf(holdout, variants.length > 0, heldOut, event);
    if (exposure !== null) impact.recordImpactExposure(event.visitorId, exposure, at);
    return null;
  };

  const goalExperiments = (event: ConversionInput) => {
    const matches: RegisteredExperiment[] = [];
    for (const experiment of registry().experiments) {
      if (
        experiment.status === 'running' &&
        (experiment.goal === event.goal || experiment.secondaryGoals.includes(event.goal)) &&
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

  /** What an event changes in the visitor's profile (with consent). */
  const profileChangeOf = (
    event: ConversionInput | ViewInput | NamedEventInput,
    at: number
  ): ProfileChange => {
    if (event.type === 'view') {
      return {
        kind: 'view',
        at,
        signals: event.target
          ? registry().signalsOf(event.target.uid, event.target.documentId ?? null)
          : [],
        stage: null,
      };
    }
    return { kind: 'event', at, name: event.type === 'conversion' ? event.goal : event.name };
  };

  return {
    /** The arm a running experiment (by key) gives this visitor by bucketing; null outside it. */
    assignedArm(experimentKey: string, visitorId: string) {
      const experiment = registry().experiment(experimentKey);
      return experiment ? (bucketArm(experiment, visitorId)?.key ?? null) : null;
    },

    /**
     * Stores a batch in one transaction and answers only after it committed. Each event is
     * accepted (stored), a duplicate (already stored) or rejected with the reason. A batch over
     * its address's budget is refused whole with a RateLimitError (`details.retryAfter`, in
     * seconds). A trusted origin's conversions mark the same conversions stored before as trusted
     * (a browser may have reported the purchase first).
     */
    async ingest(inputs: unknown[], origin: EventOrigin): Promise<TrackResult> {
      const now = Date.now();
      const wait = await budget.spend(origin, inputs.length);
      if (wait > 0) {
        const retryAfter = Math.ceil(wait / 1_000);
        throw new errors.RateLimitError(
          `This address sent more events than its budget allows (${budget.perAddress} every ${budget.windowSeconds} s); retry in ${retryAfter} s`,
          { retryAfter }
        );
      }
      const rejected: TrackResult['rejected'] = [];
      // While the holdout is on, every conversion also counts for the impact report.
      const forImpact = registry().holdout.share > 0;
      /** Profile changes by visitor id, and the events that made them. */
      const profileChanges = new Map<string, ProfileChange[]>();
      const profiled = new Set<number>();
      const seenIds = new Set<string>();
      let duplicates = 0;
      /** Decisions made at the edge: recorded as the delivery records its own, buffered. */
      let decided = 0;
      const exposures: { index: number; row: ExposureRow }[] = [];
      const conversions: {
        index: number;
        event: ConversionInput;
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
        if (event.type === 'decision') {
          const refusal = recordDecision(event, at);
          if (refusal === null) decided += 1;
          else rejected.push({ index, error: refusal });
          return;
        }
        if (event.type !== 'exposure' && event.consent?.personalization === true) {
          const change = profileChangeOf(event, at.getTime());
          const list = profileChanges.get(event.visitorId);
          if (list) list.push(change);
          else profileChanges.set(event.visitorId, [change]);
          profiled.add(index);
        }
        if (event.type === 'view' || event.type === 'event') {
          if (!profiled.has(index)) {
            rejected.push({
              index,
              error: `a ${event.type} is recorded only in a profile, which is kept only with consent.personalization: true`,
            });
          }
          return;
        }
        const visitorHash = hashing.hashVisitor(event.visitorId);
        if (event.type === 'exposure') {
          const exposure = exposureOf(event, visitorHash, at, origin, new Date(now));
          if ('error' in exposure) rejected.push({ index, error: exposure.error });
          else exposures.push({ index, row: exposure.row });
          return;
        }
        const running = goalExperiments(event);
        const experiments = running.filter((experiment) => outsideRun(experiment, at) === null);
        if (forImpact) {
          conversions.push({ index, event, visitorHash, at, experiments });
          return;
        }
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
      if (conversions.length > 0) await buffer.flush();
      let accepted = 0;
      const storedExposures: [key: string, arm: string][] = [];
      const rejectedBefore = rejected.length;
      const duplicatesBefore = duplicates;
      // What one attempt counted is counted again by the next (a deadlock rolls it back).
      const store = () =>
        knex().transaction(async (trx) => {
          accepted = 0;
          duplicates = duplicatesBefore;
          rejected.length = rejectedBefore;
          storedExposures.length = 0;
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
            storedExposures.push([key, row.arm]);
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
                  goal: event.goal,
                  arm: exposure.arm,
                  visitor_hash: visitorHash,
                  converted_at: at,
                  day: dayOf(at),
                  source: origin.trusted ? null : hashing.sourceOf(origin.address, new Date(now)),
                  trusted: origin.trusted,
                  received_minute: Math.floor(now / 60_000),
                },
              });
            }
            if (!counted && !forImpact) {
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
          if (forImpact) {
            const insertedGoals = await impact.storeGoalConversions(
              trx,
              conversions.map(({ event, visitorHash, at }) => ({
                visitorHash,
                goal: event.goal,
                at,
                trusted: origin.trusted,
              }))
            );
            for (const { index, event, visitorHash, at } of conversions) {
              const isNew = insertedGoals.has(`${visitorHash}|${event.goal}|${dayOf(at)}`);
              newByEvent.set(index, (newByEvent.get(index) ?? false) || isNew);
            }
          }
          for (const isNew of newByEvent.values()) {
            if (isNew) accepted += 1;
            else duplicates += 1;
          }
        });
      await retryingLockConflicts(store);
      accepted += decided;
      // Stored before answering, as the batch's other events are.
      if (decided > 0) await impact.flushImpact();
      for (const [key, arm] of storedExposures) buffer.markStored(key, arm);
      // Written before answering: the very next response, on any instance, sees them.
      await getService(strapi, 'profiles').recordNow(profileChanges);
      // Views and named events are recorded in the profile only; a conversion no experiment
      // counted was still recorded there.
      const storedConversions = new Set(conversions.map(({ index }) => index));
      const rejectedIndexes = new Set(rejected.map(({ index }) => index));
      for (const index of profiled) {
        if (rejectedIndexes.has(index) || !storedConversions.has(index)) accepted += 1;
      }
      const kept = rejected.filter(({ index }) => !profiled.has(index));
      kept.sort((a, b) => a.index - b.index);
      return { accepted, duplicates, rejected: kept };
    },
  };
};
