import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Response } from 'supertest';

import { createApiToken, loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { createEntry, updateEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import {
  contextHeader,
  createPersona,
  createStage,
  createVariant,
  experimentBody,
  setPublicPermission,
  systemAccess,
} from '../helpers/personalize';

// `?variant=` / `?variants=`: the content of one published variant, the same for every visitor,
// so that a CDN can keep it under its URL (docs/frontend.md, "Cacheable content per variant").

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';

let app: Playground;
/** Articles: `main` (English and German), `other`, `unpublished` (a draft only). */
const articles = { main: '', other: '', unpublished: '' };
/** Variants by name. */
const variants: Record<string, string> = {};

const content = (path: string) => app.http().get(`/api/personalize/content/${path}`);

const varyOf = (response: Response) =>
  String(response.headers.vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());

const variant = async (
  name: string,
  body: Record<string, unknown>,
  options: { publish?: boolean } = {}
) => {
  const created = await createVariant(
    app,
    { name, targetUid: ARTICLE, locale: 'en', ...body },
    options
  );
  variants[name] = created.documentId as string;
};

/** Writes the `locale` version of an article with `title` and publishes it. */
const publishTitle = async (documentId: string, locale: string, title: string) => {
  await updateEntry(app, ARTICLE, documentId, { locale, data: { title } });
  await app.strapi.documents(ARTICLE).publish({ documentId, locale });
};

beforeAll(async () => {
  app = await startPlayground();
  await createPersona(app, { name: 'Family', slug: 'family' });
  await createStage(app, { name: 'Purchase', slug: 'purchase', order: 3 });
  const article = async (title: string, publish = true) =>
    (await createEntry(app, ARTICLE, { locale: 'en', data: { title }, publish })).documentId;
  articles.main = await article('Main');
  articles.other = await article('Other');
  articles.unpublished = await article('Unpublished', false);
  await publishTitle(articles.main, 'de', 'Haupt');

  await variant('family', {
    targetDocumentId: articles.main,
    persona: 'family',
    overrides: { title: 'Main for families' },
  });
  await variant('purchase', {
    targetDocumentId: articles.main,
    stage: 'purchase',
    overrides: { title: 'Main at purchase' },
  });
  await variant(
    'draft',
    { targetDocumentId: articles.main, persona: 'family', overrides: { title: 'Draft' } },
    { publish: false }
  );
  await variant('german', {
    targetDocumentId: articles.main,
    locale: 'de',
    persona: 'family',
    overrides: { title: 'Haupt für Familien' },
  });
  await variant('other', {
    targetDocumentId: articles.other,
    rule: { '==': [{ var: 'traits.plan' }, 'pro'] },
    overrides: { title: 'Other for pros' },
  });
  await variant('on a draft', {
    targetDocumentId: articles.unpublished,
    persona: 'family',
    overrides: { title: 'leak' },
  });
  await createEntry(app, HOMEPAGE, { locale: 'en', data: { headline: 'Welcome' } });
  const home = await createVariant(app, {
    name: 'home family',
    targetUid: HOMEPAGE,
    locale: 'en',
    persona: 'family',
    overrides: { headline: 'Welcome, family' },
  });
  variants.home = home.documentId as string;
  // An experiment whose arm is the family variant, and the holdout on: a read that decided for a
  // visitor would record exposures, reach and impact rows.
  const experiments = app.strapi.plugin('personalize').service('experiments');
  const created = await experiments.create(
    systemAccess(app),
    experimentBody(articles.main, variants.family)
  );
  await experiments.start(systemAccess(app), created.documentId);
  await app.strapi
    .plugin('personalize')
    .service('settings')
    .update(systemAccess(app), { holdout: { share: 0.2, seed: 'variant-content' } });
});

afterAll(() => app.stop());

describe('one entry', () => {
  it('merges the published variant, says which in meta.personalization, and is cacheable', async () => {
    const response = await content(`articles/${articles.main}?variant=${variants.family}`);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      documentId: articles.main,
      title: 'Main for families',
    });
    expect(response.body.meta.personalization).toMatchObject({
      persona: null,
      stage: null,
      variant: { documentId: variants.family, name: 'family' },
      reason: 'persona',
      warnings: [],
    });
    expect(response.body.meta.personalization).not.toHaveProperty('experiment');
    expect(response.headers['x-personalize-segment']).toBe(
      response.body.meta.personalization.segment
    );
    // The segment of the same variant served by a decision.
    const decided = await content(`articles/${articles.main}`).set(
      contextHeader({ persona: 'family' })
    );
    expect(decided.body.meta.personalization.variant.documentId).toBe(variants.family);
    expect(response.headers['x-personalize-segment']).toBe(
      decided.headers['x-personalize-segment']
    );

    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const keys = [
      `personalize-entry:${ARTICLE}:${articles.main}`,
      `personalize-variant:${variants.family}`,
    ];
    expect(response.headers['surrogate-key']).toBe(keys.join(' '));
    expect(response.headers['cache-tag']).toBe(keys.join(','));
    expect(varyOf(response)).toEqual(
      expect.arrayContaining(['x-personalize-context', 'authorization'])
    );

    const stage = await content(`articles/${articles.main}?variant=${variants.purchase}`);
    expect(stage.body.data.title).toBe('Main at purchase');
    expect(stage.body.meta.personalization.reason).toBe('stage');
  });

  it('serves the variant of the locale read, with the query core REST takes', async () => {
    const german = await content(
      `articles/${articles.main}?locale=de&variant=${variants.german}&fields[0]=title`
    );
    expect(german.status).toBe(200);
    expect(german.body.data).toEqual({
      id: expect.any(Number),
      documentId: articles.main,
      title: 'Haupt für Familien',
    });
    // The English variant is not one of the German entry's, and the other way round.
    const wrongLocale = await content(
      `articles/${articles.main}?locale=de&variant=${variants.family}`
    );
    expect(wrongLocale.status).toBe(404);
    expect(wrongLocale.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    expect((await content(`articles/${articles.main}?variant=${variants.german}`)).status).toBe(
      404
    );
  });

  it('answers 404 for a draft variant, an unpublished one, another entry’s and an unknown id', async () => {
    for (const path of [
      `articles/${articles.main}?variant=${variants.draft}`,
      `articles/${articles.main}?variant=${variants.other}`,
      `articles/${articles.other}?variant=${variants.family}`,
      `articles/${articles.main}?variant=nosuchvariant`,
      `articles/${articles.unpublished}?variant=${variants['on a draft']}`,
    ]) {
      const response = await content(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body.data).toBeNull();
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(JSON.stringify(response.body)).not.toContain('leak');
    }
    // Unpublished after being served: gone at once.
    const api = pluginApi(app, await loginAdmin(app));
    expect((await api.post(`/variants/${variants.purchase}/unpublish`)).status).toBe(200);
    expect((await content(`articles/${articles.main}?variant=${variants.purchase}`)).status).toBe(
      404
    );
    expect((await api.post(`/variants/${variants.purchase}/publish`)).status).toBe(200);
    expect((await content(`articles/${articles.main}?variant=${variants.purchase}`)).status).toBe(
      200
    );
  });

  it('serves a single type’s variant', async () => {
    const response = await content(`homepage?variant=${variants.home}`);
    expect(response.status).toBe(200);
    expect(response.body.data.headline).toBe('Welcome, family');
    expect(response.body.meta.personalization.variant.documentId).toBe(variants.home);
    expect(response.headers['surrogate-key']).toBe(
      `personalize-entry:${HOMEPAGE} personalize-variant:${variants.home}`
    );
    expect((await content(`homepage?variant=${variants.family}`)).status).toBe(404);
  });
});

describe('a list', () => {
  it('merges the variant named for each entry, the others as they are', async () => {
    const response = await content(
      `articles?sort=title:asc&variants=${articles.other}:${variants.other},${articles.main}:${variants.family}`
    );
    expect(response.status).toBe(200);
    expect(response.body.data.map((entry: { title: string }) => entry.title)).toEqual([
      'Main for families',
      'Other for pros',
    ]);
    expect(
      response.body.meta.personalization.map(
        (meta: { variant: { documentId: string } | null }) => meta.variant?.documentId
      )
    ).toEqual([variants.family, variants.other]);
    expect(response.body.meta.pagination.total).toBe(2);
    expect(response.headers['x-personalize-segment']).toBe(response.body.meta.segment);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers['surrogate-key']).toBe(
      `personalize-type:${ARTICLE} personalize-variant:${variants.other} personalize-variant:${variants.family}`
    );

    const one = await content(
      `articles?sort=title:asc&variants=${articles.main}:${variants.family}`
    );
    expect(one.body.data.map((entry: { title: string }) => entry.title)).toEqual([
      'Main for families',
      'Other',
    ]);
    expect(one.body.meta.personalization[1]).toMatchObject({ variant: null, reason: 'default' });
    // An entry named but not on the page: its variant is checked, nothing is merged.
    const paged = await content(
      `articles?sort=title:asc&pagination[pageSize]=1&variants=${articles.other}:${variants.other}`
    );
    expect(paged.status).toBe(200);
    expect(paged.body.data.map((entry: { title: string }) => entry.title)).toEqual(['Main']);
    const wrong = await content(`articles?variants=${articles.other}:${variants.family}`);
    expect(wrong.status).toBe(404);
  });

  it.each([
    ['variant on a list', 'articles?variant=abc'],
    ['variants on one entry', () => `articles/${articles.main}?variants=a:b`],
    ['variants on a single type', 'homepage?variants=a:b'],
    ['a malformed id', () => `articles/${articles.main}?variant=a%20b`],
    ['a malformed list', 'articles?variants=a:b,c'],
    ['an entry named twice', 'articles?variants=a:b,a:c'],
    ['two variant parameters', () => `articles/${articles.main}?variant=a&variant=b`],
    [
      'too many pairs',
      () => `articles?variants=${Array.from({ length: 101 }, (_, i) => `e${i}:v${i}`).join(',')}`,
    ],
  ])('refuses %s with 400', async (_name, path) => {
    const response = await content(typeof path === 'string' ? path : path());
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
  });
});

