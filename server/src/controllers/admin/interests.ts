import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { signalsQuerySchema } from '../../contracts';
import { getService } from '../../utils/get-service';
import { parseOrThrow } from '../../utils/validation';
import { respond } from './actions';
import { listController } from './lists';

/** Admin CRUD of interests: `/personalize/interests`. */
export const interests = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'interests');
  const id = (ctx: Context) => ctx.params.documentId as string;
  return {
    ...listController('interests')({ strapi }),
    findOne: (ctx: Context) => respond(ctx, service().findOne(id(ctx))),
    create: (ctx: Context) => respond(ctx, service().create(ctx.request.body), 201),
    update: (ctx: Context) => respond(ctx, service().update(id(ctx), ctx.request.body)),
    delete: (ctx: Context) => respond(ctx, service().delete(id(ctx))),
  };
};

/**
 * An entry's signals: `GET|PUT /personalize/signals`. The Content Manager's permissions of the
 * entry decide (read to see them, update to change them).
 */
export const signals = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'interests');
  const access = (ctx: Context) => getService(strapi, 'access').forAdmin(ctx);
  return {
    find(ctx: Context) {
      const query = parseOrThrow(signalsQuerySchema, ctx.query, 'query');
      return respond(
        ctx,
        service().findSignals(access(ctx), query.targetUid, query.targetDocumentId)
      );
    },
    replace: (ctx: Context) =>
      respond(ctx, service().replaceSignals(access(ctx), ctx.request.body)),
  };
};
