import { previewContext } from '../../client/src';
import {
  createAdmin,
  grantPermissions,
  loginAdmin,
  pluginApi,
  type PluginApi,
} from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { openApiProblems } from '../helpers/openapi';
import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, uploadPicture } from '../helpers/personalize';

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';

let app: Playground;
let token: string;
let article: string;

let api: PluginApi;

/** A 400 in Strapi's error shape whose details name `path`. */
const expectValidationError = (
  response: {
    status: number;
    body: {
      error?: { name: string; message: string; details?: { errors?: { path: string[] }[] } };
    };
  },
  path: string[],
  message?: RegExp
) => {
  expect(response.status).toBe(400);
  expect(response.body.error?.name).toBe('ValidationError');
  expect(response.body.error?.details?.errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ path })])
  );
  if (message) expect(response.body.error?.message).toMatch(message);
};

beforeAll(async () => {
  app = await startPlayground();
  token = await loginAdmin(app);
  api = pluginApi(app, token);
  article = (
    await createEntry(app, ARTICLE, {
      locale: 'en',
      data: { title: 'Base', summary: 'Base summary' },
    })
  ).documentId;
  await createEntry(app, HOMEPAGE, { locale: 'en', data: { headline: 'Welcome' } });
});

afterAll(() => app.stop());

describe.each([
  [
    'personas',
    {
      name: 'Family buyer',
      priority: 10,
      rule: { '==': [{ var: 'traits.kind' }, 'family'] },
      sampleContext: { traits: { kind: 'family' } },
    },
  ],
  [
    'stages',
    {
      name: 'Purchase intent',
      order: 3,
      rule: { in: ['configurator_completed', { var: 'events' }] },
      sampleContext: { events: ['configurator_completed'] },
    },
  ],
])('/personalize/%s', (name, body) => {
  let documentId: string;

  it('creates with a slug derived from the name, reads, updates and lists', async () => {
    const created = await api.post(`/${name}`, body);
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      ...body,
      slug: body.name.toLowerCase().replace(/ /g, '-'),
    });
    documentId = created.body.data.documentId;

    expect((await api.get(`/${name}/${documentId}`)).body.data).toMatchObject(body);
    const updated = await api.put(`/${name}/${documentId}`, { description: 'Updated', rule: null });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({
      description: 'Updated',
      rule: null,
      name: body.name,
    });
    const list = await api.get(`/${name}`);
    expect(list.body.data.map((item: { documentId: string }) => item.documentId)).toContain(
      documentId
    );
    // `true` comes back as written (SQLite stores it as 1), and the registry uses it.
    expect((await api.put(`/${name}/${documentId}`, { rule: true })).body.data.rule).toBe(true);
    expect((await api.get(`/${name}/${documentId}`)).body.data.rule).toBe(true);
    const listed = (await api.get(`/${name}`)).body.data.find(
      (item: { documentId: string }) => item.documentId === documentId
    );
    expect(listed.rule).toBe(true);
    await api.put(`/${name}/${documentId}`, { rule: null });
  });

  it('refuses a used slug, an invalid rule with its path, a bad sample context and unknown fields', async () => {
    expectValidationError(
      await api.post(`/${name}`, {
        ...body,
        name: 'Other',
        slug: body.name.toLowerCase().replace(/ /g, '-'),
      }),
      ['slug'],
      /already used/
    );
    expectValidationError(
      await api.post(`/${name}`, {
        ...body,
        name: 'Bad rule',
        rule: { and: [true, { reduce: [[], {}, 0] }] },
      }),
      ['rule', 'and', '1'],
      /reduce/
    );
    expectValidationError(
      await api.post(`/${name}`, { ...body, name: 'Proto', rule: { var: '__proto__' } }),
      ['rule', 'var']
    );
    expectValidationError(
      await api.post(`/${name}`, { ...body, name: 'Bad sample', sampleContext: { visits: -2 } }),
      ['sampleContext', 'visits']
    );
    expectValidationError(await api.post(`/${name}`, { ...body, name: 'Extra', colour: 'red' }), [
      'colour',
    ]);
    expectValidationError(await api.put(`/${name}/${documentId}`, { slug: 'Not A Slug' }), [
      'slug',
    ]);
  });

  it('answers 404 for an unknown documentId and deletes', async () => {
    expect((await api.get(`/${name}/nope`)).status).toBe(404);
    expect((await api.delete(`/${name}/${documentId}`)).status).toBe(200);
    expect((await api.get(`/${name}/${documentId}`)).status).toBe(404);
  });
});

