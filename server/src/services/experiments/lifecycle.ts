import { randomBytes } from 'node:crypto';

import type { Core } from '@strapi/strapi';

import { EXPERIMENT_UID, VARIANT_UID } from '../../constants';
import {
  completeBodySchema,
  experimentBodySchema,
  experimentListQuerySchema,
  experimentStatusSchema,
  experimentUpdateBodySchema,
  type FilterCondition,
} from '../../contracts';
import { normalizeWeights } from '../../engine';
import { messageOf } from '../../engine/messages';
import type { ExperimentArm } from '../../engine/types';
import {
  readableTargetFilter,
  type ContentAccess,
  type DocumentFilter,
} from '../../utils/content-access';
import { getService } from '../../utils/get-service';
import {
  conditionValue,
  enumValue,
  listPageArguments,
  type FilterField,
  type SortField,
} from '../../utils/list-query';
import { pageMeta } from '../../utils/pagination';
import { slugify } from '../../utils/slug';
import { isLocalized } from '../../utils/targets';
import type { VariantRow } from '../../utils/variant-rows';
import { parseOrThrow, parseStorableOrThrow, assertValidRule } from '../../utils/validation';
import { present, refuse, type ExperimentRows, type ExperimentRow } from './rows';
import type { ExperimentResultsService } from './results';

type ExperimentListQuery = ReturnType<typeof experimentListQuerySchema.parse>;

/** The attribute each sortable column of the experiment list sorts by. */
const LIST_SORTS: Record<SortField<ExperimentListQuery>, string> = {
  name: 'name',
  status: 'status',
  traffic: 'trafficAllocation',
  goal: 'goal',
};

/** A list query's condition on the content type or the status of experiments. */
const filterFor = (
  field: FilterField<ExperimentListQuery>,
  condition: FilterCondition,
  path: string[]
): DocumentFilter => {
  const { equal, value } = conditionValue(condition);
  const known = field === 'status' ? enumValue(experimentStatusSchema, value, path) : value;
  return { [field]: equal ? known : { $ne: known } };
};

/** What may not change once an experiment has started: it would reassign visitors or mix data. */
const FIXED_ONCE_STARTED = [
  'arms',
  'trafficAllocation',
  'audience',
  'goal',
  'secondaryGoals',
  'mode',
  'startAt',
  'key',
  'targetUid',
  'targetDocumentId',
  'locale',
] as const;

/** Statuses in which everything may still change: nobody has been exposed yet. */
const EDITABLE = new Set(['draft', 'scheduled']);

/** Secondary goals are other goals than the primary one. */
const assertSecondaryGoals = (goal: string, secondaryGoals: readonly string[] | undefined) => {
  const index = secondaryGoals?.indexOf(goal) ?? -1;
  if (index !== -1)
    refuse(messageOf('experiment.secondaryIsPrimary', { goal }), ['secondaryGoals', String(index)]);
};

/** The end comes after the start, and (when it changes) is still ahead. */
const assertSchedule = (
  schedule: { startAt?: string | null; endAt?: string | null },
  endChanged: boolean,
  now: Date
) => {
  const { startAt, endAt } = schedule;
  if (!endAt) return;
  if (startAt && Date.parse(endAt) <= Date.parse(startAt))
    refuse(messageOf('experiment.scheduleOrder'), ['endAt']);
  if (endChanged && Date.parse(endAt) <= now.getTime())
    refuse(messageOf('experiment.endPassed', { endAt }), ['endAt']);
};

/** A weights entry of a bandit's history: each arm's share from `at` on. */
export const weightsAt = (arms: readonly ExperimentArm[], at: Date) => ({
  at: at.toISOString(),
  arms: Object.fromEntries(arms.map((arm) => [arm.key, arm.weight])),
});

/**
 * The lifecycle of experiments for the admin API: validation, and draft → running ⇄ paused →
 * completed.
 */
