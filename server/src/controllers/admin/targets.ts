import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';
import { respond } from './actions';

/** `GET /personalize/target-summary`: an entry named as the Content Manager names it. */
const targets = ({ strapi }: { strapi: Core.Strapi }) => ({
  summary: (ctx: Context) =>
    respond(
      ctx,
      getService(strapi, 'targets').summary(getService(strapi, 'access').forAdmin(ctx), ctx.query)
    ),
});

export default targets;
