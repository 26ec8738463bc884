import type { Core } from '@strapi/strapi';

import { PERSONA_UID, STAGE_UID, VARIANT_UID } from '../constants';
import { personaBodySchema, stageBodySchema, stageOrderBodySchema } from '../contracts';
import { messageOf } from '../engine/messages';
import { getService } from '../utils/get-service';
import { slugify } from '../utils/slug';
import { withStoredRule } from '../utils/stored-rule';
import {
  parseOrThrow,
  parseStorableOrThrow,
  assertValidRule,
  throwNotFound,
  throwValidation,
} from '../utils/validation';

export type ClassificationKind = 'persona' | 'stage';

/** Request bodies of the admin API; `PUT` takes any subset. */
const bodySchemas = { persona: personaBodySchema, stage: stageBodySchema };

const UIDS = { persona: PERSONA_UID, stage: STAGE_UID } as const;

/**
 * Attribute values to write. Strapi types the data of content types outside the app's generated
 * registry (the plugin's own) as `{ id?, documentId? }`: named attributes only pass as a record.
 */
type Attributes = Record<string, unknown>;
const LABELS = { persona: 'persona', stage: 'stage' } as const;
const NOT_FOUND = { persona: 'notFound.persona', stage: 'notFound.stage' } as const;

/** Create, read, update and delete personas and journey stages for the admin API. */
const classification = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = (kind: ClassificationKind) => strapi.documents(UIDS[kind]);

  const findOrThrow = async (kind: ClassificationKind, documentId: string) => {
    const found = await documents(kind).findOne({ documentId });
    if (!found) throwNotFound(messageOf(NOT_FOUND[kind], { documentId }));
    return withStoredRule(found);
  };

  const assertSlugFree = async (kind: ClassificationKind, value: string, documentId?: string) => {
    const taken = await documents(kind).findFirst({ filters: { slug: value } });
    if (taken && taken.documentId !== documentId) {
      throwValidation(`The slug "${value}" is already used by another ${LABELS[kind]}`, [
        { path: ['slug'], ...messageOf('classification.slugTaken', { slug: value }) },
      ]);
    }
  };

  return {
    findOne: findOrThrow,

    async create(kind: ClassificationKind, input: unknown) {
      const body = parseStorableOrThrow(bodySchemas[kind], input, 'body');
      assertValidRule(body.rule);
      const data = {
        ...body,
        slug: body.slug ?? slugify(body.name, { maxLength: 120, fallback: 'untitled' }),
      };
      await assertSlugFree(kind, data.slug);
      return withStoredRule(await documents(kind).create({ data: data }));
    },

    async update(kind: ClassificationKind, documentId: string, input: unknown) {
      await findOrThrow(kind, documentId);
      const body = parseStorableOrThrow(bodySchemas[kind].partial(), input, 'body');
      if ('rule' in body) assertValidRule(body.rule);
      if (body.slug) await assertSlugFree(kind, body.slug, documentId);
      const data: Attributes = body;
      const updated = await documents(kind).update({ documentId, data });
      return updated && withStoredRule(updated);
    },

    /** Renumbers the journey stages 1, 2, 3, ... in the order given; every stage must be listed. */
    async reorderStages(input: unknown) {
      const { documentIds } = parseOrThrow(stageOrderBodySchema, input, 'body');
      const stages = await documents('stage').findMany({ fields: ['documentId'] });
      const known = new Set(stages.map((stage) => stage.documentId));
      if (
        new Set(documentIds).size !== documentIds.length ||
        documentIds.length !== known.size ||
        documentIds.some((documentId) => !known.has(documentId))
      ) {
        throwValidation('List every journey stage exactly once', [
          {
            path: ['documentIds'],
            ...messageOf('classification.stageOrder', { count: known.size }),
          },
        ]);
      }
      await getService(strapi, 'registryLoader').bulk(async () => {
        for (const [index, documentId] of documentIds.entries()) {
          const data: Attributes = { order: index + 1 };
          await documents('stage').update({ documentId, data });
        }
      });
      const reordered = await documents('stage').findMany({ sort: ['order:asc'] });
      return reordered.map((stage) => withStoredRule(stage));
    },

    /** Refused while variants target it: removing it would silently widen them to every visitor. */
    async delete(kind: ClassificationKind, documentId: string) {
      const found = await findOrThrow(kind, documentId);
      const users = await strapi.db.query(VARIANT_UID).count({ where: { [kind]: { documentId } } });
      if (users > 0) {
        throwValidation(
          `The ${LABELS[kind]} "${found.slug}" is used by ${users} variant version(s); delete or retarget them first`,
          [{ path: [], ...messageOf('classification.inUse', { count: users }) }]
        );
      }
      await documents(kind).delete({ documentId });
      return found;
    },
  };
};

export default classification;
