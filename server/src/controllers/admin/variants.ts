import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { respond, targetedActions } from './actions';

/**
 * Admin CRUD and publication of variants: `/personalize/variants`. Besides the plugin's own
 * actions (route policies), the Content Manager permissions of the target entry apply (see
 * services/variants.ts): reading it to see its variants, updating it (and each overridden field)
 * to write them (a copy: reading the original's entry and updating the copy's), publishing it to
 * publish them.
 */
const variants = ({ strapi }: { strapi: Core.Strapi }) => {
  const { service, access, id, actions } = targetedActions(strapi, 'variants');
  return {
    ...actions,
    publish: (ctx: Context) => respond(ctx, service().publish(access(ctx), id(ctx))),
    unpublish: (ctx: Context) => respond(ctx, service().unpublish(access(ctx), id(ctx))),
    /** Variants per entry of a Content Manager list page: `{ data: { [documentId]: count } }`. */
    counts: (ctx: Context) => respond(ctx, service().counts(access(ctx), ctx.query)),
    /** Visitors each variant reached in the last 30 days: `{ data: { [documentId]: visitors } }`. */
    reach: (ctx: Context) => respond(ctx, service().reach(access(ctx), ctx.query)),
    /** A draft copy, in the same or another locale: `{ data, meta: { leftOut } }`. */
    async duplicate(ctx: Context) {
      ctx.body = await service().duplicate(access(ctx), id(ctx), ctx.request.body);
      ctx.status = 201;
    },
  };
};

export default variants;
