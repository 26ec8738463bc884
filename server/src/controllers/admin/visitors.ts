import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { profileLookupQuerySchema, visitorIdSchema, type ProfileLookup } from '../../contracts';
import { decide, evaluationData, type VisitorContext } from '../../engine';
import { personalizationMeta } from '../../services/delivery';
import { getService } from '../../utils/get-service';
import { requireTargetContentType, requireTargetDocumentId } from '../../utils/targets';
import { parseOrThrow } from '../../utils/validation';
import { respond } from './actions';

/**
 * One visitor, for the Visitor lookup page: `GET /personalize/profiles/:visitorId` (the profile
 * and the decision it yields now, with the trace) and erasure, `DELETE /personalize/visitors/:visitorId`.
 */
const visitors = ({ strapi }: { strapi: Core.Strapi }) => ({
  async lookup(ctx: Context) {
    const visitorId = parseOrThrow(visitorIdSchema, ctx.params.visitorId, 'visitorId');
    const query = parseOrThrow(profileLookupQuerySchema, ctx.query, 'query');
    const profiles = getService(strapi, 'profiles');
    const { registry } = getService(strapi, 'registryLoader');
    const now = Date.now();
    // What a consenting visitor who sends only their id gets.
    const stated: VisitorContext = { visitorId, consent: { personalization: true } };
    const completed = await profiles.complete(stated, now);
    const context = completed?.context ?? stated;
    let variants: ReturnType<typeof registry.variantsOf> = [];
    if (query.targetUid) {
      const contentType = requireTargetContentType(strapi, query.targetUid);
      const documentId = requireTargetDocumentId(contentType, query.targetDocumentId);
      const locale = getService(strapi, 'delivery').variantLocale(
        contentType.uid,
        null,
        query.locale
      );
      await getService(strapi, 'access')
        .forAdmin(ctx)
        .assertEntry('read', { uid: contentType.uid, documentId, locale });
      variants = registry.variantsOf(contentType.uid, documentId, locale);
    }
    const decision = decide({
      personas: registry.personas,
      stages: registry.stages,
      variants,
      experiments: [],
      evaluationData: evaluationData(context, { now: new Date(now) }),
      stageReached: completed?.stageReached,
      holdout: registry.holdout,
      trace: true,
    });
    const data: ProfileLookup['data'] = {
      profile: await profiles.describe(visitorId, now),
      context,
      persona: decision.persona,
      stage: decision.stage,
      stageSource: decision.stageSource,
      decision: query.targetUid ? personalizationMeta(decision, { profile: completed }) : null,
    };
    ctx.body = { data, meta: {} };
  },

  /** GDPR erasure: the visitor's events and profile. */
  erase: (ctx: Context) =>
    respond(ctx, getService(strapi, 'events').eraseVisitor(ctx.params.visitorId)),
});

export default visitors;
