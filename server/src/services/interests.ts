import type { Core } from '@strapi/strapi';

import { INTEREST_UID, SIGNAL_UID } from '../constants';
import { interestBodySchema, signalsBodySchema, type EntrySignal } from '../contracts';
import { messageOf } from '../engine/messages';
import type { ContentAccess } from '../utils/content-access';
import { getService } from '../utils/get-service';
import { slugify } from '../utils/slug';
import { requireTargetContentType, requireTargetDocumentId } from '../utils/targets';
import { parseStorableOrThrow, throwNotFound, throwValidation } from '../utils/validation';

type Attributes = Record<string, unknown>;

/**
 * Interests (`/personalize/interests`) and entries' signals (`/personalize/signals`): what
 * reading an entry adds to a visitor's interest scores (services/profiles).
 */
const interests = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => strapi.documents(INTEREST_UID);
  const signals = () => strapi.db.query(SIGNAL_UID);

  const findOrThrow = async (documentId: string) => {
    const found = await documents().findOne({ documentId });
    if (!found) throwNotFound(messageOf('notFound.interest', { documentId }));
    return found;
  };

  const assertSlugFree = async (slug: string, documentId?: string) => {
    const taken = await documents().findFirst({ filters: { slug } });
    if (taken && taken.documentId !== documentId) {
      throwValidation(`The slug "${slug}" is already used by another interest`, [
        { path: ['slug'], ...messageOf('classification.slugTaken', { slug }) },
      ]);
    }
  };

  /** The entry a signals request names, once the role may `action` it (Content Manager rules). */
  const entryOf = async (
    access: ContentAccess,
    action: 'read' | 'update',
    targetUid: string,
    targetDocumentId: string | null | undefined
  ) => {
    const contentType = requireTargetContentType(strapi, targetUid);
    const documentId = requireTargetDocumentId(contentType, targetDocumentId);
    await access.assertEntry(action, { uid: contentType.uid, documentId, locale: null });
    return { uid: contentType.uid, documentId };
  };

  const signalsOf = async (uid: string, documentId: string | null): Promise<EntrySignal[]> => {
    const rows = (await signals().findMany({
      where: { targetUid: uid, targetDocumentId: documentId },
      orderBy: { interest: 'asc' },
    })) as EntrySignal[];
    return rows.map(({ interest, points }) => ({ interest, points }));
  };

  return {
    findOne: findOrThrow,

    async create(input: unknown) {
      const body = parseStorableOrThrow(interestBodySchema, input, 'body');
      const data = {
        ...body,
        slug: body.slug ?? slugify(body.name, { maxLength: 64, fallback: 'interest' }),
      };
      await assertSlugFree(data.slug);
      return documents().create({ data: data as Attributes });
    },

    /** A renamed slug takes its signals along: they name the interest by slug. */
    async update(documentId: string, input: unknown) {
      const found = await findOrThrow(documentId);
      const body = parseStorableOrThrow(interestBodySchema.partial(), input, 'body');
      if (body.slug && body.slug !== found.slug) {
        await assertSlugFree(body.slug, documentId);
        await signals().updateMany({
          where: { interest: found.slug },
          data: { interest: body.slug },
        });
      }
      return documents().update({ documentId, data: body as Attributes });
    },

    /** With its signals; profiles keep their old score, which no rule reads any more. */
    async delete(documentId: string) {
      const found = await findOrThrow(documentId);
      await signals().deleteMany({ where: { interest: found.slug } });
      await documents().delete({ documentId });
      return found;
    },

    async findSignals(
      access: ContentAccess,
      targetUid: string,
      targetDocumentId: string | null | undefined
    ) {
      const { uid, documentId } = await entryOf(access, 'read', targetUid, targetDocumentId);
      return { signals: await signalsOf(uid, documentId) };
    },

    /** Replaces the entry's signals. */
    async replaceSignals(access: ContentAccess, input: unknown) {
      const body = parseStorableOrThrow(signalsBodySchema, input, 'body');
      const { uid, documentId } = await entryOf(
        access,
        'update',
        body.targetUid,
        body.targetDocumentId
      );
      const known = new Set(
        (await documents().findMany({ fields: ['slug'] })).map((interest) => interest.slug)
      );
      const unknown = body.signals.findIndex((signal) => !known.has(signal.interest));
      if (unknown >= 0) {
        const slug = body.signals[unknown].interest;
        throwValidation(`No interest has the slug "${slug}"`, [
          {
            path: ['signals', String(unknown), 'interest'],
            ...messageOf('signals.unknownInterest', { slug }),
          },
        ]);
      }
      await strapi.db.transaction(async () => {
        await signals().deleteMany({ where: { targetUid: uid, targetDocumentId: documentId } });
        if (body.signals.length > 0) {
          await signals().createMany({
            data: body.signals.map((signal) => ({
              targetUid: uid,
              targetDocumentId: documentId,
              ...signal,
            })),
          });
        }
      });
      await getService(strapi, 'registryLoader').classificationChanged();
      return { signals: await signalsOf(uid, documentId) };
    },
  };
};

export default interests;
