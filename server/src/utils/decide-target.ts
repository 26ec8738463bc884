import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import type { DecisionResponse } from '../contracts';
import { personalizationMeta, type Dependence } from '../services/delivery';
import { authorizeCaller, originOf } from './caller';
import { getService } from './get-service';
import {
  deliveredContentType,
  readActionOf,
  requireTargetContentType,
  requireTargetDocumentId,
} from './targets';
import type { Visitor } from './visitor-context';

export interface DecideTargetRequest {
  /** As the reads name it (`articles`, `homepage`) or by its UID. */
  targetUid: string;
  targetDocumentId?: string | null;
  locale?: string;
}

/**
 * The decision for one entry without its content: `POST /api/personalize/decide` and GraphQL's
 * `personalizeDecide`. The caller needs the permission to read the entry itself (401/403 as core
 * answers); an entry without a published version in that locale is a 404. The visitor is read
 * after the caller is authorized.
 */
export const decideTarget = async (
  strapi: Core.Strapi,
  ctx: Context,
  request: DecideTargetRequest,
  readVisitor: () => Promise<Visitor | null>
): Promise<{
  data: DecisionResponse;
  dependence: Dependence;
  visitor: Visitor | null;
  target: { uid: string; documentId: string | null };
}> => {
  const contentType = requireTargetContentType(strapi, request.targetUid, deliveredContentType);
  await authorizeCaller(strapi, ctx, [readActionOf(contentType)]);
  const visitor = await readVisitor();
  const uid = contentType.uid;
  const documentId = requireTargetDocumentId(contentType, request.targetDocumentId);
  const delivery = getService(strapi, 'delivery');
  const locale = delivery.variantLocale(uid, null, request.locale);
  const published = await getService(strapi, 'contentCache').isPublished(
    `${uid}|${documentId}|${locale}`,
    async () =>
      Boolean(
        await strapi.documents(uid).findFirst({
          filters: documentId ? { documentId } : {},
          locale,
          status: 'published',
          fields: ['documentId'],
        })
      )
  );
  if (!published) {
    throw new errors.NotFoundError('Not Found');
  }
  const { persona, stage, variant, reason, segment, warnings, experiment, profile } =
    personalizationMeta(
      delivery.decideFor(uid, documentId, locale, visitor, originOf(ctx)),
      visitor
    );
  return {
    data: {
      persona,
      stage,
      variant,
      reason,
      segment,
      warnings,
      ...(experiment ? { experiment } : {}),
      ...(profile ? { profile } : {}),
    },
    dependence: delivery.dependenceOf(uid, documentId, locale, visitor),
    visitor,
    target: { uid, documentId },
  };
};
