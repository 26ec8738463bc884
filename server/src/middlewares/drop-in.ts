import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';

import { sendPersonalized } from '../controllers/content-api/content';
import type { CoreRead, ReadAction } from '../services/content-cache';
import { getService } from '../utils/get-service';
import { authenticateCaller, type Auth } from '../utils/caller';
import { PLUGIN_ID } from '../constants';
import { startPersonalizedResponse } from '../utils/personalization-headers';
import { answerRepeated, sendRepeated } from '../utils/repeatable-responses';
import { storableInput } from './storable-input';
import { CONTEXT_HEADER, readRequestContext } from '../utils/visitor-context';

/** Handlers of core REST reads: `api::article.article.find`, `api::article.article.findOne`. */
const CORE_READ = /^(api::[^.]+\.[^.]+)\.(find|findOne)$/;

/** The query parameters core routes accept for the drop-in (register.ts) and never read. */
const DROP_IN_PARAMS = ['context', 'track'];

/** What the fast path reads of a @koa/router layer (the package ships no types). */
interface Layer {
  path: string;
  methods: string[];
  stack: unknown[];
  captures(path: string): string[];
  params(path: string, captures: string[], params: Record<string, string>): Record<string, string>;
}

/** What the fast path reads of Strapi's root @koa/router. */
interface Router {
  stack: Layer[];
  opts: { host?: unknown; routerPath?: string; exclusive?: boolean };
}

/** A core read route the drop-in answers itself, and the path of its layer in the router. */
export interface FastRead extends CoreRead {
  route: Core.Route;
  path: string;
}

/**
 * Whether the drop-in may answer reads of `route` itself, from the content cache, exactly as core
 * would: a GET whose handler is `api::x.x.find|findOne`, resolved to core's own action on the
 * app's controller (`createCoreController` copies it there; an override is another function),
 * with no policies, no middlewares and the default auth (the handler as scope). Anything else
 * keeps core's route, whose answer the drop-in then personalizes.
 */
export const fastReadOf = (
  strapi: Core.Strapi,
  route: Core.Route,
  path: string
): FastRead | null => {
  if (route.method !== 'GET' || route.info?.type !== 'content-api') return null;
  const match = typeof route.handler === 'string' ? CORE_READ.exec(route.handler) : null;
  if (!match || !(match[1] in strapi.contentTypes)) return null;
  const { auth, policies, middlewares, ...other } = route.config ?? {};
  const defaultAuth =
    auth === undefined ||
    (auth !== false &&
      Object.keys(auth).join() === 'scope' &&
      auth.scope?.length === 1 &&
      auth.scope[0] === route.handler);
  if (!defaultAuth || policies?.length || middlewares?.length || Object.keys(other).length > 0) {
    return null;
  }
  const uid = match[1] as UID.ContentType;
  const action = match[2] as ReadAction;
  const controller = strapi.controller(uid as UID.Controller) as Core.Controller | undefined;
  const core: unknown = controller && Reflect.get(Object.getPrototypeOf(controller) ?? {}, action);
  if (!controller || typeof core !== 'function' || controller[action] !== core) return null;
  return { uid, action, controller, route, path };
};

/** The app's core read routes the drop-in answers itself (decided at bootstrap, routes are final). */
export const fastReadRoutes = (strapi: Core.Strapi): FastRead[] => {
  const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
  return Object.values(strapi.apis).flatMap((api) =>
    Object.values(api.routes).flatMap((router) =>
      (router.routes ?? []).flatMap((route) => {
        // The path @koa/router gives the route's layer (a bare `/` takes the prefixes alone).
        const prefixes = `${prefix}${router.prefix ?? ''}`;
        const read = fastReadOf(
          strapi,
          route,
          route.path === '/' ? prefixes : prefixes + route.path
        );
        return read ? [read] : [];
      })
    )
  );
};

const isLayer = (value: unknown): value is Layer =>
  typeof value === 'object' && value !== null && 'methods' in value && 'stack' in value;

/** A route of the router, as `ctx.matched` and the router's stack name it. */
interface RoutePath {
  method: string;
  path: string;
}

/**
 * The plugin's own routes whose answers may be repeated (utils/repeatable-responses.ts): the
 * content reads (`GET /api/personalize/content/...`) and `POST /api/personalize/decide`, as the
 * plugin declares them: no policy, nothing but its own middlewares (an app may have added some:
 * those keep Strapi's route every time).
 */
const repeatableOwnRoutes = (strapi: Core.Strapi): RoutePath[] => {
  const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
  const { routes } = strapi.plugin(PLUGIN_ID);
  const router = Array.isArray(routes) ? undefined : routes['content-api'];
  return (router?.routes ?? []).flatMap((route) => {
    const plain =
      !route.config?.policies?.length &&
      route.config?.middlewares?.length === 2 &&
      route.config.middlewares.includes(storableInput);
    const read =
      route.method === 'GET' && route.path.startsWith('/content/') && !route.path.includes(':type');
    const decide = route.method === 'POST' && route.path === '/decide';
    return plain && (read || decide)
      ? [{ method: route.method, path: `${prefix}${router?.prefix ?? ''}${route.path}` }]
      : [];
  });
};

