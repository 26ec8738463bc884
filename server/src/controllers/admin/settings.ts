import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';
import { respond } from './actions';

/** `GET|PUT /personalize/settings`: which content types have variants, and the holdout. */
const settings = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'settings');
  const access = (ctx: Context) => getService(strapi, 'access').forAdmin(ctx);
  return {
    find: (ctx: Context) => respond(ctx, service().find(access(ctx))),
    update: (ctx: Context) => respond(ctx, service().update(access(ctx), ctx.request.body)),
  };
};

export default settings;
