import { randomBytes } from 'node:crypto';

import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';

import type { PluginConfig } from '../config';
import { EXPERIMENT_UID, PLUGIN_ID, VARIANT_UID } from '../constants';
import { CONTROL_ARM, analyzeExperiment, normalizeWeights, sampleSizePerArm } from '../engine';
import type { ExperimentArm } from '../engine/types';
import { eventName } from './events';
import {
  readableTargetFilter,
  targetRefOf,
  type ContentAccess,
  type ContentAction,
} from '../utils/content-access';
import { getService } from '../utils/get-service';
import { pageMeta, pageQueryFields } from '../utils/pagination';
import { slugify } from '../utils/slug';
import { storedRule } from '../utils/stored-rule';
import { isLocalized } from '../utils/targets';
import type { VariantRow } from '../utils/variant-rows';
import {
  parseOrThrow,
  parseStorableOrThrow,
  assertValidRule,
  throwValidation,
} from '../utils/validation';

export type ExperimentStatus = 'draft' | 'running' | 'paused' | 'completed';

/** An experiment as the document service returns it. */
export interface ExperimentRow {
  id: number;
  documentId: string;
  name: string;
  key: string;
  targetUid: string;
  targetDocumentId: string | null;
  locale: string | null;
  status: ExperimentStatus;
  arms: ExperimentArm[];
  trafficAllocation: number | string;
  audience: unknown;
  goal: string;
  seed: string;
  startedAt: string | null;
  endedAt: string | null;
  winner: string | null;
  createdAt: string;
  updatedAt: string;
}

const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'use lowercase letters, digits, "-" and "_"');

const armSchema = z.strictObject({
  key: slug,
  variant: z.string().min(1).max(64).nullable(),
  weight: z.number().positive().max(1_000_000),
});

const armsSchema = z
  .array(armSchema)
  .min(2)
  .max(10)
  .refine((arms) => arms.filter((arm) => arm.key === CONTROL_ARM).length === 1, {
    message: 'exactly one arm has the key "control"',
  })
  .refine((arms) => new Set(arms.map((arm) => arm.key)).size === arms.length, {
    message: 'arm keys must be unique',
  });

const experimentBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  key: z
    .string()
    .min(1)
    .max(120)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens')
    .optional(),
  targetUid: z.string().min(1).max(256),
  targetDocumentId: z.string().min(1).max(64).nullable().optional(),
  locale: z.string().min(1).max(35).nullable().optional(),
  arms: armsSchema,
  trafficAllocation: z.number().gt(0).max(1).optional(),
  audience: z.unknown().optional(),
  goal: eventName,
});

const experimentUpdateSchema = experimentBodySchema.partial();

/** What may not change once an experiment has started: it would reassign visitors or mix data. */
const FIXED_ONCE_STARTED = [
  'arms',
  'trafficAllocation',
  'audience',
  'goal',
  'key',
  'targetUid',
  'targetDocumentId',
  'locale',
] as const;

export const experimentListQuerySchema = z.strictObject({
  targetUid: z.string().max(256).optional(),
  targetDocumentId: z.string().max(64).optional(),
  status: z.enum(['draft', 'running', 'paused', 'completed']).optional(),
  ...pageQueryFields,
});

const completeSchema = z.strictObject({ winner: slug.nullable() });

/** Rates and effects a sample size can be planned for (0.01 % to 99.99 %, +0.1 % to +10,000 %). */
const sampleSizeQuerySchema = z.strictObject({
  baselineRate: z.coerce.number().min(0.0001).max(0.9999),
  minimumDetectableEffect: z.coerce.number().min(0.001).max(100),
});

const resultsQuerySchema = z.strictObject({
  conversions: z.enum(['all', 'trusted']).default('all'),
});

/** The fields of an experiment that name its entry. */
type TargetFields = Pick<ExperimentRow, 'targetUid' | 'targetDocumentId' | 'locale'>;

