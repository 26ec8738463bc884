import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';

import type { EventOrigin } from '../services/events';
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
 * Authenticates the caller with Strapi's content API strategies, from a short cache when it
 * can: 401 for bad credentials; without credentials, the Public role.
 */
export const authenticateCaller = async (strapi: Core.Strapi, ctx: Context): Promise<Auth> => {
  const auth = await getService(strapi, 'contentCache').caller(ctx.get('authorization'), () =>
    authenticate(strapi, ctx)
  );
  ctx.state.auth = auth;
  ctx.state.isAuthenticated = true;
  if (auth.strategy.name === 'users-permissions' && auth.credentials)
    ctx.state.user = auth.credentials;
  return auth;
};

/**
 * Authenticates the caller and checks `scope` exactly as a core route with that scope would:
 * 401 for bad credentials, 403 without the permission.
 */
export const authorizeCaller = async (strapi: Core.Strapi, ctx: Context, scope: string[]) => {
  await strapi.get('auth').verify(await authenticateCaller(strapi, ctx), { scope });
};

/** Strapi's API token strategy (`content-api-token` since 5.x's admin-token split). */
const API_TOKEN_STRATEGIES = new Set(['content-api-token', 'api-token']);

/** Whether the caller authenticated with a Strapi API token (not a user, not the Public role). */
export const isApiToken = (auth: Auth) => API_TOKEN_STRATEGIES.has(auth.strategy.name);

/**
 * Routes for trusted servers only (profile writers, the edge snapshot): a Strapi API token with
 * `scope` (a custom token with that permission, or a full-access one). 401 without credentials,
 * 403 for any other caller, the Public role included, whatever it is given.
 */
export async function requireApiToken(
  strapi: Core.Strapi,
  ctx: Context,
  scope: string,
  refusal: string
): Promise<void> {
  if (!ctx.get('authorization')) {
    throw new errors.UnauthorizedError('An API token is required (Authorization: Bearer …)');
  }
  const auth = await authenticateCaller(strapi, ctx);
  if (!isApiToken(auth)) throw new errors.ForbiddenError(refusal);
  await strapi.get('auth').verify(auth, { scope: [scope] });
}

/**
 * Where the events a request causes come from: its client address as Strapi sees it (`ctx.ip`,
 * behind a proxy only with `proxy` settings). A Strapi API token that is not read-only (a
 * server-side frontend, an SSR app, a backend; read-only tokens often ship to browsers) frees it
 * from the address's event budget; only a full-access one vouches for the events it sends.
 */
export const originOf = (ctx: Context): EventOrigin => {
  const auth = ctx.state.auth as
    | { strategy?: { name?: string }; credentials?: { type?: string } | null }
    | undefined;
  const token = API_TOKEN_STRATEGIES.has(auth?.strategy?.name ?? '')
    ? auth?.credentials?.type
    : undefined;
  return {
    address: ctx.ip,
    budgeted: token === undefined || token === 'read-only',
    trusted: token === 'full-access',
  };
};
