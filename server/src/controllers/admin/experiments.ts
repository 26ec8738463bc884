import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { respond, targetedActions } from './actions';

/**
 * Admin API of experiments: `/personalize/experiments`. Besides
 * the plugin's actions, the Content Manager permissions of the experiment's entry apply (see
 * services/experiments/lifecycle.ts).
 */
const experiments = ({ strapi }: { strapi: Core.Strapi }) => {
  const { service, access, id, actions } = targetedActions(strapi, 'experiments');
  return {
    ...actions,
    start: (ctx: Context) => respond(ctx, service().start(access(ctx), id(ctx))),
    pause: (ctx: Context) => respond(ctx, service().pause(access(ctx), id(ctx))),
    complete: (ctx: Context) =>
      respond(ctx, service().complete(access(ctx), id(ctx), ctx.request.body)),
    promote: (ctx: Context) => respond(ctx, service().promote(access(ctx), id(ctx))),
    results: (ctx: Context) => respond(ctx, service().results(access(ctx), id(ctx), ctx.query)),
    sampleSize: (ctx: Context) => respond(ctx, Promise.resolve(service().sampleSize(ctx.query))),
  };
};

export default experiments;
