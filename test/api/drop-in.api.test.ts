import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import type { Response } from 'supertest';

import { fastReadOf, fastReadRoutes } from '../../server/src/middlewares/drop-in';
import { createApiToken, loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import {
  contextHeader,
  createPersona,
  createVariant,
  setPublicPermission,
} from '../helpers/personalize';

// The drop-in answers a core REST read that carries a context from the content cache, as the
// plugin's content route does, only when core's route runs nothing but core's action. The app
// here gives the homepage's `find` route a policy of its own (`global::app-policy`, added after
// the app registered, before its routes are built): that route must keep core's path. It also
// adds an app middleware after the plugin's bootstrap: answers the plugin keeps for identical
// requests must then be sent after it, not before the router.

/** The app's policy: refuses requests with `X-Deny`, and says it ran. */
const mockAppPolicy = (context: {
  request: { get(name: string): string };
  response: { set(name: string, value: string): void };
}) => {
  context.response.set('X-App-Policy', 'ran');
  return context.request.get('X-Deny') === '';
};

/** An app middleware the plugin's comes before: refuses requests with `X-Deny-Late`. */
const mockLateMiddleware = async (ctx: Context, next: Next) => {
  ctx.set('X-App-Late', 'ran');
  if (ctx.get('X-Deny-Late')) {
    ctx.forbidden('Denied by the app');
    return;
  }
  await next();
};

jest.mock('@strapi/strapi', () => {
  const actual = jest.requireActual<typeof import('@strapi/strapi')>('@strapi/strapi');
  return {
    ...actual,
    createStrapi: (...args: Parameters<typeof actual.createStrapi>) => {
      const strapi = actual.createStrapi(...args);
      const register = strapi.register.bind(strapi);
      strapi.register = async () => {
        await register();
        strapi.get('policies').set('global::app-policy', mockAppPolicy);
        for (const route of strapi.api('homepage').routes.homepage.routes) {
          if (route.handler === 'api::homepage.homepage.find') {
            route.config = { ...route.config, policies: ['global::app-policy'] };
          }
        }
        return strapi;
      };
      // An app middleware added after the plugin's bootstrap, right before the router.
      const bootstrap = strapi.bootstrap.bind(strapi);
      strapi.bootstrap = async () => {
        await bootstrap();
        strapi.server.use(mockLateMiddleware);
        return strapi;
      };
      return strapi;
    },
  };
});

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';

let app: Playground;
let article: string;

const cacheBytes = () => app.strapi.plugin('personalize').service('contentCache').bytes as number;
const clearCache = () => app.strapi.plugin('personalize').service('contentCache').clear();

const family = contextHeader({ persona: 'family' });

/** The headers a personalized answer is told apart by. */
const headersOf = (response: Response) => ({
  status: response.status,
  vary: response.headers.vary,
  cacheControl: response.headers['cache-control'],
  segment: response.headers['x-personalize-segment'],
});

beforeAll(async () => {
  app = await startPlayground();
  await createPersona(app, { name: 'Family', slug: 'family' });
  article = (
    await createEntry(app, ARTICLE, {
      locale: 'en',
      data: { title: 'Base', summary: 'Summary', internalNotes: 'secret note' },
    })
  ).documentId;
  await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Second' } });
  await createVariant(app, {
    name: 'family',
    targetUid: ARTICLE,
    targetDocumentId: article,
    locale: 'en',
    persona: 'family',
    overrides: { title: 'Family' },
  });
  await createEntry(app, HOMEPAGE, { locale: 'en', data: { headline: 'Welcome' } });
  await createVariant(app, {
    name: 'home family',
    targetUid: HOMEPAGE,
    locale: 'en',
    persona: 'family',
    overrides: { headline: 'Welcome, family' },
  });
});

afterAll(() => app.stop());

describe('the routes it answers itself', () => {
  it('are the core reads with nothing of the app’s on them', () => {
    const reads = fastReadRoutes(app.strapi).map(({ route }) => `${route.method} ${route.path}`);
    expect(reads.sort()).toEqual(['GET /articles', 'GET /articles/:id']);
  });

  it('never a route with a policy, a middleware, other auth, another handler or an overridden action', () => {
    const [findOne] = fastReadRoutes(app.strapi)
      .filter(({ action }) => action === 'findOne')
      .map(({ route }) => route);
    const path = '/api/articles/:id';
    expect(fastReadOf(app.strapi, findOne, path)).not.toBeNull();
    const variations: Partial<Core.Route>[] = [
      { config: { policies: ['global::is-owner'] } },
      { config: { middlewares: ['global::cache'] } },
      { config: { auth: false } },
      { config: { auth: { scope: ['api::article.article.find'] } } },
      { config: { auth: { scope: [findOne.handler as string], strategies: ['api-token'] } } },
      { config: { prefix: '' } },
      { handler: 'api::article.article.count' },
      { handler: 'api::article.article.findOne', method: 'POST' },
      { handler: async () => undefined },
    ];
    for (const variation of variations) {
      expect(fastReadOf(app.strapi, { ...findOne, ...variation }, path)).toBeNull();
    }
    // An app's controller that overrides the action (createCoreController with its own findOne).
    const controllers = app.strapi.get('controllers');
    const core = app.strapi.controller(ARTICLE);
    controllers.extend(ARTICLE, (controller: object) =>
      Object.assign(
        Object.create(Object.getPrototypeOf(controller) as object) as object,
        controller,
        {
          findOne: async () => ({ data: null }),
        }
      )
    );
    try {
      expect(fastReadOf(app.strapi, findOne, path)).toBeNull();
    } finally {
      controllers.extend(ARTICLE, () => core);
    }
    expect(fastReadOf(app.strapi, findOne, path)).not.toBeNull();
  });
});

describe('a core read with a context', () => {
  it('is answered from the content cache with what the plugin’s content route answers', async () => {
    clearCache();
    const dropIn = await app.http().get(`/api/articles/${article}`).set(family);
    expect(dropIn.status).toBe(200);
    expect(dropIn.body.data.title).toBe('Family');
    // Cached: core's route alone caches nothing.
    expect(cacheBytes()).toBeGreaterThan(0);
    const route = await app.http().get(`/api/personalize/content/articles/${article}`).set(family);
    expect(dropIn.body).toEqual(route.body);
    expect(headersOf(dropIn)).toEqual(headersOf(route));
    expect(JSON.stringify(dropIn.body)).not.toContain('secret note');
    // From the cache again.
    expect(await app.http().get(`/api/articles/${article}`).set(family)).toMatchObject({
      status: 200,
      body: dropIn.body,
    });

    const query = 'sort=title:asc&fields[0]=title&pagination[pageSize]=5';
    const list = await app.http().get(`/api/articles?${query}`).set(family);
    const listRoute = await app
      .http()
      .get(`/api/personalize/content/articles?${query}`)
      .set(family);
    expect(list.body.data.map((entry: { title: string }) => entry.title)).toEqual([
      'Family',
      'Second',
    ]);
    expect(list.body).toEqual(listRoute.body);
    expect(headersOf(list)).toEqual(headersOf(listRoute));
  });

  it('answers what core answers for a missing entry and a bad query', async () => {
    for (const path of ['/api/articles/nope', '/api/articles?populate=nope']) {
      const [core, dropIn] = await Promise.all([
        app.http().get(path),
        app.http().get(path).set(family),
      ]);
      expect({ path, status: dropIn.status, body: dropIn.body }).toEqual({
        path,
        status: core.status,
        body: core.body,
      });
      expect(dropIn.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('without a context is core’s answer, with Vary', async () => {
    const plain = await app.http().get(`/api/articles/${article}`);
    expect(plain.body.data.title).toBe('Base');
    expect(plain.body.meta).toEqual({});
    expect(plain.headers.vary).toMatch(/X-Personalize-Context/i);
  });
});

describe('a core read whose route has an app policy', () => {
  it('runs core’s route, policy included, and personalizes its answer', async () => {
    clearCache();
    const home = await app.http().get('/api/homepage').set(family);
    expect(home.status).toBe(200);
    expect(home.headers['x-app-policy']).toBe('ran');
    expect(home.body.data.headline).toBe('Welcome, family');
    expect(cacheBytes()).toBe(0);
    const route = await app.http().get('/api/personalize/content/homepage').set(family);
    expect(home.body).toEqual(route.body);

    const denied = await app.http().get('/api/homepage').set(family).set('X-Deny', '1');
    const deniedCore = await app.http().get('/api/homepage').set('X-Deny', '1');
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual(deniedCore.body);
  });
});

describe('an answer kept for an identical request', () => {
  it('is sent after an app middleware that comes after the plugin’s, which still decides', async () => {
    const read = () => app.http().get(`/api/personalize/content/articles/${article}`).set(family);
    const first = await read();
    const kept = await read();
    expect(kept.body).toEqual(first.body);
    expect(kept.headers['x-app-late']).toBe('ran');
    expect((await read().set('X-Deny-Late', '1')).status).toBe(403);
  });

  it('and what the content cache holds, never for a request core answers in another format', async () => {
    const v5 = await app.http().get(`/api/articles/${article}`).set(family);
    expect(v5.body.data.attributes).toBeUndefined();
    const v4 = await app
      .http()
      .get(`/api/articles/${article}`)
      .set(family)
      .set('strapi-response-format', 'v4');
    expect(v4.body.data.attributes.summary).toBe('Summary');
  });
});

describe('permissions, as core', () => {
  const compare = async (path: string, headers: Record<string, string> = {}) => {
    const [core, dropIn] = await Promise.all([
      app.http().get(path).set(headers),
      app.http().get(path).set(headers).set(family),
    ]);
    return {
      core: { status: core.status, body: core.body },
      dropIn: { status: dropIn.status, body: dropIn.body },
    };
  };

  it('403 without the permission, 401 for a forged token, 403 for a token without it', async () => {
    await setPublicPermission(app, `${ARTICLE}.findOne`, false);
    try {
      const refused = await compare(`/api/articles/${article}`);
      expect(refused.core.status).toBe(403);
      expect(refused.dropIn).toEqual(refused.core);
      // The list is still allowed.
      expect((await compare('/api/articles')).dropIn.status).toBe(200);
    } finally {
      await setPublicPermission(app, `${ARTICLE}.findOne`, true);
    }
    const forged = await compare(`/api/articles/${article}`, { Authorization: 'Bearer forged' });
    expect(forged.core.status).toBe(401);
    expect(forged.dropIn).toEqual(forged.core);

    const jwt = await loginAdmin(app);
    const listOnly = await createApiToken(app, jwt, 'custom', 'list only', [`${ARTICLE}.find`]);
    const bearer = { Authorization: `Bearer ${listOnly}` };
    const tokenRefused = await compare(`/api/articles/${article}`, bearer);
    expect(tokenRefused.core.status).toBe(403);
    expect(tokenRefused.dropIn).toEqual(tokenRefused.core);
    const tokenList = await compare('/api/articles?sort=title:asc', bearer);
    expect(tokenList.dropIn.status).toBe(200);
    expect(tokenList.dropIn.body.data[0].title).toBe('Family');

    const readOnly = await createApiToken(app, jwt, 'read-only');
    const allowed = await app
      .http()
      .get(`/api/articles/${article}`)
      .set(family)
      .set('Authorization', `Bearer ${readOnly}`);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.title).toBe('Family');
    expect(allowed.headers['cache-control']).toBe('private, no-store');
  });
});