describe('/personalize/variants', () => {
  let variant: string;

  beforeAll(async () => {
    await api.post('/personas', { name: 'Family', slug: 'family', rule: null });
    await api.post('/stages', { name: 'Purchase', slug: 'purchase', order: 3 });
  });

  it('creates a draft variant that the delivery does not serve until published', async () => {
    const created = await api.post('/variants', {
      name: 'Family tone',
      targetUid: ARTICLE,
      targetDocumentId: article,
      locale: 'en',
      persona: 'family',
      stage: 'purchase',
      priority: 2,
      rule: { '>=': [{ var: 'visits' }, 1] },
      overrides: { title: 'Family title' },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: 'Family tone',
      persona: 'family',
      stage: 'purchase',
      status: 'draft',
      publishedAt: null,
      locale: 'en',
      overrides: { title: 'Family title' },
      baseUpdatedAt: expect.any(String),
    });
    variant = created.body.data.documentId;
    const context = { persona: 'family', stage: 'purchase', visits: 2 };
    const before = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .set(contextHeader(context));
    expect(before.body.data.title).toBe('Base');

    const published = await api.post(`/variants/${variant}/publish`);
    expect(published.body.data).toMatchObject({
      status: 'published',
      publishedAt: expect.any(String),
    });
    const after = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .set(contextHeader(context));
    expect(after.body.data.title).toBe('Family title');

    const edited = await api.put(`/variants/${variant}`, {
      overrides: { title: 'Family title 2' },
    });
    expect(edited.body.data.status).toBe('modified');
    const unpublished = await api.post(`/variants/${variant}/unpublish`);
    expect(unpublished.body.data).toMatchObject({ status: 'draft', publishedAt: null });
    const gone = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .set(contextHeader(context));
    expect(gone.body.data.title).toBe('Base');
  });

  it('lists by target and locale, with status and publishedAt', async () => {
    const list = await api.get(
      `/variants?targetUid=${ARTICLE}&targetDocumentId=${article}&locale=en`
    );
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ documentId: variant, status: 'draft', publishedAt: null }),
    ]);
    expect(list.body.meta.pagination).toMatchObject({ total: 1 });
    expect((await api.get(`/variants?targetUid=${ARTICLE}&locale=de`)).body.data).toEqual([]);
    expectValidationError(await api.get('/variants?colour=red'), ['colour']);
  });

  it('accepts media overrides as file ids and a single type without documentId', async () => {
    const picture = await uploadPicture(app, 'safety');
    const onArticle = await api.post('/variants', {
      name: 'Cover',
      targetUid: ARTICLE,
      targetDocumentId: article,
      overrides: { cover: picture.id },
    });
    expect(onArticle.status).toBe(201);
    expect(onArticle.body.data).toMatchObject({ locale: 'en', overrides: { cover: picture.id } });
    const home = await api.post('/variants', {
      name: 'Home',
      targetUid: HOMEPAGE,
      overrides: { headline: 'Hi family' },
    });
    expect(home.status).toBe(201);
    expect(home.body.data.targetDocumentId).toBeNull();
  });

  const valid = () => ({
    name: 'V',
    targetUid: ARTICLE,
    targetDocumentId: article,
    locale: 'en',
    overrides: {},
  });
  it.each([
    [
      'an unknown attribute',
      { overrides: { colour: 'red' } },
      ['overrides', 'colour'],
      /unknown attribute "colour"/,
    ],
    [
      'a uid attribute',
      { overrides: { slug: 'x' } },
      ['overrides', 'slug'],
      /cannot be overridden.*uid/,
    ],
    [
      'a private attribute',
      { overrides: { internalNotes: 'x' } },
      ['overrides', 'internalNotes'],
      /private/,
    ],
    [
      'a system attribute',
      { overrides: { publishedAt: null } },
      ['overrides', 'publishedAt'],
      /managed by Strapi/,
    ],
    ['a value of the wrong type', { overrides: { title: 42 } }, ['overrides', 'title'], /title/],
    ['a null required attribute', { overrides: { title: null } }, ['overrides', 'title'], /title/],
    ['blocks that are not blocks', { overrides: { body: 'text' } }, ['overrides', 'body'], /body/],
    [
      'a missing file',
      { overrides: { cover: 999999 } },
      ['overrides', 'cover'],
      /no file with id 999999/,
    ],
    ['overrides that are not an object', { overrides: ['title'] }, ['overrides'], /overrides/],
    ['an unknown persona', { persona: 'ghost' }, ['persona'], /ghost/],
    ['an unknown stage', { stage: 'ghost' }, ['stage'], /ghost/],
    ['an invalid rule', { rule: { map: [[1], { var: '' }] } }, ['rule'], /map/],
    [
      'an unknown target type',
      { targetUid: 'api::spaceship.spaceship' },
      ['targetUid'],
      /spaceship/,
    ],
    [
      'a plugin target type',
      { targetUid: 'plugin::users-permissions.user' },
      ['targetUid'],
      /users-permissions/,
    ],
    [
      'a target entry that does not exist',
      { targetDocumentId: 'missing' },
      ['targetDocumentId'],
      /does not exist/,
    ],
    [
      'a target entry missing in that locale',
      { locale: 'de' },
      ['targetDocumentId'],
      /locale "de"/,
    ],
    ['an unknown locale', { locale: 'xx' }, ['locale'], /xx/],
    [
      'a single type with a documentId',
      { targetUid: HOMEPAGE },
      ['targetDocumentId'],
      /single type/,
    ],
    [
      'a collection type without documentId',
      { targetDocumentId: null },
      ['targetDocumentId'],
      /required/,
    ],
    ['an unknown field', { colour: 'red' }, ['colour'], /colour/],
    [
      'text with a NUL character (PostgreSQL cannot store it)',
      { overrides: { title: 'a\u0000b' } },
      ['overrides', 'title'],
      /cannot be stored/,
    ],
    [
      'a rule with an unpaired surrogate',
      { rule: { '==': [{ var: 'weather' }, '\ud800'] } },
      ['rule', '==', '1'],
      /cannot be stored/,
    ],
    ['a rule that is a bare string', { rule: 'valueOf' }, ['rule'], /an operation/],
  ])('refuses %s with 400 naming it', async (_name, change, path, message) => {
    expectValidationError(await api.post('/variants', { ...valid(), ...change }), path, message);
  });

  it('answers 404 for an unknown variant and deletes one', async () => {
    expect((await api.get('/variants/nope')).status).toBe(404);
    expect((await api.post('/variants/nope/publish')).status).toBe(404);
    expect((await api.delete(`/variants/${variant}`)).status).toBe(200);
    expect((await api.get(`/variants/${variant}`)).status).toBe(404);
  });

  it('refuses to delete a persona that variants target', async () => {
    const used = await api.post('/variants', { ...valid(), persona: 'family', overrides: {} });
    expect(used.status).toBe(201);
    const family = (await api.get('/personas')).body.data.find(
      (persona: { slug: string }) => persona.slug === 'family'
    );
    const refused = await api.delete(`/personas/${family.documentId}`);
    expectValidationError(refused, [], /used by/);
    // By id and values too, which the admin translates ("used by 1 variant version").
    expect(refused.body.error.details.errors[0]).toMatchObject({
      messageId: 'classification.inUse',
      values: { count: expect.any(Number) },
    });
  });
});