/**
 * The router's layers the drop-in answers for, each the only layer of its method and path and
 * running nothing but its composed route (no `router.param` handlers): the core reads it serves
 * itself (`table`), and those whose answers it may repeat (`repeatable`: these core reads and
 * the plugin's own routes); and the drop-in's own layer. Read on first use: the router mounts
 * the API routes when the server starts listening.
 */
const layersOf = (
  router: Router,
  self: unknown,
  reads: readonly FastRead[],
  ownRoutes: readonly RoutePath[]
) => {
  const own = router.stack.find((layer) => layer.stack.includes(self));
  const table = new Map<Layer, FastRead>();
  const repeatable = new Set<Layer>();
  if (router.opts.host !== undefined || router.opts.routerPath || router.opts.exclusive) {
    return { own, table, repeatable };
  }
  const only = ({ method, path }: RoutePath) => {
    const layers = router.stack.filter(
      (layer) => layer.path === path && layer.methods.includes(method)
    );
    return layers.length === 1 && layers[0].stack.length === 1 ? layers[0] : undefined;
  };
  for (const read of reads) {
    const layer = only({ method: 'GET', path: read.path });
    if (!layer) continue;
    table.set(layer, read);
    repeatable.add(layer);
  }
  for (const route of ownRoutes) {
    const layer = only(route);
    if (layer) repeatable.add(layer);
  }
  return { own, table, repeatable };
};

/**
 * @koa/router's `allowedMethods` of a mounted API router: after the route it only answers a
 * request no route answered (405/501), so for a request that a route of its method matched it
 * does nothing.
 */
const isAllowedMethods = (layer: Layer) =>
  layer.stack.length > 0 &&
  layer.stack.every((fn) => typeof fn === 'function' && fn.name === 'allowedMethods');

/**
 * The layer the router runs right after the drop-in's own for this request, with no other
 * middleware or route of the router in between but `allowedMethods` (`ctx.matched` is what the
 * router matched, in its order).
 */
const nextLayer = (ctx: Context, own: Layer | undefined) => {
  const matched: unknown = ctx.matched;
  if (!own || !Array.isArray(matched)) return undefined;
  const chain = matched.filter(
    (layer): layer is Layer =>
      isLayer(layer) && (layer.methods.length === 0 || layer.methods.includes(ctx.method))
  );
  const at = chain.indexOf(own);
  return at < 0 ? undefined : chain.slice(at + 1).find((layer) => !isAllowedMethods(layer));
};

/** The fast read of this request's layer, with its route parameters. */
const fastReadFor = (ctx: Context, layer: Layer, read: FastRead) => {
  const path = ctx.newRouterPath || ctx.path;
  return { read, params: layer.params(path, layer.captures(path), {}) };
};

/**
 * Core's route in place of core's route (Strapi's compose-endpoint): its state first
 * (`ctx.state.route`, the params), authentication (a failure answered with the strategy's
 * message, as core's `authenticate` middleware does), then authorization and the action, whose
 * refusals are answered as core's `authorize` middleware answers them; with the plugin's content
 * route's cached authentication and content cache. Returns core's body, or nothing when it
 * answered otherwise (a refusal, or a missing entry, which Strapi's error middleware then
 * answers 404).
 */
const coreRoute = async (
  strapi: Core.Strapi,
  ctx: Context,
  { read, params }: { read: FastRead; params: Record<string, string> }
) => {
  ctx.state.route = { ...read.route, config: read.route.config ?? {} };
  ctx.params = params;
  Object.assign(ctx.request, { params });
  let auth: Auth;
  try {
    auth = await authenticateCaller(strapi, ctx);
  } catch (error) {
    if (!(error instanceof errors.UnauthorizedError)) throw error;
    ctx.unauthorized(error.message);
    return undefined;
  }
  try {
    await strapi.get('auth').verify(auth, read.route.config?.auth);
    const cache = getService(strapi, 'contentCache');
    return await cache.coreRead(ctx, read, `core ${read.path}`, DROP_IN_PARAMS);
  } catch (error) {
    if (error instanceof errors.UnauthorizedError) ctx.unauthorized();
    else if (error instanceof errors.ForbiddenError && !(error instanceof errors.PolicyError)) {
      ctx.forbidden();
    } else throw error;
    return undefined;
  }
};

/**
 * A core read answered from the content cache with the plugin's content route's authorization,
 * sanitization (core's own controller action) and cache, then personalized.
 */
