import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import { eventsBodySchema } from '../../services/events';
import { getService } from '../../utils/get-service';
import { RateLimiter } from '../../utils/rate-limiter';
import { parseOrThrow } from '../../utils/validation';

const MAX_BODY_BYTES = 256 * 1024;

/**
 * `POST /api/personalize/events`: exposures and conversions from frontends. Public (it stores
 * no personal data and reads nothing back), bounded per request and rate-limited per IP address.
 */
const events = ({ strapi }: { strapi: Core.Strapi }) => {
  const { eventsRateLimit } = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const limiter = new RateLimiter(eventsRateLimit);

  return {
    async ingest(ctx: Context) {
      const wait = limiter.take(ctx.ip);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1_000);
        ctx.set('Retry-After', String(seconds));
        throw new errors.RateLimitError(
          `Too many event requests from this address (limit ${eventsRateLimit}/s); retry in ${seconds} s`,
          { retryAfter: seconds }
        );
      }
      const length =
        ctx.request.length ?? Buffer.byteLength(JSON.stringify(ctx.request.body ?? ''));
      if (length > MAX_BODY_BYTES) {
        throw new errors.PayloadTooLargeError(
          `The body has ${length} bytes; send at most ${MAX_BODY_BYTES} (256 KB) a request`
        );
      }
      const body = parseOrThrow(eventsBodySchema, ctx.request.body, 'body');
      ctx.body = { data: await getService(strapi, 'events').ingest(body.events) };
    },
  };
};

export default events;
