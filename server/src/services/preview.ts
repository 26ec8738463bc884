import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import type { PluginConfig } from '../config';
import { PLUGIN_ID, VARIANT_UID } from '../constants';
import { previewBodySchema, type PreviewResponse } from '../contracts';
import { decide } from '../engine';
import { messageOf } from '../engine/messages';
import { applyDecision, personalizationMeta } from './delivery';
import type { ContentAccess } from '../utils/content-access';
import { getService } from '../utils/get-service';
import { previewUrlFor } from '../utils/preview-url';
import { requireTargetContentType, requireTargetDocumentId } from '../utils/targets';
import { parseOrThrow, throwNotFound } from '../utils/validation';
import { VARIANT_POPULATE, type VariantRow } from '../utils/variant-rows';
import { readBodyContext } from '../utils/visitor-context';

/**
 * `POST /personalize/preview`: what a visitor would get, for editors, including drafts, with a
 * trace of every variant considered. Reads the database (it is not the delivery). The role must
 * be allowed to read the entry in the Content Manager, and sees only the fields it may read.
 */
const preview = ({ strapi }: { strapi: Core.Strapi }) => ({
  async preview(access: ContentAccess, ctx: Context, input: unknown): Promise<PreviewResponse> {
    const body = parseOrThrow(previewBodySchema, input, 'body');
    const contentType = requireTargetContentType(strapi, body.targetUid);
    const uid = contentType.uid;
    const documentId = requireTargetDocumentId(contentType, body.targetDocumentId);
    const delivery = getService(strapi, 'delivery');
    const registryLoader = getService(strapi, 'registryLoader');
    const locale = delivery.variantLocale(uid, null, body.locale);
    const [version] = await access.assertEntry('read', { uid, documentId, locale });
    const entry = await strapi.documents(uid).findFirst({
      ...(documentId ? { filters: { documentId } } : {}),
      locale,
      status: body.status,
      populate: '*',
    });
    if (!entry) {
      throwNotFound(
        messageOf(body.status === 'draft' ? 'notFound.draftEntry' : 'notFound.publishedEntry', {
          locale,
        })
      );
    }
    const base = (await strapi.contentAPI.sanitize.output(entry, strapi.getModel(uid))) as Record<
      string,
      unknown
    >;
    const rows = (await strapi.documents(VARIANT_UID).findMany({
      filters: { targetUid: uid, targetDocumentId: documentId ?? { $null: true } },
      locale,
      status: body.status,
      populate: VARIANT_POPULATE,
    })) as VariantRow[];
    const variants = await registryLoader.toVariants(rows);
    const visitor = await readBodyContext(strapi, ctx, body.context);
    // What the delivery would decide, minus experiments: an editor previews the variants (and
    // sees a held-out visitor get the base).
    const decision = decide({
      personas: registryLoader.registry.personas,
      stages: registryLoader.registry.stages,
      variants,
      experiments: [],
      evaluationData: visitor?.evaluationData ?? null,
      stageReached: visitor?.profile?.stageReached,
      holdout: registryLoader.registry.holdout,
      preview: visitor?.preview,
      trace: true,
    });
    const data = await access.readable(uid, version, applyDecision(base, decision));
    // Related entries of types the role may not read stay out, as in the Content Manager.
    for (const [name, attribute] of Object.entries(strapi.getModel(uid).attributes)) {
      const target = (attribute as { type: string; target?: string }).target;
      if (attribute.type === 'relation' && target && !access.mayOnType('read', target)) {
        delete data[name];
      }
    }
    const { previewUrl } = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
    return {
      data,
      meta: {
        personalization: personalizationMeta(decision, visitor),
        // Only what the role may read: `data` no longer holds the rest.
        overridden: Object.keys(decision.variant?.overrides ?? {}).filter((name) => name in data),
        previewUrl: previewUrlFor(previewUrl, { context: body.context, locale, documentId }),
      },
    };
  },
});

export default preview;
