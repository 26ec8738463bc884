import type { Core, Struct } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import { targetSummaryQuerySchema, type TargetSummary } from '../contracts';
import { targetRefOf, type ContentAccess, type TargetRef } from '../utils/content-access';
import { getService } from '../utils/get-service';
import {
  isLocalized,
  requireTargetContentType,
  requireTargetDocumentId,
  targetContentType,
} from '../utils/targets';
import { parseOrThrow } from '../utils/validation';

/** Attribute types whose value reads as a title: the Content Manager's sortable scalars. */
const TITLE_TYPES = new Set([
  'string',
  'text',
  'email',
  'uid',
  'enumeration',
  'integer',
  'biginteger',
  'float',
  'decimal',
  'date',
  'datetime',
  'time',
]);

/** What the plugin uses of the Content Manager's `content-types` service. */
interface ContentTypesService {
  findConfiguration(contentType: { uid: string }): Promise<{ settings?: { mainField?: string } }>;
}

type Version = { documentId: string; locale?: string | null } & Record<string, unknown>;

/**
 * Target entries named as the Content Manager names them: the content type's display name and
 * the entry's title, read from the field the type's configuration shows as the title
 * (`mainField`) and only where the role may read that field of that entry.
 */
const targets = ({ strapi }: { strapi: Core.Strapi }) => {
  /** The field the Content Manager titles entries of `contentType` with, when it holds text or a number. */
  const titleField = async (contentType: Struct.ContentTypeSchema) => {
    const contentTypes = strapi
      .plugin('content-manager')
      .service('content-types') as ContentTypesService;
    const field = (await contentTypes.findConfiguration(contentType)).settings?.mainField;
    const attribute = field === undefined ? undefined : contentType.attributes[field];
    return field !== undefined && attribute && TITLE_TYPES.has(attribute.type) ? field : null;
  };

  /**
   * Each target's draft version holding its title: in its locale, or (an experiment in every
   * locale) the default locale's, else any.
   */
  const versionsOf = async (
    contentType: Struct.ContentTypeSchema,
    field: string,
    refs: TargetRef[]
  ) => {
    const single = contentType.kind === 'singleType';
    const localized = isLocalized(strapi, contentType.uid);
    const documentIds = [
      ...new Set(refs.flatMap((ref) => (ref.documentId ? [ref.documentId] : []))),
    ];
    const versions = (await strapi.documents(contentType.uid).findMany({
      ...(single ? {} : { filters: { documentId: { $in: documentIds } } }),
      ...(localized ? { locale: '*' } : {}),
      status: 'draft',
      fields: localized ? [field, 'locale'] : [field],
    })) as Version[];
    const { defaultLocale } = getService(strapi, 'registryLoader');
    return refs.map((ref) => {
      const own = versions.filter((version) => single || version.documentId === ref.documentId);
      if (!localized) return own[0];
      const locale = ref.locale ?? defaultLocale;
      return own.find((version) => version.locale === locale) ?? (ref.locale ? undefined : own[0]);
    });
  };

  /** The titles of `refs`, all of one content type, as the role may read them. */
  const titlesOf = async (
    access: ContentAccess,
    contentType: Struct.ContentTypeSchema,
    refs: TargetRef[]
  ): Promise<(string | null)[]> => {
    const field = await titleField(contentType);
    if (field === null || access.readScope(contentType.uid) === 'none') return refs.map(() => null);
    const found = (await versionsOf(contentType, field, refs)).map((version, index) => ({
      ref: refs[index],
      version,
    }));
    // Field permissions and conditions ("is creator") decide on the version the title is from.
    const readable = await access.readableData(
      found,
      ({ ref, version }) => ({ ...ref, locale: version?.locale ?? ref.locale }),
      ({ version }) => (version ? { [field]: version[field] } : {})
    );
    return readable.map((data) => {
      const value = data[field];
      return value === null || value === undefined || value === '' ? null : String(value);
    });
  };

  /** `refs`' summaries, in their order. */
  const summaries = async (access: ContentAccess, refs: TargetRef[]): Promise<TargetSummary[]> => {
    const result: TargetSummary[] = refs.map((ref) => ({ contentType: ref.uid, title: null }));
    const byType = new Map<string, number[]>();
    refs.forEach((ref, index) => byType.set(ref.uid, [...(byType.get(ref.uid) ?? []), index]));
    await Promise.all(
      [...byType].map(async ([uid, indexes]) => {
        // A type removed from the app since keeps its uid as its name.
        const contentType = targetContentType(strapi, uid);
        if (!contentType) return;
        const titles = await titlesOf(
          access,
          contentType,
          indexes.map((index) => refs[index])
        );
        indexes.forEach((index, position) => {
          result[index] = { contentType: contentType.info.displayName, title: titles[position] };
        });
      })
    );
    return result;
  };

  return {
    /** `items` (variants, experiments) with their entries named, as the admin lists show them. */
    async withTargets<Item extends Parameters<typeof targetRefOf>[0]>(
      access: ContentAccess,
      items: Item[]
    ): Promise<(Item & { target: TargetSummary })[]> {
      const found = await summaries(access, items.map(targetRefOf));
      return items.map((item, index) => ({ ...item, target: found[index] }));
    },

    /** `GET /target-summary`: one entry of a type the role may read. */
    async summary(access: ContentAccess, input: unknown): Promise<TargetSummary> {
      const query = parseOrThrow(targetSummaryQuerySchema, input, 'query');
      const contentType = requireTargetContentType(strapi, query.targetUid);
      if (!access.mayOnType('read', contentType.uid)) {
        // A PolicyError: Strapi replaces the message of other 403s behind a route.
        throw new errors.PolicyError(
          `Your role may not read entries of ${contentType.uid} in the Content Manager`
        );
      }
      const [summary] = await summaries(access, [
        {
          uid: contentType.uid,
          documentId: requireTargetDocumentId(contentType, query.targetDocumentId),
          locale: query.locale ?? null,
        },
      ]);
      return summary;
    },
  };
};

export default targets;
