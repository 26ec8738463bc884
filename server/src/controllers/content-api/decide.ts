import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { decideBodySchema } from '../../contracts';
import { decideTarget } from '../../utils/decide-target';
import { getService } from '../../utils/get-service';
import { setPersonalizationHeaders } from '../../utils/personalization-headers';
import { parseOrThrow } from '../../utils/validation';
import { readBodyContext } from '../../utils/visitor-context';

/**
 * `POST /api/personalize/decide`: the decision without the content, for edges and caches. The
 * caller needs the same permission as for reading the entry itself.
 */
const decide = ({ strapi }: { strapi: Core.Strapi }) => ({
  async decide(ctx: Context) {
    const body = parseOrThrow(decideBodySchema, ctx.request.body, 'body');
    const { data, dependence, visitor, target } = await decideTarget(strapi, ctx, body, () =>
      readBodyContext(strapi, ctx, body.context)
    );
    setPersonalizationHeaders(strapi, ctx, {
      segment: data.segment,
      dependence,
      shareable: false,
    });
    ctx.body = { data };
    if (body.track !== false)
      getService(strapi, 'delivery').recordView(visitor, target, data.stage);
  },
});

export default decide;
