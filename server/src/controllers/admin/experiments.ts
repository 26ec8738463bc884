import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { assertCanOnContent } from '../../utils/content-permissions';
import { getService } from '../../utils/get-service';

/** Admin API of experiments: `/personalize/experiments` and the visitor erasure route. */
const experiments = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'experiments');
  const respond = async (ctx: Context, work: Promise<unknown>) => {
    ctx.body = { data: await work, meta: {} };
  };

  return {
    async find(ctx: Context) {
      ctx.body = await service().list(ctx.query);
    },
    findOne: (ctx: Context) => respond(ctx, service().findOne(ctx.params.documentId)),
    async create(ctx: Context) {
      await respond(ctx, service().create(ctx.request.body));
      ctx.status = 201;
    },
    update: (ctx: Context) =>
      respond(ctx, service().update(ctx.params.documentId, ctx.request.body)),
    delete: (ctx: Context) => respond(ctx, service().delete(ctx.params.documentId)),
    start: (ctx: Context) => respond(ctx, service().start(ctx.params.documentId)),
    pause: (ctx: Context) => respond(ctx, service().pause(ctx.params.documentId)),
    complete: (ctx: Context) =>
      respond(ctx, service().complete(ctx.params.documentId, ctx.request.body)),
    async promote(ctx: Context) {
      // Writing the base entry is the Content Manager's to allow.
      const experiment = await service().findOne(ctx.params.documentId);
      assertCanOnContent(ctx, 'update', experiment.targetUid);
      await respond(ctx, service().promote(ctx.params.documentId));
    },
    results: (ctx: Context) => respond(ctx, service().results(ctx.params.documentId)),
    async sampleSize(ctx: Context) {
      ctx.body = { data: service().sampleSize(ctx.query), meta: {} };
    },
    eraseVisitor: (ctx: Context) =>
      respond(ctx, getService(strapi, 'events').eraseVisitor(ctx.params.visitorId)),
  };
};

export default experiments;
