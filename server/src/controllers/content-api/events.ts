import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import { eventsBodySchema } from '../../contracts';
import { authenticateCaller, originOf } from '../../utils/caller';
import { getService } from '../../utils/get-service';
import { parseOrThrow } from '../../utils/validation';

const MAX_BODY_BYTES = 256 * 1024;

/** A 429 in Strapi's error shape; `retryAfter` (seconds) becomes the `Retry-After` header. */
const tooMany = (wait: number, why: string) => {
  const retryAfter = Math.ceil(wait / 1_000);
  return new errors.RateLimitError(`${why}; retry in ${retryAfter} s`, { retryAfter });
};

/**
 * `POST /api/personalize/events`: exposures and conversions from frontends and backends. Public
 * (it stores no personal data and reads nothing back), bounded per request, rate-limited per
 * client address (across instances with Redis, see services/cluster), and counted against that
 * address's event budget (services/events/event-budget.ts).
 */
const events = ({ strapi }: { strapi: Core.Strapi }) => {
  const { eventsRateLimit } = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const limit = getService(strapi, 'cluster').rateLimit('events', eventsRateLimit, 1_000);

  return {
    async ingest(ctx: Context) {
      try {
        const wait = await limit.take(getService(strapi, 'events').limitKey(ctx.ip));
        if (wait > 0) {
          throw tooMany(
            wait,
            `Too many event requests from this address (limit ${eventsRateLimit}/s)`
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
        if (ctx.get('authorization')) await authenticateCaller(strapi, ctx);
        ctx.body = { data: await getService(strapi, 'events').ingest(body.events, originOf(ctx)) };
      } catch (error) {
        const retryAfter = (error as { details?: { retryAfter?: unknown } }).details?.retryAfter;
        if (error instanceof errors.RateLimitError && typeof retryAfter === 'number') {
          ctx.set('Retry-After', String(retryAfter));
        }
        throw error;
      }
    },
  };
};

export default events;
