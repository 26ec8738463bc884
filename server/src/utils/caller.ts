import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import { getService } from './get-service';

export interface Auth {
  strategy: { name: string };
  credentials: unknown;
  ability: unknown;
}

/** Runs Strapi's content API strategies (users-permissions, API tokens) for this request. */
const authenticate = async (strapi: Core.Strapi, ctx: Context): Promise<Auth> => {
  const route = ctx.state.route;
  ctx.state.route = {
    ...route,
    config: { ...route?.config, auth: { scope: [] } },
    info: { ...route?.info, type: 'content-api' },
  };
  try {
    let authenticated = false;
    await strapi.get('auth').authenticate(ctx, async () => {
      authenticated = true;
    });
    if (!authenticated) {
      throw new errors.UnauthorizedError(
        (ctx.body as { error?: { message?: string } } | undefined)?.error?.message ??
          'Missing or invalid credentials'
      );
    }
    return ctx.state.auth as Auth;
  } finally {
    ctx.state.route = route;
  }
};

/**
 * Authenticates the caller (from the cache when it can) and checks `scope` exactly as a core
 * route with that scope would: 401 for bad credentials, 403 without the permission.
 */
export const authorizeCaller = async (strapi: Core.Strapi, ctx: Context, scope: string[]) => {
  const auth = await getService(strapi, 'contentCache').caller(ctx.get('authorization'), () =>
    authenticate(strapi, ctx)
  );
  ctx.state.auth = auth;
  ctx.state.isAuthenticated = true;
  if (auth.strategy.name === 'users-permissions' && auth.credentials)
    ctx.state.user = auth.credentials;
  await strapi.get('auth').verify(auth, { scope });
};