describe('/personalize/rules/validate', () => {
  it('answers valid or the errors with their paths', async () => {
    const ok = await api.post('/rules/validate', {
      rule: { starts_with: [{ var: 'utm.campaign' }, 'family'] },
    });
    expect(ok.body.data).toEqual({ valid: true, errors: [] });
    const bad = await api.post('/rules/validate', {
      rule: { or: [{ var: 'constructor.prototype' }, { log: 1 }] },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.data.valid).toBe(false);
    expect(bad.body.data.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining(['or.0.var', 'or.1'])
    );
  });

  /** What `POST /rules/validate` answers for a valid rule that matches: its conditions' matches. */
  const matchingRule = (conditions: object[]) => ({
    valid: true,
    errors: [],
    result: true,
    match: { path: '', matched: true, conditions },
  });

  it('tells whether a rule matches a sample context, as the delivery would', async () => {
    const rule = {
      and: [{ '>=': [{ var: 'visits' }, 2] }, { '==': [{ var: 'device' }, 'mobile'] }],
    };
    const test = (context: object) => api.post('/rules/validate', { rule, context });
    expect((await test({ visits: 3, device: 'mobile' })).body.data).toEqual(
      matchingRule([
        { path: 'and.0', matched: true },
        { path: 'and.1', matched: true },
      ])
    );
    expect((await test({ visits: 1, device: 'mobile' })).body.data.result).toBe(false);
    // No rule matches everyone; a bad context is a 400 naming the field.
    expect((await api.post('/rules/validate', { rule: null, context: {} })).body.data.result).toBe(
      true
    );
    expectValidationError(await test({ visits: 'x' }), ['context', 'visits']);
  });

  it('says which conditions, nested ones too, match the visitor, as docs/openapi.json describes', async () => {
    const rule = {
      or: [
        { '==': [{ var: 'persona' }, 'family'] },
        { '!': { and: [{ in: ['eco', { var: 'utm.campaign' }] }, { var: 'traits.vip' }] } },
      ],
    };
    const response = await api.post('/rules/validate', {
      rule,
      context: { persona: 'family', utm: { campaign: 'eco-week' }, traits: { vip: false } },
    });
    expect(response.body.data).toEqual(
      matchingRule([
        { path: 'or.0', matched: true },
        {
          path: 'or.1',
          matched: true,
          conditions: [
            { path: 'or.1.!.and.0', matched: true },
            { path: 'or.1.!.and.1', matched: false },
          ],
        },
      ])
    );
    const answer = { method: 'POST', path: '/personalize/rules/validate', body: response.body };
    expect(openApiProblems({ ...answer, status: response.status })).toEqual([]);
    // The document's schema is strict: a match without its `path` would not pass.
    const unnamed = { data: { ...response.body.data, match: { matched: true } } };
    expect(openApiProblems({ ...answer, status: 200, body: unnamed })).not.toEqual([]);
    // Without a context there is nothing to match; without a rule, everyone matches.
    expect((await api.post('/rules/validate', { rule })).body.data).toEqual({
      valid: true,
      errors: [],
    });
    expect((await api.post('/rules/validate', { rule: null, context: {} })).body.data).toEqual({
      valid: true,
      errors: [],
      result: true,
    });
  });
});

describe('/personalize/preview', () => {
  it('previews drafts with a trace of every variant; the Content API never serves them', async () => {
    await api.post('/variants', {
      name: 'Draft family',
      priority: 1,
      targetUid: ARTICLE,
      targetDocumentId: article,
      persona: 'family',
      overrides: { summary: 'Draft summary' },
    });
    const response = await api.post('/preview', {
      targetUid: ARTICLE,
      targetDocumentId: article,
      locale: 'en',
      status: 'draft',
      context: { persona: 'family' },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.summary).toBe('Draft summary');
    const { personalization } = response.body.meta;
    expect(personalization).toMatchObject({ persona: 'family', reason: 'persona' });
    expect(personalization.trace.length).toBeGreaterThanOrEqual(2);
    expect(personalization.trace.filter((entry: { picked: boolean }) => entry.picked)).toHaveLength(
      1
    );
    const delivered = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .set(contextHeader({ persona: 'family' }));
    expect(delivered.body.data.summary).toBe('Base summary');

    const published = await api.post('/preview', {
      targetUid: ARTICLE,
      targetDocumentId: article,
      status: 'published',
      context: { persona: 'family' },
    });
    expect(published.body.data.summary).toBe('Base summary');
    expectValidationError(
      await api.post('/preview', {
        targetUid: ARTICLE,
        targetDocumentId: article,
        context: { visits: 'x' },
      }),
      ['context', 'visits']
    );
    expectValidationError(
      await api.post('/preview', { targetUid: 'api::spaceship.spaceship', targetDocumentId: 'x' }),
      ['targetUid']
    );
  });
});

describe('/personalize/preview for a reader', () => {
  it("marks the fields the variant set and links to the app's frontend as this visitor", async () => {
    const created = await api.post('/variants', {
      name: 'Zurich',
      priority: 5,
      targetUid: ARTICLE,
      targetDocumentId: article,
      rule: { '==': [{ var: 'traits.city' }, 'Zürich'] },
      overrides: { title: 'Grüezi' },
    });
    expect(created.status).toBe(201);
    const preview = (context: object) =>
      api.post('/preview', {
        targetUid: ARTICLE,
        targetDocumentId: article,
        locale: 'en',
        status: 'draft',
        context,
      });
    const context = { traits: { city: 'Zürich' } };
    const response = await preview(context);
    expect(response.status).toBe(200);
    expect(response.body.data.title).toBe('Grüezi');
    expect(response.body.meta.overridden).toEqual(['title']);
    // The playground's previewUrl is its storefront; the client reads the visitor back from it.
    const link = new URL(response.body.meta.previewUrl, app.url);
    expect(link.pathname).toBe('/');
    expect(link.searchParams.get('locale')).toBe('en');
    expect(previewContext(link.toString())).toEqual(context);

    // Another visitor: another variant (if any), and not its title.
    const other = await preview({ traits: { city: 'Bern' } });
    expect(other.body.meta.personalization.variant?.name).not.toBe('Zurich');
    expect(other.body.meta.overridden).not.toContain('title');
  });
});

describe('what follows a save', () => {
  it('logs a failing registry reload and answers the save that succeeded', async () => {
    const registry = app.strapi.plugin('personalize').service('registryLoader') as {
      targetsChanged: (targets: unknown[]) => Promise<void>;
    };
    const reload = jest
      .spyOn(registry, 'targetsChanged')
      .mockRejectedValueOnce(new Error('the database went away'));
    const logged = jest.spyOn(app.strapi.log, 'error');
    try {
      const created = await api.post('/variants', {
        name: 'Saved before the reload failed',
        targetUid: ARTICLE,
        targetDocumentId: article,
        overrides: { summary: 'Saved anyway' },
      });
      expect(created.status).toBe(201);
      expect(reload).toHaveBeenCalledTimes(1);
      expect(logged).toHaveBeenCalledWith(
        '[personalize] reloading the variants failed after a successful write: the database went away'
      );
      const stored = await api.get(`/variants/${created.body.data.documentId}`);
      expect(stored.body.data.overrides).toEqual({ summary: 'Saved anyway' });
      expect((await api.delete(`/variants/${created.body.data.documentId}`)).status).toBe(200);
    } finally {
      reload.mockRestore();
      logged.mockRestore();
    }
  });
});

describe('permissions', () => {
  it('lets an admin with read only read, and refuses writes with 403', async () => {
    await grantPermissions(app, token, 'strapi-editor', [{ action: 'plugin::personalize.read' }]);
    const editor = (
      await createAdmin(app, token, { roles: ['strapi-editor'], email: 'reader@example.com' })
    ).token;
    const as = <Request extends { set: (name: string, value: string) => Request }>(
      request: Request
    ) => request.set('Authorization', `Bearer ${editor}`);
    expect((await as(app.http().get('/personalize/personas'))).status).toBe(200);
    expect(
      (await as(app.http().post('/personalize/rules/validate').send({ rule: true }))).status
    ).toBe(200);
    expect((await as(app.http().post('/personalize/personas').send({ name: 'X' }))).status).toBe(
      403
    );
    expect((await as(app.http().post('/personalize/variants').send({}))).status).toBe(403);
    expect((await app.http().post('/personalize/personas').send({ name: 'X' })).status).toBe(401);
  });
});
