import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import { PERSONA_UID, STAGE_UID, VARIANT_UID } from '../constants';
import {
  type FilterCondition,
  type LeftOutOverride,
  variantBodySchema,
  variantDuplicateBodySchema,
  variantListQuerySchema,
  variantStatusSchema,
  variantCountsQuerySchema,
  variantReachQuerySchema,
  REACH_DAYS,
  type VariantReach,
  type VariantCounts,
  variantUpdateBodySchema,
  type Variant,
  type VariantDuplicateResponse,
} from '../contracts';
import { shadowingVariant } from '../engine';
import { DAY_MS, dayOf } from './events/rows';
import { messageOf } from '../engine/messages';
import {
  readableTargetFilter,
  targetRefOf,
  type ContentAccess,
  type ContentAction,
  type DocumentFilter,
} from '../utils/content-access';
import { getService } from '../utils/get-service';
import {
  allOf,
  anyOf,
  conditionValue,
  enumValue,
  listPageArguments,
  type FilterField,
  type SortField,
} from '../utils/list-query';
import { pageMeta } from '../utils/pagination';
import { storedRule } from '../utils/stored-rule';
import {
  isLocalized,
  requireTargetContentType,
  requireTargetDocumentId,
  targetContentType,
} from '../utils/targets';
import {
  parseOrThrow,
  parseStorableOrThrow,
  assertValidRule,
  refuse,
  throwNotFound,
  throwValidation,
  type ValidationIssue,
} from '../utils/validation';
import {
  isLater,
  VARIANT_POPULATE,
  variantStatus,
  variantTargeting,
  type VariantRow,
} from '../utils/variant-rows';

interface Facts {
  /** The published version of the variant, if any. */
  published: VariantRow | undefined;
  /** When the base entry's draft was last saved; undefined when unknown. */
  baseUpdatedAt: string | undefined;
  /** The variant that always wins over this one (docs/architecture.md §5), if any. */
  shadowedBy: VariantRow | null;
}

/**
 * A variant as the admin API returns it: slugs for persona and stage, its status, `drift` when
 * the base entry was saved after the variant's overrides, and `shadowedBy` when it is unreachable.
 */
const present = (draft: VariantRow, { published, baseUpdatedAt, shadowedBy }: Facts): Variant => ({
  ...variantTargeting(draft),
  personaName: draft.persona?.name ?? null,
  stageName: draft.stage?.name ?? null,
  rule: storedRule(draft.rule),
  overrides: draft.overrides ?? {},
  baseUpdatedAt: draft.baseUpdatedAt,
  createdAt: draft.createdAt,
  updatedAt: draft.updatedAt,
  status: variantStatus(draft, published),
  publishedAt: published?.publishedAt ?? null,
  drift: isLater(baseUpdatedAt, draft.baseUpdatedAt),
  shadowedBy: shadowedBy ? { documentId: shadowedBy.documentId, name: shadowedBy.name } : null,
});

type VariantListQuery = ReturnType<typeof variantListQuerySchema.parse>;
type VariantListFilter = FilterField<VariantListQuery>;

/** The attribute each sortable column of the variant list sorts by. */
const LIST_SORTS: Record<SortField<VariantListQuery>, string> = {
  name: 'name',
  locale: 'locale',
  persona: 'persona.name',
  stage: 'stage.order',
  priority: 'priority',
};

const entryKey = (row: Pick<VariantRow, 'targetUid' | 'targetDocumentId' | 'locale'>) =>
  `${row.targetUid}|${row.targetDocumentId ?? ''}|${row.locale}`;

