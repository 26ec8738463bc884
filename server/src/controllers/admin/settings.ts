import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';
import { respond } from './actions';

/** `GET|PUT /personalize/settings`: which content types have variants. */
const settings = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'settings');
  const access = (ctx: Context) => getService(strapi, 'access').forAdmin(ctx);
  const contentTypes = async (work: Promise<unknown>) => ({ contentTypes: await work });
  return {
    find: (ctx: Context) => respond(ctx, contentTypes(service().contentTypes(access(ctx)))),
    update: (ctx: Context) =>
      respond(ctx, contentTypes(service().update(access(ctx), ctx.request.body))),
  };
};

export default settings;