describe('no visitor', () => {
  it('refuses a context in the query, a header or a POST body with 400', async () => {
    const path = `/api/personalize/content/articles/${articles.main}?variant=${variants.family}`;
    const inQuery = await app
      .http()
      .get(`${path}&context=${encodeURIComponent('{"persona":"family"}')}`);
    const inHeader = await app.http().get(path).set(contextHeader({}));
    const inBody = await app
      .http()
      .post(path)
      .send({ context: { persona: 'family' } });
    for (const response of [inQuery, inHeader, inBody]) {
      expect(response.status).toBe(400);
      expect(response.body.error.details.errors[0].path).toEqual(['context']);
    }
    // The POST form without a context: the same content, for no shared cache.
    const posted = await app.http().post(path).send({});
    expect(posted.status).toBe(200);
    expect(posted.body.data.title).toBe('Main for families');
    expect(posted.headers['cache-control']).toBe('private, max-age=300');
  });

  it('records nothing: no exposure, reach, impact exposure or page view', async () => {
    const plugin = app.strapi.plugin('personalize');
    const spies = [
      jest.spyOn(plugin.service('events'), 'recordExposure'),
      jest.spyOn(plugin.service('events'), 'recordReach'),
      jest.spyOn(plugin.service('events'), 'recordImpactExposure'),
      jest.spyOn(plugin.service('profiles'), 'recordView'),
    ];
    const count = async () =>
      Promise.all(
        ['personalize_exposures', 'personalize_variant_reach', 'personalize_impact_exposures'].map(
          async (table) => Number((await app.strapi.db.connection(table).count({ n: '*' }))[0].n)
        )
      );
    const before = await count();
    try {
      for (let i = 0; i < 5; i += 1) {
        const response = await content(`articles/${articles.main}?variant=${variants.family}`);
        expect(response.status).toBe(200);
      }
      await content(`articles?variants=${articles.main}:${variants.family}`);
      // Past the write-behind buffers' 200 ms.
      await new Promise((resolve) => setTimeout(resolve, 400));
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(await count()).toEqual(before);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('callers', () => {
  it('needs the find permission core needs (403 as core) and is private with credentials', async () => {
    await setPublicPermission(app, `${ARTICLE}.findOne`, false);
    try {
      const refused = await content(`articles/${articles.main}?variant=${variants.family}`);
      const core = await app.http().get(`/api/articles/${articles.main}`);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(core.body);
    } finally {
      await setPublicPermission(app, `${ARTICLE}.findOne`, true);
    }
    const token = await createApiToken(app, await loginAdmin(app), 'read-only');
    const authenticated = await content(`articles/${articles.main}?variant=${variants.family}`).set(
      'Authorization',
      `Bearer ${token}`
    );
    expect(authenticated.status).toBe(200);
    expect(authenticated.body.data.title).toBe('Main for families');
    expect(authenticated.headers['cache-control']).toBe('private, max-age=300');
    expect(varyOf(authenticated)).toContain('authorization');
    const forged = await content(`articles/${articles.main}?variant=${variants.family}`).set(
      'Authorization',
      'Bearer forged'
    );
    expect(forged.status).toBe(401);
  });
});

/** A local HTTP server standing in for the app's purge endpoint: it keeps what it receives. */
const purgeReceiver = async () => {
  const received: { headers: IncomingHttpHeaders; keys: string[] }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({
        headers: request.headers,
        keys: (JSON.parse(body) as { keys: string[] }).keys,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/purge`,
    received,
    /** Every key received so far. */
    keys: () => received.flatMap((request) => request.keys),
    /** Waits until a POST named `key`. */
    async waitFor(key: string) {
      for (let waited = 0; waited < 5_000; waited += 20) {
        if (received.some((request) => request.keys.includes(key))) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no purge of ${key}; received ${JSON.stringify(received)}`);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};

describe('the purge webhook', () => {
  let receiver: Awaited<ReturnType<typeof purgeReceiver>>;
  let api: PluginApi;
  const setWebhook = (value: unknown) =>
    app.strapi.config.set('plugin::personalize.purgeWebhook', value);

  beforeAll(async () => {
    receiver = await purgeReceiver();
    setWebhook({ url: receiver.url, headers: { 'X-Purge-Token': 'secret' } });
    api = pluginApi(app, await loginAdmin(app));
  });

  afterAll(async () => {
    setWebhook(null);
    await receiver.close();
  });

  it('is told the variant’s key after a variant is published, changed and unpublished in the admin', async () => {
    const created = await api.post('/variants', {
      name: 'late',
      targetUid: ARTICLE,
      targetDocumentId: articles.other,
      locale: 'en',
      persona: 'family',
      overrides: { title: 'Other, late' },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.documentId as string;
    const key = `personalize-variant:${id}`;
    // A draft changes nothing any URL serves.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.keys()).not.toContain(key);

    expect((await api.post(`/variants/${id}/publish`)).status).toBe(200);
    await receiver.waitFor(key);
    const purged = receiver.received.find((request) => request.keys.includes(key));
    expect(purged?.headers['x-purge-token']).toBe('secret');
    expect(purged?.headers['content-type']).toBe('application/json');
    // Served once the purge went out.
    const served = await content(`articles/${articles.other}?variant=${id}`);
    expect(served.body.data.title).toBe('Other, late');

    receiver.received.length = 0;
    expect((await api.post(`/variants/${id}/unpublish`)).status).toBe(200);
    await receiver.waitFor(key);
    expect((await content(`articles/${articles.other}?variant=${id}`)).status).toBe(404);
  });

  it('is told the entry’s and the type’s keys after the base content changes', async () => {
    receiver.received.length = 0;
    await publishTitle(articles.other, 'en', 'Other, edited');
    await receiver.waitFor(`personalize-entry:${ARTICLE}:${articles.other}`);
    expect(receiver.keys()).toContain(`personalize-type:${ARTICLE}`);
  });

  it('never fails the write: a webhook that cannot be reached is logged', async () => {
    const closed = await purgeReceiver();
    await closed.close();
    setWebhook({ url: closed.url, headers: {} });
    const warn = jest.spyOn(app.strapi.log, 'warn').mockImplementation(() => app.strapi.log);
    try {
      expect((await api.post(`/variants/${variants.other}/publish`)).status).toBe(200);
      for (let waited = 0; waited < 5_000 && warn.mock.calls.length === 0; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/purge webhook failed/);
    } finally {
      warn.mockRestore();
      setWebhook({ url: receiver.url, headers: { 'X-Purge-Token': 'secret' } });
    }
  });
});
