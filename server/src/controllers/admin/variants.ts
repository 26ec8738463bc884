import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { respond, targetedActions } from './actions';

/**
 * Admin CRUD and publication of variants: `/personalize/variants`. Besides the plugin's own
 * actions (route policies), the Content Manager permissions of the target entry apply (see
 * services/variants.ts): reading it to see its variants, updating it (and each overridden field)
 * to write them, publishing it to publish them.
 */
const variants = ({ strapi }: { strapi: Core.Strapi }) => {
  const { service, access, id, actions } = targetedActions(strapi, 'variants');
  return {
    ...actions,
    publish: (ctx: Context) => respond(ctx, service().publish(access(ctx), id(ctx))),
    unpublish: (ctx: Context) => respond(ctx, service().unpublish(access(ctx), id(ctx))),
  };
};

export default variants;
