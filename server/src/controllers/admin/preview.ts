import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';
import { respond } from './actions';

/** `POST /personalize/preview` and `POST /personalize/preview-links`. */
const preview = ({ strapi }: { strapi: Core.Strapi }) => ({
  async preview(ctx: Context) {
    ctx.body = await getService(strapi, 'preview').preview(
      getService(strapi, 'access').forAdmin(ctx),
      ctx,
      ctx.request.body
    );
  },
  /** A signed, expiring link that forces a persona, a stage and/or an arm: `{ data }`, 201. */
  link: (ctx: Context) =>
    respond(
      ctx,
      getService(strapi, 'previewLinks').create(
        getService(strapi, 'access').forAdmin(ctx),
        ctx.request.body
      ),
      201
    ),
});

export default preview;
