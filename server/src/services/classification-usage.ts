import type { Core } from '@strapi/strapi';

import { EXPERIMENT_UID, VARIANT_UID } from '../constants';
import type { ClassificationUsage, ExperimentStatus, VariantStatus } from '../contracts';
import type { ExperimentArm } from '../engine/types';
import { targetRefOf, type ContentAccess } from '../utils/content-access';
import { getService } from '../utils/get-service';
import { targetContentType } from '../utils/targets';
import { variantStatus } from '../utils/variant-rows';
import type { ClassificationKind } from './classification';

/** The fields of a variant or an experiment that name its entry. */
type TargetFields = Parameters<typeof targetRefOf>[0];

/** One locale version of a variant, draft or published. */
interface VariantVersion {
  documentId: string;
  locale: string;
  name: string;
  targetUid: string;
  targetDocumentId: string | null;
  updatedAt: string;
  publishedAt: string | null;
}

/** A variant that targets the persona or stage: its draft, with its status. */
type VariantUse = VariantVersion & { status: VariantStatus };

interface ExperimentUse {
  documentId: string;
  name: string;
  status: ExperimentStatus;
  arms: ExperimentArm[];
  targetUid: string;
  targetDocumentId: string | null;
  locale: string | null;
}

const versionKey = (version: Pick<VariantVersion, 'documentId' | 'locale'>) =>
  `${version.documentId}|${version.locale}`;

const byName = <Item extends { name: string }>(a: Item, b: Item) => a.name.localeCompare(b.name);

/**
 * Where a persona or journey stage is used, for its editor and its delete dialog: the variants
 * that target it and the experiments between them, of the entries the admin may read (the
 * Content Manager's permissions, as the variant and experiment lists apply them).
 */
const classificationUsage = ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * Each variant one of whose versions, draft or published, targets it: the versions that also
   * refuse its deletion (services/classification.ts).
   */
  const variantsUsing = async (
    kind: ClassificationKind,
    documentId: string
  ): Promise<VariantUse[]> => {
    const users = (await strapi.db.query(VARIANT_UID).findMany({
      where: { [kind]: { documentId } },
      select: ['documentId', 'locale'],
    })) as Pick<VariantVersion, 'documentId' | 'locale'>[];
    if (users.length === 0) return [];
    const versions = (await strapi.db.query(VARIANT_UID).findMany({
      where: { documentId: { $in: [...new Set(users.map((user) => user.documentId))] } },
      select: [
        'documentId',
        'locale',
        'name',
        'targetUid',
        'targetDocumentId',
        'updatedAt',
        'publishedAt',
      ],
    })) as VariantVersion[];
    return [...new Set(users.map(versionKey))].flatMap((key) => {
      const own = versions.filter((version) => versionKey(version) === key);
      const published = own.find((version) => version.publishedAt !== null);
      const draft = own.find((version) => version.publishedAt === null) ?? published;
      return draft ? [{ ...draft, status: variantStatus(draft, published) }] : [];
    });
  };

  /** The experiments of those variants' entries with one of them as an arm. */
  const experimentsWith = async (variants: VariantVersion[]): Promise<ExperimentUse[]> => {
    if (variants.length === 0) return [];
    const ids = new Set(variants.map((variant) => variant.documentId));
    const entries = new Map(
      variants.map((variant) => [
        `${variant.targetUid}|${variant.targetDocumentId}`,
        {
          targetUid: variant.targetUid,
          targetDocumentId: variant.targetDocumentId ?? { $null: true },
        },
      ])
    );
    const rows = (await strapi.db.query(EXPERIMENT_UID).findMany({
      where: { $or: [...entries.values()] },
      select: ['documentId', 'name', 'status', 'arms', 'targetUid', 'targetDocumentId', 'locale'],
    })) as ExperimentUse[];
    return rows.filter((row) => row.arms.some((arm) => arm.variant && ids.has(arm.variant)));
  };

  /** Of `items`, those whose entry the role may read (not those of a type since removed), by name. */
  const readableOf = async <Item extends TargetFields & { name: string; locale: string | null }>(
    access: ContentAccess,
    items: Item[]
  ) => {
    const known = items
      .filter((item) => targetContentType(strapi, item.targetUid))
      .map((item) => ({ ...targetRefOf(item), item }));
    return (await access.readableTargets(known))
      .map(({ item }) => item)
      .sort((a, b) => byName(a, b) || String(a.locale).localeCompare(String(b.locale)));
  };

  return {
    async find(
      access: ContentAccess,
      kind: ClassificationKind,
      documentId: string
    ): Promise<ClassificationUsage> {
      await getService(strapi, 'classification').findOne(kind, documentId);
      const variants = await variantsUsing(kind, documentId);
      const experiments = await experimentsWith(variants);
      const visibleVariants = await readableOf(access, variants);
      const visibleExperiments = await readableOf(access, experiments);
      const named = await getService(strapi, 'targets').withTargets(access, visibleVariants);
      return {
        variants: named.map((variant) => ({
          documentId: variant.documentId,
          name: variant.name,
          locale: variant.locale,
          status: variant.status,
          targetUid: variant.targetUid,
          targetDocumentId: variant.targetDocumentId,
          target: variant.target,
        })),
        experiments: visibleExperiments.map((experiment) => ({
          documentId: experiment.documentId,
          name: experiment.name,
          status: experiment.status,
        })),
        hidden: {
          variants: variants.length - visibleVariants.length,
          experiments: experiments.length - visibleExperiments.length,
        },
      };
    },
  };
};

export default classificationUsage;
