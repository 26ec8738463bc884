import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';
import { respond } from './actions';

/** `GET /personalize/impact`: personalized visitors against the holdout. */
const impact = ({ strapi }: { strapi: Core.Strapi }) => ({
  report: (ctx: Context) => respond(ctx, getService(strapi, 'impact').report(ctx.query)),
});

export default impact;
