import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';

/** `POST /personalize/preview`. */
const preview = ({ strapi }: { strapi: Core.Strapi }) => ({
  async preview(ctx: Context) {
    ctx.body = await getService(strapi, 'preview').preview(
      getService(strapi, 'access').forAdmin(ctx),
      ctx,
      ctx.request.body
    );
  },
});

export default preview;