const serveFast = async (
  strapi: Core.Strapi,
  ctx: Context,
  fast: { read: FastRead; params: Record<string, string> }
) => {
  startPersonalizedResponse(strapi, ctx);
  const body = await coreRoute(strapi, ctx, fast);
  if (body === null || body === undefined) return;
  const visitor = await readRequestContext(strapi, ctx);
  if (visitor === null) ctx.body = body;
  else sendPersonalized(strapi, ctx, fast.read.uid, body, visitor, ctx.query.track !== 'false');
};

/** The core read a request was routed to (its content type uid), or null. */
const coreReadOf = (ctx: Context) => {
  const route = ctx.state.route as { handler?: unknown; info?: { type?: string } } | undefined;
  if (ctx.method !== 'GET' || route?.info?.type !== 'content-api') return null;
  if (typeof route.handler !== 'string') return null;
  return CORE_READ.exec(route.handler)?.[1] ?? null;
};

/**
 * The drop-in, a middleware of Strapi's router (it runs after every app middleware, before the
 * route): a core REST read (`GET /api/articles/...`) that carries a visitor context returns the
 * personalized entry. A read whose route runs nothing but core's action (`fastReadRoutes`) is
 * answered from the content cache as the plugin's content route answers; any other runs core's
 * route first, so its permissions and sanitization are untouched, and its answer is
 * personalized. Without a context only `Vary` is added. With one, every answer (core's errors
 * included) says what it varies on.
 *
 * Without credentials, a GET with a context to such a core read or to the plugin's own content
 * read, and a `POST /api/personalize/decide`, are first answered with the response kept for an
 * identical request, if any (utils/repeatable-responses.ts).
 */
export const dropInMiddleware = ({ strapi }: { strapi: Core.Strapi }) => {
  const reads = fastReadRoutes(strapi);
  const ownRoutes = repeatableOwnRoutes(strapi);
  let layers: ReturnType<typeof layersOf> | undefined;
  const middleware = async (ctx: Context, next: Next) => {
    const carriesContext = Boolean(ctx.get(CONTEXT_HEADER) || ctx.query.context);
    if ((carriesContext && ctx.method === 'GET') || ctx.method === 'POST') {
      layers ??= layersOf(strapi.server.router as Router, middleware, reads, ownRoutes);
      const layer = nextLayer(ctx, layers.own);
      if (layer && layers.repeatable.has(layer) && !ctx.get('authorization')) {
        if (answerRepeated(strapi, ctx)) return;
      }
      const read = layer && ctx.method === 'GET' && layers.table.get(layer);
      if (layer && read) return serveFast(strapi, ctx, fastReadFor(ctx, layer, read));
    }
    let uid: string | null;
    try {
      await next();
    } finally {
      uid = coreReadOf(ctx);
      if (uid && carriesContext) startPersonalizedResponse(strapi, ctx);
      else if (uid) ctx.vary(CONTEXT_HEADER);
    }
    const body = ctx.body as { data?: unknown } | undefined;
    if (
      !uid ||
      ctx.status !== 200 ||
      typeof body !== 'object' ||
      body === null ||
      !('data' in body)
    )
      return;
    const visitor = await readRequestContext(strapi, ctx);
    if (visitor === null) return;
    sendPersonalized(
      strapi,
      ctx,
      uid as UID.ContentType,
      body as { data: unknown },
      visitor,
      ctx.query.track !== 'false'
    );
  };
  return middleware;
};

/** Whether `middleware` is the app's last middleware before Strapi's router. */
const rightBeforeRouter = (strapi: Core.Strapi, middleware: unknown) => {
  const stack: unknown[] = strapi.server.app.middleware;
  const after: unknown = stack[stack.indexOf(middleware) + 1];
  return (
    stack.includes(middleware) &&
    typeof after === 'function' &&
    Reflect.get(after, 'router') === strapi.server.router
  );
};

/**
 * Before Strapi's router, after every other app middleware: a request whose identical twin got
 * an answer the drop-in kept (utils/repeatable-responses.ts) gets it too, without being routed.
 * Its twin was routed to a route that runs nothing but the plugin's read or decision, with only
 * the drop-in before it; the router would route this one the same way (routes are final once
 * the server listens). Only while this is the app's last middleware before the router: one an
 * app adds after it keeps the drop-in's lookup, after the router.
 */
export const repeatedAnswersMiddleware = ({ strapi }: { strapi: Core.Strapi }) => {
  const posts = new Set(
    repeatableOwnRoutes(strapi)
      .filter((route) => route.method === 'POST')
      .map((route) => route.path)
  );
  let beforeRouter: boolean | undefined;
  const middleware = (ctx: Context, next: Next) => {
    beforeRouter ??= rightBeforeRouter(strapi, middleware);
    const candidate =
      ctx.method === 'GET'
        ? Boolean(ctx.get(CONTEXT_HEADER) || ctx.query.context)
        : ctx.method === 'POST' && posts.has(ctx.path);
    if (beforeRouter && candidate && !ctx.get('authorization') && sendRepeated(strapi, ctx)) {
      return undefined;
    }
    return next();
  };
  return middleware;
};
