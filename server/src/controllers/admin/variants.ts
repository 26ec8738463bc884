import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { assertCanOnContent, canOnContent } from '../../utils/content-permissions';
import { getService } from '../../utils/get-service';
import { targetContentType, targetContentTypes } from '../../utils/targets';

/**
 * Admin CRUD and publication of variants: `/personalize/variants`. Besides the plugin's own
 * actions (route policies), the Content Manager permissions of the target type apply: reading
 * its entries to see variants, updating them to edit variants, publishing them to publish.
 */
const variants = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'variants');

  /** The variant, after checking the admin's permission on its target type. */
  const variantFor = async (ctx: Context, action: 'read' | 'update' | 'publish') => {
    const variant = await service().findOne(ctx.params.documentId);
    assertCanOnContent(ctx, action, variant.targetUid);
    return variant;
  };

  return {
    async find(ctx: Context) {
      const readable = targetContentTypes(strapi)
        .map((contentType) => contentType.uid as string)
        .filter((uid) => canOnContent(ctx, 'read', uid));
      ctx.body = await service().list(ctx.query, readable);
    },
    async findOne(ctx: Context) {
      ctx.body = { data: await variantFor(ctx, 'read'), meta: {} };
    },
    async create(ctx: Context) {
      const targetUid = (ctx.request.body as { targetUid?: unknown } | undefined)?.targetUid;
      // An unknown type is the service's to refuse, with a 400 naming it.
      if (typeof targetUid === 'string' && targetContentType(strapi, targetUid))
        assertCanOnContent(ctx, 'update', targetUid);
      ctx.status = 201;
      ctx.body = { data: await service().create(ctx.request.body), meta: {} };
    },
    async update(ctx: Context) {
      await variantFor(ctx, 'update');
      ctx.body = {
        data: await service().update(ctx.params.documentId, ctx.request.body),
        meta: {},
      };
    },
    async delete(ctx: Context) {
      await variantFor(ctx, 'update');
      ctx.body = { data: await service().delete(ctx.params.documentId), meta: {} };
    },
    async publish(ctx: Context) {
      await variantFor(ctx, 'publish');
      ctx.body = { data: await service().publish(ctx.params.documentId), meta: {} };
    },
    async unpublish(ctx: Context) {
      await variantFor(ctx, 'publish');
      ctx.body = { data: await service().unpublish(ctx.params.documentId), meta: {} };
    },
  };
};

export default variants;
