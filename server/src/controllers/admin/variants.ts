import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';
import { respond } from './respond';

/**
 * Admin CRUD and publication of variants: `/personalize/variants`. Besides the plugin's own
 * actions (route policies), the Content Manager permissions of the target entry apply (see
 * services/variants.ts): reading it to see its variants, updating it (and each overridden field)
 * to write them, publishing it to publish them.
 */
const variants = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'variants');
  const id = (ctx: Context) => ctx.params.documentId as string;
  const access = (ctx: Context) => getService(strapi, 'access').forAdmin(ctx);

  return {
    async find(ctx: Context) {
      ctx.body = await service().list(access(ctx), ctx.query);
    },
    findOne: (ctx: Context) => respond(ctx, service().findOne(access(ctx), id(ctx))),
    create: (ctx: Context) => respond(ctx, service().create(access(ctx), ctx.request.body), 201),
    update: (ctx: Context) =>
      respond(ctx, service().update(access(ctx), id(ctx), ctx.request.body)),
    delete: (ctx: Context) => respond(ctx, service().delete(access(ctx), id(ctx))),
    publish: (ctx: Context) => respond(ctx, service().publish(access(ctx), id(ctx))),
    unpublish: (ctx: Context) => respond(ctx, service().unpublish(access(ctx), id(ctx))),
  };
};

export default variants;
