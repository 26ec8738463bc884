import type { Core, Modules, UID } from '@strapi/strapi';

import { EXPERIMENT_UID, INTEREST_UID, PERSONA_UID, STAGE_UID, VARIANT_UID } from './constants';
import { afterWrite } from './utils/after-write';
import { getService } from './utils/get-service';

type Target = { uid: string; documentId: string | null };

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/** Document service actions that change what the delivery may serve. */
const WRITES = new Set([
  'create',
  'update',
  'delete',
  'publish',
  'unpublish',
  'discardDraft',
  'clone',
]);

const variantTargets = async (strapi: Core.Strapi, documentId: string): Promise<Target[]> => {
  const rows: { targetUid: string; targetDocumentId: string | null }[] = await strapi.db
    .query(VARIANT_UID)
    .findMany({ where: { documentId }, select: ['targetUid', 'targetDocumentId'] });
  return rows.map((row) => ({ uid: row.targetUid, documentId: row.targetDocumentId ?? null }));
};

/** After a base entry lost locales, its variants in those locales go too. */
const deleteOrphanedVariants = async (
  strapi: Core.Strapi,
  uid: UID.ContentType,
  documentId: string | null
) => {
  const single = strapi.getModel(uid).kind === 'singleType';
  const remaining = (await strapi.documents(uid).findMany({
    ...(single ? {} : { filters: { documentId } }),
    locale: '*',
    status: 'draft',
    fields: ['locale'],
  })) as { locale?: string | null }[];
  const locales = new Set(remaining.map((entry) => entry.locale));
  const target = single ? { targetDocumentId: { $null: true } } : { targetDocumentId: documentId };
  const variants = await strapi.db.query(VARIANT_UID).findMany({
    where: { targetUid: uid, ...target },
    select: ['documentId', 'locale'],
  });
  const isLocalized = remaining.some((entry) => entry.locale);
  for (const variant of variants as { documentId: string; locale: string }[]) {
    if (remaining.length === 0 || (isLocalized && !locales.has(variant.locale))) {
      await strapi
        .documents(VARIANT_UID)
        .delete({ documentId: variant.documentId, locale: variant.locale });
    }
  }
};

/**
 * Keeps the registry in step with every write, whoever makes it: personas, stages and interests
 * reload the classification, variants reload their target, experiments reload the experiments,
 * deleted base entries take their orphaned variants with them (every database write empties the
 * content cache and tells other instances, see bootstrap.ts).
 */
const keepRegistry =
  ({ strapi }: { strapi: Core.Strapi }): Modules.Documents.Middleware.Middleware =>
  async ({ uid, action, params }, next) => {
    const registryLoader = getService(strapi, 'registryLoader');
    const documentId = 'documentId' in params ? stringOrNull(params.documentId) : null;

    if (uid === VARIANT_UID) {
      const before = documentId === null ? [] : await variantTargets(strapi, documentId);
      const result = await next();
      // A created variant's target: the only one not known before the write.
      const created =
        typeof result === 'object' &&
        result !== null &&
        'targetUid' in result &&
        typeof result.targetUid === 'string'
          ? [{ uid: result.targetUid, documentId: stringOrNull(result.targetDocumentId) }]
          : [];
      await afterWrite(strapi, 'reloading the variants', () =>
        registryLoader.targetsChanged([...before, ...created])
      );
      return result;
    }
    if (uid === PERSONA_UID || uid === STAGE_UID || uid === INTEREST_UID) {
      const result = await next();
      await afterWrite(strapi, 'reloading personas, stages and interests', () =>
        registryLoader.classificationChanged()
      );
      return result;
    }
    if (uid === EXPERIMENT_UID) {
      const result = await next();
      await afterWrite(strapi, 'reloading the experiments', () =>
        registryLoader.experimentsChanged()
      );
      return result;
    }
    if (uid.startsWith('api::') && action === 'delete') {
      const result = await next();
      await afterWrite(strapi, 'deleting the variants of deleted locales', () =>
        deleteOrphanedVariants(strapi, uid, documentId)
      );
      return result;
    }
    return next();
  };

/**
 * One document service middleware for every write: the registry follows it, then the CDN is told
 * which variant content it changed (services/purge.ts). What follows a write never fails it
 * (utils/after-write.ts).
 */
export const documentMiddleware = ({
  strapi,
}: {
  strapi: Core.Strapi;
}): Modules.Documents.Middleware.Middleware => {
  const registry = keepRegistry({ strapi });
  return async (context, next) => {
    if (!WRITES.has(context.action)) return next();
    const result = await registry(context, next);
    await afterWrite(strapi, 'purging the CDN', async () =>
      getService(strapi, 'purge').written(context, result)
    );
    return result;
  };
};