export const experimentLifecycle = (
  strapi: Core.Strapi,
  {
    experimentRows,
    results,
  }: { experimentRows: ExperimentRows; results: Pick<ExperimentResultsService, 'listSummaries'> }
) => {
  const { documents, findRow, assertTarget, rowFor, write } = experimentRows;

  /** Arms' variants must be variants of the experiment's entry (and locale, when it has one). */
  const assertArmVariants = async (
    arms: ExperimentArm[],
    target: { targetUid: string; targetDocumentId: string | null; locale: string | null }
  ) => {
    const ids = [...new Set(arms.flatMap((arm) => (arm.variant ? [arm.variant] : [])))];
    if (ids.length === 0) return;
    const rows = (await strapi.documents(VARIANT_UID).findMany({
      filters: { documentId: { $in: ids } },
      locale: '*',
      status: 'draft',
      fields: ['documentId', 'targetUid', 'targetDocumentId', 'locale'],
    })) as Pick<VariantRow, 'id' | 'documentId' | 'targetUid' | 'targetDocumentId' | 'locale'>[];
    arms.forEach((arm, index) => {
      if (!arm.variant) return;
      const row = rows.find((candidate) => candidate.documentId === arm.variant);
      const sameEntry =
        row &&
        row.targetUid === target.targetUid &&
        (row.targetDocumentId ?? null) === target.targetDocumentId &&
        (target.locale === null || row.locale === target.locale);
      if (!sameEntry) {
        const values = { arm: arm.key, variant: arm.variant };
        refuse(
          target.locale
            ? messageOf('experiment.armNotOfEntryInLocale', { ...values, locale: target.locale })
            : messageOf('experiment.armNotOfEntry', values),
          ['arms', String(index), 'variant']
        );
      }
    });
  };

  const uniqueKey = async (wanted: string, explicit: boolean, documentId?: string) => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const key = attempt === 0 ? wanted : `${wanted}-${attempt + 1}`;
      const taken = await documents().findFirst({ filters: { key }, fields: ['documentId'] });
      if (!taken || taken.documentId === documentId) return key;
      if (explicit) refuse(messageOf('experiment.keyTaken', { key }), ['key']);
    }
    return `${wanted}-${randomBytes(3).toString('hex')}`;
  };

  /** The running experiment on the same entry whose locale overlaps (null overlaps every locale). */
  const runningOverlap = async (row: ExperimentRow) => {
    const running = (await documents().findMany({
      filters: {
        status: 'running',
        targetUid: row.targetUid,
        targetDocumentId: row.targetDocumentId === null ? { $null: true } : row.targetDocumentId,
        documentId: { $ne: row.documentId },
      },
    })) as ExperimentRow[];
    return running.find(
      (other) => other.locale === null || row.locale === null || other.locale === row.locale
    );
  };

  /** What starting needs: the entry, published arm variants, no other running experiment. */
  const assertStartable = async (row: ExperimentRow) => {
    await getService(strapi, 'variants').targetEntry(
      row.targetUid,
      row.targetDocumentId,
      row.locale ?? undefined
    );
    const variantIds = row.arms.flatMap((arm) => (arm.variant ? [arm.variant] : []));
    const published = new Set(
      (
        (await strapi.documents(VARIANT_UID).findMany({
          filters: { documentId: { $in: variantIds } },
          locale: '*',
          status: 'published',
          fields: ['documentId'],
        })) as { documentId: string }[]
      ).map((variant) => variant.documentId)
    );
    row.arms.forEach((arm, index) => {
      if (arm.variant && !published.has(arm.variant)) {
        refuse(messageOf('experiment.armNotPublished', { arm: arm.key }), [
          'arms',
          String(index),
          'variant',
        ]);
      }
    });
    const overlap = await runningOverlap(row);
    if (overlap) {
      const values = { name: overlap.name, key: overlap.key };
      refuse(
        overlap.locale
          ? messageOf('experiment.alreadyRunningInLocale', { ...values, locale: overlap.locale })
          : messageOf('experiment.alreadyRunning', values),
        ['status']
      );
    }
  };

  /** Running from `now` (a bandit's weight history starts with its first weights). */
  const activate = (row: ExperimentRow, now: Date) =>
    write(row.documentId, {
      status: 'running',
      startedAt: row.startedAt ?? now.toISOString(),
      ...(row.mode === 'bandit' && !row.weightHistory?.length
        ? { weightHistory: [weightsAt(row.arms, now)] }
        : {}),
    });

  /** Completed at `endedAt`: with a winner, it is served to everyone from then on. */
  const finish = async (row: ExperimentRow, winner: string | null, endedAt: Date) => {
    await getService(strapi, 'events').flush();
    return write(row.documentId, { status: 'completed', winner, endedAt: endedAt.toISOString() });
  };

  return {
    assertStartable,
    activate,
    finish,

    /** A page of experiments on entries the role may read. */
    async list(access: ContentAccess, input: unknown) {
      const query = parseOrThrow(experimentListQuerySchema, input, 'query');
      const { page, pageSize, _q, filters, sort, ...target } = query;
      const readable = await readableTargetFilter(strapi, access, EXPERIMENT_UID, target);
      if (readable === null) {
        return { data: [], meta: pageMeta({ page, pageSize }, 0) };
      }
      const pageArguments = await listPageArguments(query, readable, {
        filterFor,
        sortPaths: LIST_SORTS,
        defaultOrder: ['createdAt:desc'],
      });
      const rows = (await documents().findMany(pageArguments)) as ExperimentRow[];
      const total = await documents().count({ filters: pageArguments.filters });
      return {
        data: await getService(strapi, 'targets').withTargets(
          access,
          await results.listSummaries(rows)
        ),
        meta: pageMeta({ page, pageSize }, total),
      };
    },

    async findOne(access: ContentAccess, documentId: string) {
      return present(await rowFor(access, 'read', documentId));
    },

    /** A draft experiment on an entry the role may update. */
    async create(access: ContentAccess, input: unknown) {
      const body = parseStorableOrThrow(experimentBodySchema, input, 'body');
      const target = await getService(strapi, 'variants').targetEntry(
        body.targetUid,
        body.targetDocumentId,
        body.locale ?? undefined
      );
      // A type without locales has one version: the experiment is for every (null) locale.
      const locale = isLocalized(strapi, target.uid) ? (body.locale ?? null) : null;
      const targetDocumentId = body.targetDocumentId ?? null;
      await assertTarget(access, 'update', { targetUid: target.uid, targetDocumentId, locale });
      assertValidRule(body.audience, 'audience');
      assertSecondaryGoals(body.goal, body.secondaryGoals);
      assertSchedule(body, true, new Date());
      await assertArmVariants(body.arms, { targetUid: target.uid, targetDocumentId, locale });
      const key = await uniqueKey(
        body.key ?? slugify(body.name, { maxLength: 100, fallback: 'experiment' }),
        body.key !== undefined
      );
      const created = (await documents().create({
        data: {
          name: body.name,
          key,
          targetUid: target.uid,
          targetDocumentId,
          locale,
          status: 'draft',
          arms: normalizeWeights(body.arms),
          trafficAllocation: body.trafficAllocation ?? 1,
          audience: body.audience ?? null,
          goal: body.goal,
          secondaryGoals: body.secondaryGoals ?? [],
          mode: body.mode ?? 'fixed',
          startAt: body.startAt ?? null,
          endAt: body.endAt ?? null,
          seed: randomBytes(16).toString('hex'),
        },
      })) as ExperimentRow;
      return present(created);
    },

    async update(access: ContentAccess, documentId: string, input: unknown) {
      const row = await rowFor(access, 'update', documentId);
      const body = parseStorableOrThrow(experimentUpdateBodySchema, input, 'body');
      if (row.status === 'completed') {
        const other = Object.keys(body).filter((name) => name !== 'name');
        if (other.length > 0)
          refuse(messageOf('experiment.renameOnly', { fields: other.join(', ') }), [other[0]]);
      } else if (!EDITABLE.has(row.status)) {
        const fixed = FIXED_ONCE_STARTED.filter((name) => name in body);
        if (fixed.length > 0) {
          refuse(messageOf('experiment.fixedOnceStarted', { fields: fixed.join(', ') }), [
            fixed[0],
          ]);
        }
      }
      const merged = { ...present(row), ...body };
      const data: Record<string, unknown> = { ...body };
      if (row.status !== 'completed') assertSchedule(merged, 'endAt' in body, new Date());
      if (EDITABLE.has(row.status)) {
        assertSecondaryGoals(merged.goal, merged.secondaryGoals);
        const target = await getService(strapi, 'variants').targetEntry(
          merged.targetUid,
          merged.targetDocumentId,
          merged.locale ?? undefined
        );
        const locale = isLocalized(strapi, target.uid) ? (merged.locale ?? null) : null;
        const retargeted = {
          targetUid: target.uid,
          targetDocumentId: merged.targetDocumentId ?? null,
          locale,
        };
        await assertTarget(access, 'update', retargeted);
        if ('audience' in body) assertValidRule(body.audience, 'audience');
        await assertArmVariants(merged.arms, retargeted);
        if ('locale' in body) data.locale = locale;
        if (body.arms) data.arms = normalizeWeights(body.arms);
        if (body.key !== undefined) data.key = await uniqueKey(body.key, true, documentId);
        if ('audience' in body) data.audience = body.audience ?? null;
      }
      return write(documentId, data);
    },

    async delete(access: ContentAccess, documentId: string) {
      const row = await rowFor(access, 'update', documentId);
      await documents().delete({ documentId });
      await getService(strapi, 'events').deleteExperimentEvents(documentId);
      return present(row);
    },

    /**
     * Starts a draft or paused experiment, or schedules a draft whose `startAt` is still ahead
     * (the schedule job starts it then, checking again).
     */
    async start(access: ContentAccess, documentId: string) {
      const row = await rowFor(access, 'update', documentId);
      if (row.status !== 'draft' && row.status !== 'paused') {
        refuse(messageOf('experiment.cannotStart', { status: row.status }), ['status']);
      }
      const now = new Date();
      await assertStartable(row);
      if (
        row.status === 'draft' &&
        row.startAt &&
        new Date(row.startAt).getTime() > now.getTime()
      ) {
        return write(documentId, { status: 'scheduled' });
      }
      return activate(row, now);
    },

    async pause(access: ContentAccess, documentId: string) {
      const row = await rowFor(access, 'update', documentId);
      if (row.status !== 'running') {
        refuse(messageOf('experiment.cannotPause', { status: row.status }), ['status']);
      }
      return write(documentId, { status: 'paused' });
    },

    /** A winner changes what visitors see (it is served to everyone): that needs publish. */
    async complete(access: ContentAccess, documentId: string, input: unknown) {
      const row = await findRow(documentId);
      const { winner } = parseOrThrow(completeBodySchema, input ?? {}, 'body');
      await assertTarget(access, winner === null ? 'update' : 'publish', row);
      // A scheduled experiment completes without a winner (cancelled before it ran).
      const completable =
        row.status === 'running' ||
        row.status === 'paused' ||
        (row.status === 'scheduled' && winner === null);
      if (!completable) {
        refuse(messageOf('experiment.cannotComplete', { status: row.status }), ['status']);
      }
      if (winner !== null && !row.arms.some((arm) => arm.key === winner)) {
        refuse(messageOf('experiment.notAnArm', { winner }), ['winner']);
      }
      return finish(row, winner, new Date());
    },
  };
};

export type ExperimentLifecycle = ReturnType<typeof experimentLifecycle>;
