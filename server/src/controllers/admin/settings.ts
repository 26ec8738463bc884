import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';

/** `GET|PUT /personalize/settings`: which content types have variants. */
const settings = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    ctx.body = {
      data: { contentTypes: await getService(strapi, 'settings').contentTypes() },
      meta: {},
    };
  },
  async update(ctx: Context) {
    ctx.body = {
      data: { contentTypes: await getService(strapi, 'settings').update(ctx.request.body) },
      meta: {},
    };
  },
});

export default settings;
