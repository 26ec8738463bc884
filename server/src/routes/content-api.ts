import type { Core, UID } from '@strapi/strapi';
import type { Context, Next } from 'koa';

import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { contextQueryFields } from '../contracts';
import { storableInput } from '../middlewares/storable-input';
import { startPersonalizedResponse } from '../utils/personalization-headers';
import type { ReadAction } from '../controllers/content-api/content';
import { targetContentTypes } from '../utils/targets';

/**
 * Content API under `/api/personalize/...`. The delivery has one route per content type; its
 * controller requires that type's own core permission (`api::article.article.findOne`), so access
 * is exactly that of core REST and no extra permission appears in the Roles settings.
 */
const contentApiRoutes = ({ strapi }: { strapi: Core.Strapi }) => {
  const controller = <Name extends string>(name: Name) =>
    strapi.plugin(PLUGIN_ID).controller(name) as Record<
      string,
      (ctx: Context, ...args: unknown[]) => unknown
    >;
  const read = (uid: UID.ContentType, action: ReadAction) => (ctx: Context) =>
    controller('content').read(ctx, uid, action);
  // Whatever a personalized route answers, errors included, says what it varies on.
  const personalized = async (ctx: Context, next: Next) => {
    startPersonalizedResponse(strapi, ctx);
    await next();
  };

  const { profiles } = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  // Each read has a GET form and a POST form, whose body carries a context too large for a URL.
  const METHODS = ['GET', 'POST'] as const;

  const contentRoutes = targetContentTypes(strapi).flatMap(({ uid, kind, info }) => {
    const routes = (path: string, action: ReadAction) =>
      METHODS.map((method) => ({
        method,
        path,
        handler: read(uid as UID.ContentType, action),
        request: { query: contextQueryFields },
        // Authenticated by the controller (with a short cache), against exactly this scope.
        config: { auth: false as const, middlewares: [personalized, storableInput] },
      }));
    return kind === 'singleType'
      ? routes(`/content/${info.singularName}`, 'find')
      : [
          ...routes(`/content/${info.pluralName}`, 'find'),
          ...routes(`/content/${info.pluralName}/:id`, 'findOne'),
        ];
  });

  // After the types' own routes: any other name gets a 404 that names it.
  const unknownRoutes = ['/content/:type', '/content/:type/:id'].flatMap((path) =>
    METHODS.map((method) => ({
      method,
      path,
      handler: (ctx: Context) => controller('content').unknownRoute(ctx),
      config: { auth: false as const, middlewares: [personalized] },
    }))
  );

  return {
    type: 'content-api',
    routes: [
      ...contentRoutes,
      ...unknownRoutes,
      {
        method: 'POST',
        path: '/decide',
        handler: (ctx: Context) => controller('decide').decide(ctx),
        // The target type comes with the body: the controller authenticates and checks its scope.
        config: { auth: false, middlewares: [personalized, storableInput] },
      },
      {
        method: 'POST',
        path: '/events',
        handler: (ctx: Context) => controller('events').ingest(ctx),
        // Public: it stores no personal data and returns none; bounded and rate-limited instead.
        config: { auth: false, middlewares: [storableInput] },
      },
      {
        method: 'GET',
        path: '/snapshot',
        handler: 'snapshot.read',
        // An API token with the action's permission: the controller checks it (401/403).
        config: { auth: false },
      },
      // Trusted sources of profiles: an API token with the action's permission (the controller
      // checks it, to answer 401 without a token and refuse the Public role whatever it is given).
      // None when the app turned profiles off.
      ...(profiles.enabled
        ? ([
            ['PUT', '/profiles/:visitorId/traits', 'updateTraits'],
            ['POST', '/profiles/:visitorId/events', 'recordEvents'],
            ['POST', '/integrations/segment', 'segment'],
          ] as const)
        : []
      ).map(([method, path, action]) => ({
        method,
        path,
        handler: `profiles.${action}`,
        config: { auth: false as const, middlewares: [storableInput] },
      })),
    ],
  };
};

export default contentApiRoutes;
