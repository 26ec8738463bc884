import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';

/** Answers with Strapi's `{ data, meta }` shape once `work` is done. */
export const respond = async (ctx: Context, work: Promise<unknown>, status = 200) => {
  const data = await work;
  ctx.status = status;
  ctx.body = { data, meta: {} };
};

/**
 * The admin actions every document that points at a target entry has (variants, experiments):
 * list, read, create, update and delete, each passing the admin's access to the service, which
 * decides with the Content Manager's permissions of that entry. `service`, `access` and `id` for
 * the controller's own actions.
 */
export const targetedActions = <Name extends 'variants' | 'experiments'>(
  strapi: Core.Strapi,
  name: Name
) => {
  const service = () => getService(strapi, name);
  const access = (ctx: Context) => getService(strapi, 'access').forAdmin(ctx);
  const id = (ctx: Context) => ctx.params.documentId as string;
  return {
    service,
    access,
    id,
    actions: {
      async find(ctx: Context) {
        ctx.body = await service().list(access(ctx), ctx.query);
      },
      findOne: (ctx: Context) => respond(ctx, service().findOne(access(ctx), id(ctx))),
      create: (ctx: Context) => respond(ctx, service().create(access(ctx), ctx.request.body), 201),
      update: (ctx: Context) =>
        respond(ctx, service().update(access(ctx), id(ctx), ctx.request.body)),
      delete: (ctx: Context) => respond(ctx, service().delete(access(ctx), id(ctx))),
    },
  };
};
