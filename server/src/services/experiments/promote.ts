import type { Core, UID } from '@strapi/strapi';

import { VARIANT_UID } from '../../constants';
import type { Promotion } from '../../contracts';
import { messageOf } from '../../engine/messages';
import type { ContentAccess } from '../../utils/content-access';
import { isLocalized } from '../../utils/targets';
import { throwNotFound } from '../../utils/validation';
import type { VariantRow } from '../../utils/variant-rows';
import { refuse, type ExperimentRows } from './rows';

/** Promotion: the winner's overrides copied into the base entry. */
export const experimentPromotion = (
  strapi: Core.Strapi,
  { experimentRows }: { experimentRows: ExperimentRows }
) => {
  const { rowFor } = experimentRows;

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
    if (exists === 0) throwNotFound(messageOf('notFound.variant', { documentId }));
    return refuse(messageOf('experiment.winnerUnpublished'), ['winner']);
  };

  return {
    /**
     * Copies the overrides the experiment served (the winner variant's published version) into
     * the base entry's draft, for the editor to review and publish in the Content Manager. The
     * role must be allowed to update the entry and each of those fields.
     */
    async promote(access: ContentAccess, documentId: string): Promise<Promotion> {
      const row = await rowFor(access, 'update', documentId);
      const arm = row.arms.find((candidate) => candidate.key === row.winner);
      if (row.status !== 'completed' || !arm) {
        refuse(messageOf('experiment.promoteNeedsWinner'), ['winner']);
      }
      if (!arm.variant) {
        refuse(messageOf('experiment.promoteBase', { arm: arm.key }), ['winner']);
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
        refuse(messageOf('experiment.entryGone', { locale: variant.locale }), ['targetDocumentId']);
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
  };
};
