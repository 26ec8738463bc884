import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { assertCanOnContent } from '../../utils/content-permissions';
import { getService } from '../../utils/get-service';
import { targetContentType } from '../../utils/targets';

/** `POST /personalize/preview`. */
const preview = ({ strapi }: { strapi: Core.Strapi }) => ({
  async preview(ctx: Context) {
    const targetUid = (ctx.request.body as { targetUid?: unknown } | undefined)?.targetUid;
    // An unknown type is the service's to refuse, with a 400 naming it.
    if (typeof targetUid === 'string' && targetContentType(strapi, targetUid))
      assertCanOnContent(ctx, 'read', targetUid);
    ctx.body = await getService(strapi, 'preview').preview(ctx, ctx.request.body);
  },
});

export default preview;
