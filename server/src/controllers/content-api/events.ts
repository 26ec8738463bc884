import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import { eventsBodySchema } from '../../services/events';
import { authenticateCaller, originOf } from '../../utils/caller';
import { getService } from '../../utils/get-service';
import { RateLimiter } from '../../utils/rate-limiter';
import { parseOrThrow } from '../../utils/validation';

const MAX_BODY_BYTES = 256 * 1024;

/** A 429 in Strapi's error shape, with `Retry-After`. */
function refuseTooMany(ctx: Context, wait: number, why: string): never {
  const seconds = Math.ceil(wait / 1_000);
  ctx.set('Retry-After', String(seconds));
  throw new errors.RateLimitError(`${why}; retry in ${seconds} s`, { retryAfter: seconds });
}

/**
 * `POST /api/personalize/events`: exposures and conversions from frontends and backends. Public
 * (it stores no personal data and reads nothing back), bounded per request, rate-limited per
 * client address, and counted against that address's event budget, which requests with an API
 * token that is not read-only (trusted backends) do not have.
 */
const events = ({ strapi }: { strapi: Core.Strapi }) => {
  const { eventsRateLimit, eventBudget } = strapi.config.get(
    `plugin::${PLUGIN_ID}`
  ) as PluginConfig;
  const limiter = new RateLimiter(eventsRateLimit);

  return {
    async ingest(ctx: Context) {
      const wait = limiter.take(ctx.ip);
      if (wait > 0) {
        refuseTooMany(
          ctx,
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
      const origin = originOf(ctx);
      const service = getService(strapi, 'events');
      const over = service.spend(origin, body.events.length);
      if (over > 0) {
        refuseTooMany(
          ctx,
          over,
          `This address sent more events than its budget (${eventBudget.perAddress} every ${eventBudget.windowSeconds} s)`
        );
      }
      ctx.body = { data: await service.ingest(body.events, origin) };
    },
  };
};

export default events;
