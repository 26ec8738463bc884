import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';
import { respond } from './respond';

/**
 * Admin API of experiments: `/personalize/experiments` and the visitor erasure route. Besides
 * the plugin's actions, the Content Manager permissions of the experiment's entry apply (see
 * services/experiments.ts).
 */
const experiments = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'experiments');
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
    start: (ctx: Context) => respond(ctx, service().start(access(ctx), id(ctx))),
    pause: (ctx: Context) => respond(ctx, service().pause(access(ctx), id(ctx))),
    complete: (ctx: Context) =>
      respond(ctx, service().complete(access(ctx), id(ctx), ctx.request.body)),
    promote: (ctx: Context) => respond(ctx, service().promote(access(ctx), id(ctx))),
    results: (ctx: Context) => respond(ctx, service().results(access(ctx), id(ctx), ctx.query)),
    sampleSize: (ctx: Context) => respond(ctx, Promise.resolve(service().sampleSize(ctx.query))),
    eraseVisitor: (ctx: Context) =>
      respond(ctx, getService(strapi, 'events').eraseVisitor(ctx.params.visitorId)),
  };
};

export default experiments;