/** Variants for the admin API: validated against their target type, written as drafts. */
const variants = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => strapi.documents(VARIANT_UID);

  /** A variant's single locale version (the admin API creates one document per locale). */
  const draftOf = async (documentId: string) => {
    const [draft] = (await documents().findMany({
      filters: { documentId },
      locale: '*',
      status: 'draft',
      populate: VARIANT_POPULATE,
      limit: 1,
    })) as VariantRow[];
    if (!draft) throwNotFound(messageOf('notFound.variant', { documentId }));
    return draft;
  };

  const publishedOf = async (drafts: VariantRow[]) => {
    if (drafts.length === 0) return new Map<string, VariantRow>();
    const rows = (await documents().findMany({
      filters: { documentId: { $in: drafts.map((draft) => draft.documentId) } },
      locale: '*',
      status: 'published',
    })) as VariantRow[];
    return new Map(rows.map((row) => [`${row.documentId}|${row.locale}`, row]));
  };

  /** When each target entry's draft was last saved, by `entryKey`. */
  const baseUpdatedAts = async (rows: VariantRow[]) => {
    const result = new Map<string, string>();
    const uids = [...new Set(rows.map((row) => row.targetUid))];
    // One query per target type, not one per variant.
    await Promise.all(
      uids.map(async (uid) => {
        if (!targetContentType(strapi, uid)) return;
        const group = rows.filter((row) => row.targetUid === uid);
        const localized = isLocalized(strapi, uid);
        const documentIds = [...new Set(group.map((row) => row.targetDocumentId))].filter(
          (documentId): documentId is string => documentId !== null
        );
        const entries = (await strapi.documents(uid as UID.ContentType).findMany({
          ...(documentIds.length > 0 ? { filters: { documentId: { $in: documentIds } } } : {}),
          ...(localized ? { locale: '*' } : {}),
          status: 'draft',
          fields: localized ? ['updatedAt', 'locale'] : ['updatedAt'],
        })) as { id: number; documentId: string; locale?: string; updatedAt: string }[];
        for (const row of group) {
          const entry = entries.find(
            (candidate) =>
              (row.targetDocumentId === null || candidate.documentId === row.targetDocumentId) &&
              (!localized || candidate.locale === row.locale)
          );
          if (entry) result.set(entryKey(row), entry.updatedAt);
        }
      })
    );
    return result;
  };

  /** Every variant (draft) of the same entries as `rows`, in one query, by `entryKey`. */
  const siblingsOf = async (rows: VariantRow[]) => {
    const result = new Map<string, VariantRow[]>();
    if (rows.length === 0) return result;
    const targets = new Map(
      rows.map((row) => [`${row.targetUid}|${row.targetDocumentId ?? ''}`, row] as const)
    );
    const found = (await documents().findMany({
      filters: {
        $or: [...targets.values()].map((row) => ({
          targetUid: row.targetUid,
          targetDocumentId: row.targetDocumentId ?? { $null: true },
        })),
      },
      locale: '*',
      status: 'draft',
      populate: VARIANT_POPULATE,
    })) as VariantRow[];
    for (const row of found) {
      const key = entryKey(row);
      result.set(key, [...(result.get(key) ?? []), row]);
    }
    return result;
  };

  /** Variants as the admin API returns them, with only the overrides the role may read. */
  const presentMany = async (access: ContentAccess, drafts: VariantRow[]) => {
    const [published, bases, siblings, overrides] = await Promise.all([
      publishedOf(drafts),
      baseUpdatedAts(drafts),
      siblingsOf(drafts),
      access.readableData(drafts, targetRefOf, (draft) => draft.overrides ?? {}),
    ]);
    const stored = (row: VariantRow) => ({
      ...variantTargeting(row),
      createdAt: row.createdAt,
      rule: storedRule(row.rule),
      row,
    });
    return drafts.map((draft, index) => {
      const others = (siblings.get(entryKey(draft)) ?? []).map(stored);
      return present(
        { ...draft, overrides: overrides[index] },
        {
          published: published.get(`${draft.documentId}|${draft.locale}`),
          baseUpdatedAt: bases.get(entryKey(draft)),
          shadowedBy: shadowingVariant(stored(draft), others)?.row ?? null,
        }
      );
    });
  };

  const presentOne = async (access: ContentAccess, draft: VariantRow) =>
    (await presentMany(access, [draft]))[0];

  /** 403 unless the role may `action` the variant's entry; the entry's version (when it exists). */
  const entryOf = async (access: ContentAccess, action: ContentAction, row: VariantRow) =>
    (await access.assertEntry(action, targetRefOf(row)))[0];

  /** The relation value for a persona or stage slug; 400 for an unknown slug. */
  const relation = async (field: 'persona' | 'stage', value: string | null | undefined) => {
    if (value === undefined) return undefined;
    if (value === null) return null;
    const found = await strapi
      .documents(field === 'persona' ? PERSONA_UID : STAGE_UID)
      .findFirst({ filters: { slug: value } });
    if (!found) {
      throwValidation(`Unknown ${field} "${value}"`, [
        {
          path: [field],
          ...messageOf(field === 'persona' ? 'variant.noPersona' : 'variant.noStage', {
            slug: value,
          }),
        },
      ]);
    }
    return found.documentId;
  };

  /** The target entry's draft in that locale; 400 when it does not exist. */
  const targetEntry = async (
    targetUid: string,
    targetDocumentId: string | null | undefined,
    locale: string | undefined
  ) => {
    const contentType = requireTargetContentType(strapi, targetUid);
    const uid = contentType.uid;
    const registryLoader = getService(strapi, 'registryLoader');
    if (!registryLoader.registry.isEnabled(uid)) {
      throwValidation(`Variants are switched off for ${uid}`, [
        { path: ['targetUid'], ...messageOf('variant.switchedOff') },
      ]);
    }
    const single = contentType.kind === 'singleType';
    if (single && targetDocumentId) {
      throwValidation(`${uid} is a single type: omit targetDocumentId`, [
        { path: ['targetDocumentId'], ...messageOf('variant.singleType') },
      ]);
    }
    const documentId = requireTargetDocumentId(contentType, targetDocumentId);
    const localized = isLocalized(strapi, uid);
    const variantLocale = localized
      ? (locale ?? registryLoader.defaultLocale)
      : registryLoader.defaultLocale;
    if (localized && !(await strapi.plugin('i18n').service('locales').findByCode(variantLocale))) {
      throwValidation(`Unknown locale "${variantLocale}"`, [
        { path: ['locale'], ...messageOf('variant.unknownLocale') },
      ]);
    }
    const entry = await strapi.documents(uid).findFirst({
      ...(documentId === null ? {} : { filters: { documentId } }),
      ...(localized ? { locale: variantLocale } : {}),
      status: 'draft',
    });
    if (!entry) {
      throwValidation(
        `The target entry does not exist${localized ? ` in locale "${variantLocale}"` : ''}`,
        [{ path: [single ? 'targetUid' : 'targetDocumentId'], ...messageOf('variant.noEntry') }]
      );
    }
    return { uid, locale: variantLocale, entry };
  };

  type Target = Awaited<ReturnType<typeof targetEntry>>;

  /** 403 unless the role may update the target entry in the target locale; its version. */
  const writableEntry = async (
    access: ContentAccess,
    target: Target,
    targetDocumentId: string | null
  ) =>
    (
      await access.assertEntry('update', {
        uid: target.uid,
        documentId: targetDocumentId,
        locale: target.locale,
      })
    )[0];

  /**
   * Writes a new draft variant of `target` with overrides validated against its type; the role
   * must be allowed to update each overridden field of `entry` (see `writableEntry`).
   */
  const insert = async (
    access: ContentAccess,
    target: Target,
    entry: Awaited<ReturnType<typeof writableEntry>>,
    fields: {
      name: string;
      targetDocumentId: string | null;
      persona?: string | null;
      stage?: string | null;
      rule?: unknown;
      priority?: number | null;
      overrides: Record<string, unknown>;
    }
  ) => {
    const created = await documents().create({
      locale: target.locale,
      data: {
        name: fields.name,
        targetUid: target.uid,
        targetDocumentId: fields.targetDocumentId,
        persona: (await relation('persona', fields.persona)) ?? null,
        stage: (await relation('stage', fields.stage)) ?? null,
        rule: fields.rule ?? null,
        priority: fields.priority ?? 0,
        overrides: await access.mayOverride(target.uid, entry, fields.overrides),
        baseUpdatedAt: target.entry.updatedAt,
      },
    });
    return presentOne(access, await draftOf((created as { documentId: string }).documentId));
  };

  /**
   * Of a variant's overrides, those `uid` accepts now, and each one it refuses (an attribute
   * removed or no longer overridable, a file deleted) with the reason.
   */
  const takeAlong = async (uid: UID.ContentType, overrides: Record<string, unknown>) => {
    const valid: Record<string, unknown> = {};
    const leftOut: LeftOutOverride[] = [];
    for (const [attribute, value] of Object.entries(overrides)) {
      try {
        Object.assign(
          valid,
          await getService(strapi, 'overrides').validate(uid, { [attribute]: value })
        );
      } catch (error) {
        if (!(error instanceof errors.ValidationError)) throw error;
        // The first issue says why, with its id for the admin to translate.
        const [issue] = (error.details as { errors?: ValidationIssue[] }).errors ?? [];
        const { message, messageId, values } = issue ?? { message: error.message };
        leftOut.push({ attribute, message, messageId, values });
      }
    }
    return { valid, leftOut };
  };

  /**
   * The variants whose status is (or, `$ne`, is not) the condition's: a draft has no published
   * version, a modified one was saved after it was published.
   */
  const statusFilter = async (
    condition: FilterCondition,
    path: string[]
  ): Promise<DocumentFilter> => {
    const { equal, value } = conditionValue(condition);
    const status = enumValue(variantStatusSchema, value, path);
    type Version = Pick<VariantRow, 'id' | 'documentId' | 'locale' | 'updatedAt'>;
    const published = (await documents().findMany({
      locale: '*',
      status: 'published',
      fields: ['locale', 'updatedAt'],
    })) as Version[];
    const publishedIds = published.map((row) => row.documentId);
    let ids = publishedIds;
    if (status !== 'draft' && publishedIds.length > 0) {
      const versions = new Map(published.map((row) => [`${row.documentId}|${row.locale}`, row]));
      const drafts = (await documents().findMany({
        filters: { documentId: { $in: publishedIds } },
        locale: '*',
        status: 'draft',
        fields: ['locale', 'updatedAt'],
      })) as Version[];
      ids = drafts
        .filter(
          (draft) =>
            variantStatus(draft, versions.get(`${draft.documentId}|${draft.locale}`)) === status
        )
        .map((draft) => draft.documentId);
    }
    // `ids` are the published variants, or those of `status`: drafts are all the others.
    const inside = (status === 'draft') !== equal;
    return { documentId: inside ? { $in: ids } : { $notIn: ids } };
  };

  /** A list query's condition on one field of the variants. */
  const filterFor = (
    field: VariantListFilter,
    condition: FilterCondition,
    path: string[]
  ): DocumentFilter | Promise<DocumentFilter> => {
    if (field === 'status') return statusFilter(condition, path);
    const { equal, value } = conditionValue(condition);
    if (field === 'targetUid') return { targetUid: equal ? value : { $ne: value } };
    // Persona and stage by slug; "is not" includes the variants for every persona (none set).
    return equal
      ? { [field]: { slug: value } }
      : anyOf([{ [field]: { slug: { $ne: value } } }, { [field]: { slug: { $null: true } } }]);
  };

  return {
    targetEntry,

    /** A page of variants (drafts, with their status) of entries the role may read. */
    async list(access: ContentAccess, input: unknown) {
      const query = parseOrThrow(variantListQuerySchema, input, 'query');
      const { page, pageSize, _q, filters, sort, ...target } = query;
      const readable = await readableTargetFilter(strapi, access, VARIANT_UID, {
        ...(target.targetUid ? { targetUid: target.targetUid } : {}),
        ...(target.targetDocumentId ? { targetDocumentId: target.targetDocumentId } : {}),
        ...(target.locale ? { locale: target.locale } : {}),
      });
      if (readable === null) {
        return { data: [], meta: pageMeta({ page, pageSize }, 0) };
      }
      const pageArguments = await listPageArguments(query, readable, {
        filterFor,
        sortPaths: LIST_SORTS,
        defaultOrder: ['priority:desc', 'createdAt:asc'],
      });
      const locale = target.locale ?? '*';
      const [drafts, total] = await Promise.all([
        documents().findMany({
          ...pageArguments,
          locale,
          status: 'draft',
          populate: VARIANT_POPULATE,
        }) as Promise<VariantRow[]>,
        documents().count({ filters: pageArguments.filters, locale, status: 'draft' }),
      ]);
      return {
        data: await getService(strapi, 'targets').withTargets(
          access,
          await presentMany(access, drafts)
        ),
        meta: pageMeta({ page, pageSize }, total),
      };
    },

    /**
     * How many variants each of `documentIds` (entries of a collection type) has in a locale,
     * counting only entries the role may read: the Content Manager's list view asks for the
     * entries of its page at once.
     */
    async counts(access: ContentAccess, input: unknown): Promise<VariantCounts> {
      const query = parseOrThrow(variantCountsQuerySchema, input, 'query');
      const { uid } = requireTargetContentType(strapi, query.targetUid);
      // Variants of a type without i18n are stored under the default locale.
      const defaultLocale = getService(strapi, 'registryLoader').defaultLocale;
      const locale = isLocalized(strapi, uid) ? (query.locale ?? defaultLocale) : defaultLocale;
      const readable = await readableTargetFilter(strapi, access, VARIANT_UID, {
        targetUid: uid,
        locale,
      });
      if (readable === null) return {};
      const rows = (await documents().findMany({
        filters: allOf([readable, { targetDocumentId: { $in: query.documentIds } }]),
        locale,
        status: 'draft',
        fields: ['targetDocumentId'],
      })) as Pick<VariantRow, 'id' | 'documentId' | 'targetDocumentId'>[];
      const counts = new Map<string, number>();
      for (const { targetDocumentId } of rows) {
        if (targetDocumentId) counts.set(targetDocumentId, (counts.get(targetDocumentId) ?? 0) + 1);
      }
      return Object.fromEntries(counts);
    },

    /**
     * How many visitors each variant (of `targetUid`, its entry readable by the role) was served
     * to in the last 30 days: which variants matter.
     */
    async reach(access: ContentAccess, input: unknown): Promise<VariantReach> {
      const query = parseOrThrow(variantReachQuerySchema, input, 'query');
      const { uid } = requireTargetContentType(strapi, query.targetUid);
      const readable = await readableTargetFilter(strapi, access, VARIANT_UID, { targetUid: uid });
      if (readable === null) return {};
      const rows = (await documents().findMany({
        filters: allOf([readable, { documentId: { $in: query.documentIds } }]),
        locale: '*',
        status: 'draft',
        fields: ['documentId'],
      })) as Pick<VariantRow, 'id' | 'documentId'>[];
      const ids = [...new Set(rows.map((row) => row.documentId))];
      const since = dayOf(new Date(Date.now() - (REACH_DAYS - 1) * DAY_MS));
      const reach = await getService(strapi, 'events').reachOf(ids, since);
      return Object.fromEntries(ids.map((id) => [id, reach.get(id) ?? 0]));
    },

    /** The draft of a variant: the admin API's view, for an admin who may read its entry. */
    async findOne(access: ContentAccess, documentId: string) {
      const draft = await draftOf(documentId);
      await entryOf(access, 'read', draft);
      return presentOne(access, draft);
    },

    /** A new draft variant; the role must be allowed to update the entry and each overridden field. */
    async create(access: ContentAccess, input: unknown) {
      const body = parseStorableOrThrow(variantBodySchema, input, 'body');
      const target = await targetEntry(body.targetUid, body.targetDocumentId, body.locale);
      const targetDocumentId = body.targetDocumentId ?? null;
      const entry = await writableEntry(access, target, targetDocumentId);
      assertValidRule(body.rule);
      const overrides = await getService(strapi, 'overrides').validate(target.uid, body.overrides);
      return insert(access, target, entry, { ...body, targetDocumentId, overrides });
    },

    /**
     * A draft copy of a variant on the same entry, in its locale or another one of the entry:
     * the same targeting and the overrides the role reads, less those the target refuses now (a
     * file deleted since), which the answer names. Texts are copied as they are. The role must
     * be allowed to read the original's entry and to create the copy.
     */
    async duplicate(
      access: ContentAccess,
      documentId: string,
      input: unknown
    ): Promise<VariantDuplicateResponse> {
      const body = parseStorableOrThrow(variantDuplicateBodySchema, input, 'body');
      const source = await draftOf(documentId);
      await entryOf(access, 'read', source);
      const target = await targetEntry(source.targetUid, source.targetDocumentId, body.locale);
      if (body.locale !== undefined && body.locale !== target.locale) {
        refuse(messageOf('variant.notLocalized'), ['locale']);
      }
      const entry = await writableEntry(access, target, source.targetDocumentId);
      const [readable] = await access.readableData(
        [source],
        targetRefOf,
        (row) => row.overrides ?? {}
      );
      const { valid, leftOut } = await takeAlong(target.uid, readable);
      const data = await insert(access, target, entry, {
        ...variantTargeting(source),
        name: body.name ?? source.name,
        rule: source.rule,
        overrides: valid,
      });
      return { data, meta: { leftOut } };
    },

    /**
     * Changes a draft. Overrides of fields the role may not update keep their stored value; a
     * change to one is refused.
     */
    async update(access: ContentAccess, documentId: string, input: unknown) {
      const draft = await draftOf(documentId);
      const entry = await entryOf(access, 'update', draft);
      const body = parseStorableOrThrow(variantUpdateBodySchema, input, 'body');
      if ('rule' in body) assertValidRule(body.rule);
      const target = await targetEntry(draft.targetUid, draft.targetDocumentId, draft.locale);
      // Who gets the overridden fields changes with the targeting: every one must be updatable.
      const retargets = (['rule', 'persona', 'stage', 'priority'] as const).some(
        (field) => body[field] !== undefined
      );
      if (retargets && entry) {
        await access.assertMayUpdateFields(draft.targetUid, entry, draft.overrides ?? {});
      }
      const data: Record<string, unknown> = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.priority !== undefined) data.priority = body.priority;
      if ('rule' in body) data.rule = body.rule ?? null;
      if (body.persona !== undefined) data.persona = await relation('persona', body.persona);
      if (body.stage !== undefined) data.stage = await relation('stage', body.stage);
      if (body.overrides !== undefined) {
        data.overrides = await access.mayOverride(
          target.uid,
          entry,
          await getService(strapi, 'overrides').validate(target.uid, body.overrides),
          draft.overrides ?? {}
        );
        data.baseUpdatedAt = target.entry.updatedAt;
      }
      await documents().update({ documentId, locale: draft.locale, data });
      return presentOne(access, await draftOf(documentId));
    },

    /**
     * Deleting a variant changes every field it overrides: the role must be allowed each one, and
     * to publish when visitors get the variant now (deleting it unpublishes it).
     */
    async delete(access: ContentAccess, documentId: string) {
      const draft = await draftOf(documentId);
      const published = (await publishedOf([draft])).has(`${draft.documentId}|${draft.locale}`);
      const entry = await entryOf(access, 'update', draft);
      if (published) await entryOf(access, 'publish', draft);
      if (entry) await access.assertMayUpdateFields(draft.targetUid, entry, draft.overrides ?? {});
      const deleted = await presentOne(access, draft);
      await documents().delete({ documentId, locale: draft.locale });
      return deleted;
    },

    /** What visitors get changes: publishing the entry is required. */
    async publish(access: ContentAccess, documentId: string) {
      const draft = await draftOf(documentId);
      await entryOf(access, 'publish', draft);
      await documents().publish({ documentId, locale: draft.locale });
      return presentOne(access, await draftOf(documentId));
    },

    async unpublish(access: ContentAccess, documentId: string) {
      const draft = await draftOf(documentId);
      await entryOf(access, 'publish', draft);
      await documents().unpublish({ documentId, locale: draft.locale });
      return presentOne(access, await draftOf(documentId));
    },
  };
};

export default variants;