/** Decimal columns come back as strings from some databases. */
const present = (row: ExperimentRow) => ({
  id: row.id,
  documentId: row.documentId,
  name: row.name,
  key: row.key,
  targetUid: row.targetUid,
  targetDocumentId: row.targetDocumentId ?? null,
  locale: row.locale ?? null,
  status: row.status,
  arms: row.arms,
  trafficAllocation: Number(row.trafficAllocation ?? 1),
  audience: storedRule(row.audience),
  goal: row.goal,
  seed: row.seed,
  startedAt: row.startedAt ?? null,
  endedAt: row.endedAt ?? null,
  winner: row.winner ?? null,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export type Experiment = ReturnType<typeof present>;

function refuse(message: string, path: string[] = []): never {
  return throwValidation(message, [{ path, message }]);
}

/**
 * Experiments for the admin API: validation, the draft → running ⇄ paused → completed lifecycle,
 * promotion of the winner into the base entry, and results.
 */
const experiments = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => strapi.documents(EXPERIMENT_UID);
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  const findRow = async (documentId: string) => {
    const row = (await documents().findOne({ documentId })) as ExperimentRow | null;
    if (!row) throw new errors.NotFoundError(`No experiment with documentId "${documentId}"`);
    return row;
  };

  /** 403 unless the role may `action` the experiment's entry (in every locale when it has none). */
  const assertTarget = (access: ContentAccess, action: ContentAction, row: TargetFields) =>
    access.assertEntry(action, targetRefOf(row));

  /** The experiment, after checking that the role may `action` its entry. */
  const rowFor = async (access: ContentAccess, action: ContentAction, documentId: string) => {
    const row = await findRow(documentId);
    await assertTarget(access, action, row);
    return row;
  };

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
        refuse(
          `Arm "${arm.key}": "${arm.variant}" is not a variant of this entry${target.locale ? ` in locale "${target.locale}"` : ''}`,
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
      if (explicit) refuse(`The key "${key}" is already used by another experiment`, ['key']);
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

  // The document middleware reloads the registry's experiments after every write.
  const write = async (documentId: string, data: Record<string, unknown>) => {
    const updated = (await documents().update({
      documentId,
      data: data,
    })) as ExperimentRow;
    return present(updated);
  };

  /**
   * The published version of a winner's variant: what the experiment served (a draft edited
   * since then is not what was tested). 404 when the variant is gone, 400 when it is no longer published.
   */
  const servedVersion = async (documentId: string) => {
    const [published] = (await strapi.documents(VARIANT_UID).findMany({
      filters: { documentId },
      locale: '*',
      status: 'published',
      limit: 1,
    })) as VariantRow[];
    if (published) return published;
    const exists = await strapi.db.query(VARIANT_UID).count({ where: { documentId } });
    if (exists === 0) throw new errors.NotFoundError(`No variant with documentId "${documentId}"`);
    return refuse(
      "The winner's variant is no longer published, so what the experiment served is gone; publish it again to promote it",
      ['winner']
    );
  };

  /** Visitors and conversions per arm of many experiments, for the list's leading arm. */
  const listSummaries = async (rows: ExperimentRow[]) => {
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
    /** A page of experiments on entries the role may read. */
    async list(access: ContentAccess, input: unknown) {
      const { page, pageSize, ...filters } = parseOrThrow(
        experimentListQuerySchema,
        input,
        'query'
      );
      const where = await readableTargetFilter(strapi, access, EXPERIMENT_UID, filters);
      if (where === null) {
        return { data: [], meta: pageMeta({ page, pageSize }, 0) };
      }
      const rows = (await documents().findMany({
        filters: where,
        sort: ['createdAt:desc'],
        start: (page - 1) * pageSize,
        limit: pageSize,
      })) as ExperimentRow[];
      const total = await documents().count({ filters: where });
      return {
        data: await listSummaries(rows),
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
          seed: randomBytes(16).toString('hex'),
        },
      })) as ExperimentRow;
      return present(created);
    },

    async update(access: ContentAccess, documentId: string, input: unknown) {
      const row = await rowFor(access, 'update', documentId);
      const body = parseStorableOrThrow(experimentUpdateSchema, input, 'body');
      if (row.status === 'completed') {
        const other = Object.keys(body).filter((name) => name !== 'name');
        if (other.length > 0)
          refuse(`A completed experiment can only be renamed (${other.join(', ')} given)`, [
            other[0],
          ]);
      } else if (row.status !== 'draft') {
        const fixed = FIXED_ONCE_STARTED.filter((name) => name in body);
        if (fixed.length > 0) {
          refuse(
            `${fixed.join(', ')} cannot change once the experiment has started: it would move visitors between arms or mix data`,
            [fixed[0]]
          );
        }
      }
      const merged = { ...present(row), ...body };
      const data: Record<string, unknown> = { ...body };
      if (row.status === 'draft') {
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

    async start(access: ContentAccess, documentId: string) {
      const row = await rowFor(access, 'update', documentId);
      if (row.status !== 'draft' && row.status !== 'paused') {
        refuse(`Only a draft or paused experiment can start; this one is ${row.status}`, [
          'status',
        ]);
      }
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
          refuse(`Arm "${arm.key}": its variant is not published; publish it first`, [
            'arms',
            String(index),
            'variant',
          ]);
        }
      });
      const overlap = await runningOverlap(row);
      if (overlap) {
        refuse(
          `The experiment "${overlap.name}" (${overlap.key}) is already running on this entry${overlap.locale ? ` in locale "${overlap.locale}"` : ''}; pause or complete it first`,
          ['status']
        );
      }
      return write(documentId, {
        status: 'running',
        startedAt: row.startedAt ?? new Date().toISOString(),
      });
    },

    async pause(access: ContentAccess, documentId: string) {
      const row = await rowFor(access, 'update', documentId);
      if (row.status !== 'running') {
        refuse(`Only a running experiment can pause; this one is ${row.status}`, ['status']);
      }
      return write(documentId, { status: 'paused' });
    },

    /** A winner changes what visitors see (it is served to everyone): that needs publish. */
    async complete(access: ContentAccess, documentId: string, input: unknown) {
      const row = await findRow(documentId);
      const { winner } = parseOrThrow(completeSchema, input ?? {}, 'body');
      await assertTarget(access, winner === null ? 'update' : 'publish', row);
      if (row.status !== 'running' && row.status !== 'paused') {
        refuse(`Only a running or paused experiment can complete; this one is ${row.status}`, [
          'status',
        ]);
      }
      if (winner !== null && !row.arms.some((arm) => arm.key === winner)) {
        refuse(`"${winner}" is not an arm of this experiment`, ['winner']);
      }
      await getService(strapi, 'events').flush();
      return write(documentId, { status: 'completed', winner, endedAt: new Date().toISOString() });
    },

    /**
     * Copies the overrides the experiment served (the winner variant's published version) into
     * the base entry's draft, for the editor to review and publish in the Content Manager. The
     * role must be allowed to update the entry and each of those fields.
     */
    async promote(access: ContentAccess, documentId: string) {
      const row = await rowFor(access, 'update', documentId);
      const arm = row.arms.find((candidate) => candidate.key === row.winner);
      if (row.status !== 'completed' || !arm) {
        refuse('Only a completed experiment with a winner can be promoted', ['winner']);
      }
      if (!arm.variant) {
        refuse(`The winner "${arm.key}" is the base entry itself: there is nothing to promote`, [
          'winner',
        ]);
      }
      const variant = await servedVersion(arm.variant);
      const uid = row.targetUid as UID.ContentType;
      const overrides = variant.overrides ?? {};
      const [entry] = await access.assertEntry('update', {
        uid,
        documentId: row.targetDocumentId,
        locale: variant.locale,
      });
      if (!entry) {
        refuse(`The entry no longer exists in locale "${variant.locale}"`, ['targetDocumentId']);
      }
      await access.assertMayUpdateFields(uid, entry, overrides);
      const localized = isLocalized(strapi, uid);
      await strapi.documents(uid).update({
        documentId: entry.documentId,
        ...(localized ? { locale: variant.locale } : {}),
        data: { ...overrides, ...(access.adminId === null ? {} : { updatedBy: access.adminId }) },
      });
      return {
        targetUid: uid,
        documentId: row.targetDocumentId,
        locale: variant.locale,
        attributes: Object.keys(overrides),
      };
    },

    /**
     * The statistics of each arm, and where the events came from (`integrity`). With
     * `?conversions=trusted`, only conversions trusted backends sent count (purchases that a
     * server confirmed, which no browser can fake).
     */
    async results(access: ContentAccess, documentId: string, input: unknown = {}) {
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

    sampleSize(input: unknown) {
      const query = parseOrThrow(sampleSizeQuerySchema, input, 'query');
      const alpha = 0.05;
      const power = 0.8;
      if (query.baselineRate * (1 + query.minimumDetectableEffect) >= 1) {
        refuse('The baseline rate raised by the effect must stay below 100%', [
          'minimumDetectableEffect',
        ]);
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
        return refuse(`No sample size for these rates: ${error.message}`, [
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

export default experiments;
