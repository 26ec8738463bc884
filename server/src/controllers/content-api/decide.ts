import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { decideBodySchema } from '../../contracts';
import { decideTarget } from '../../utils/decide-target';
import { getService } from '../../utils/get-service';
import { setPersonalizationHeaders } from '../../utils/personalization-headers';
import { keepRepeatableResponse } from '../../utils/repeatable-responses';
import { parseOrThrow } from '../../utils/validation';
import { readBodyContext } from '../../utils/visitor-context';

/**
 * `POST /api/personalize/decide`: the decision without the content, for edges and caches. The
 * caller needs the same permission as for reading the entry itself. An answer the request alone
 * decided is kept for an identical request (utils/repeatable-responses.ts).
 */
const decide = ({ strapi }: { strapi: Core.Strapi }) => ({
  async decide(ctx: Context) {
    const body = parseOrThrow(decideBodySchema, ctx.request.body, 'body');
    const { data, dependence, visitor, target } = await decideTarget(strapi, ctx, body, () =>
      readBodyContext(strapi, ctx, body.context)
    );
    const requestAlone = setPersonalizationHeaders(strapi, ctx, {
      segment: data.segment,
      dependence,
      shareable: false,
    });
    ctx.body = { data };
    if (body.track !== false)
      getService(strapi, 'delivery').recordView(visitor, target, data.stage);
    keepRepeatableResponse(
      strapi,
      ctx,
      { body: ctx.body, requestAlone },
      visitor?.context.visitorId
    );
  },
});

export default decide;
