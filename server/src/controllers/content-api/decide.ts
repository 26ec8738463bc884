import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import { decideBodySchema, type DecisionResponse } from '../../contracts';
import { personalizationMeta } from '../../services/delivery';
import { authorizeCaller, originOf } from '../../utils/caller';
import { getService } from '../../utils/get-service';
import { setPersonalizationHeaders } from '../../utils/personalization-headers';
import { parseOrThrow } from '../../utils/validation';
import { readBodyContext } from '../../utils/visitor-context';
import {
  deliveredContentType,
  readActionOf,
  requireTargetContentType,
  requireTargetDocumentId,
} from '../../utils/targets';

/**
 * `POST /api/personalize/decide`: the decision without the content, for edges and caches. The
 * caller needs the same permission as for reading the entry itself.
 */
const decide = ({ strapi }: { strapi: Core.Strapi }) => ({
  async decide(ctx: Context) {
    const body = parseOrThrow(decideBodySchema, ctx.request.body, 'body');
    // As the reads name it (`articles`, `homepage`) or by its UID.
    const contentType = requireTargetContentType(strapi, body.targetUid, deliveredContentType);
    await authorizeCaller(strapi, ctx, [readActionOf(contentType)]);
    const visitor = await readBodyContext(strapi, ctx, body.context);
    const uid = contentType.uid;
    const documentId = requireTargetDocumentId(contentType, body.targetDocumentId);
    const delivery = getService(strapi, 'delivery');
    const locale = delivery.variantLocale(uid, null, body.locale);
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
    setPersonalizationHeaders(strapi, ctx, {
      segment,
      dependence: delivery.dependenceOf(uid, documentId, locale, visitor),
      shareable: false,
    });
    const data: DecisionResponse = {
      persona,
      stage,
      variant,
      reason,
      segment,
      warnings,
      ...(experiment ? { experiment } : {}),
      ...(profile ? { profile } : {}),
    };
    ctx.body = { data };
    if (body.track !== false) delivery.recordView(visitor, { uid, documentId }, stage);
  },
});

export default decide;
