import type { Playground } from '../helpers/playground';
import { startPlayground } from '../helpers/playground';
import { createEntry } from '../helpers/content';
import {
  contextHeader,
  createPersona,
  createStage,
  createVariant,
  systemAccess,
  setPublicPermission,
  uploadPicture,
} from '../helpers/personalize';

const ARTICLE = 'api::article.article';
/** The playground's types are not generated into this package: data goes in untyped. */
const articleData = (data: Record<string, unknown>) => data as never;
const HOMEPAGE = 'api::homepage.homepage';

let app: Playground;
let article: string;
let priorities: string;
let draftOnly: string;
let familyPicture: { id: number; url: string };
const variantIds: Record<string, string> = {};

const is = (slug: string) => ({ '==': [{ var: 'traits.kind' }, slug] });
const has = (event: string) => ({ in: [event, { var: 'events' }] });

/** GET a personalized article and return the response. */
const read = (documentId: string, context?: unknown, query = '') => {
  const request = app.http().get(`/api/personalize/content/articles/${documentId}${query}`);
  return context === undefined ? request : request.set(contextHeader(context));
};

beforeAll(async () => {
  app = await startPlayground();
  familyPicture = await uploadPicture(app, 'safety');
  const basePicture = await uploadPicture(app, 'hero-default');

  await createPersona(app, { name: 'Family', slug: 'family', priority: 10, rule: is('family') });
  await createPersona(app, { name: 'Fleet', slug: 'fleet', priority: 20, rule: is('fleet') });
  // Same priority, both match `traits.tie`: the name decides (Alpha before Beta).
  await createPersona(app, {
    name: 'Beta',
    slug: 'beta',
    priority: 5,
    rule: { '==': [{ var: 'traits.tie' }, true] },
  });
  await createPersona(app, {
    name: 'Alpha',
    slug: 'alpha',
    priority: 5,
    rule: { '==': [{ var: 'traits.tie' }, true] },
  });
  await createStage(app, {
    name: 'Awareness',
    slug: 'awareness',
    order: 1,
    rule: { '>=': [{ var: ['visits', 0] }, 1] },
  });
  await createStage(app, {
    name: 'Purchase',
    slug: 'purchase',
    order: 3,
    rule: has('configurator_completed'),
  });

  const base = await createEntry(app, ARTICLE, {
    locale: 'en',
    data: {
      title: 'Base EN',
      summary: 'Base summary',
      internalNotes: 'secret note',
      cover: basePicture.id,
    },
  });
  article = base.documentId;
  await app.strapi.documents(ARTICLE).update({
    documentId: article,
    locale: 'de',
    data: articleData({ title: 'Basis DE', internalNotes: 'geheim' }),
  });
  await app.strapi.documents(ARTICLE).publish({ documentId: article, locale: 'de' });

  const target = { targetUid: ARTICLE, targetDocumentId: article, locale: 'en' };
  const add = async (
    key: string,
    body: Record<string, unknown>,
    options?: { publish?: boolean }
  ) => {
    const variant = await createVariant(app, { ...target, name: key, ...body }, options);
    variantIds[key] = variant.documentId as string;
  };
  await add('family', {
    persona: 'family',
    overrides: { title: 'Family EN', cover: familyPicture.id },
  });
  await add('family+purchase', {
    persona: 'family',
    stage: 'purchase',
    overrides: { title: 'Family purchase EN' },
  });
  await add('purchase', { stage: 'purchase', overrides: { title: 'Purchase EN' } });
  await add('austria', {
    rule: { '==': [{ var: 'geo.country' }, 'AT'] },
    overrides: { title: 'Austria EN' },
  });
  await add('alpha', { persona: 'alpha', overrides: {} });
  await add(
    'fleet draft',
    { persona: 'fleet', overrides: { title: 'Fleet draft EN' } },
    { publish: false }
  );
  await add('family de', { locale: 'de', persona: 'family', overrides: { title: 'Familie DE' } });

  // Pick order on a second article: priority beats specificity, then the earlier variant wins.
  priorities = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Priorities' } }))
    .documentId;
  const onPriorities = { targetUid: ARTICLE, targetDocumentId: priorities, locale: 'en' };
  await createVariant(app, {
    ...onPriorities,
    name: 'persona',
    persona: 'family',
    stage: null,
    overrides: { title: 'persona' },
  });
  await createVariant(app, {
    ...onPriorities,
    name: 'stage, priority 5',
    stage: 'purchase',
    priority: 5,
    overrides: { title: 'stage' },
  });
  await createVariant(app, {
    ...onPriorities,
    name: 'fleet first',
    persona: 'fleet',
    overrides: { title: 'fleet first' },
  });
  await createVariant(app, {
    ...onPriorities,
    name: 'fleet second',
    persona: 'fleet',
    overrides: { title: 'fleet second' },
  });

  draftOnly = (
    await createEntry(app, ARTICLE, {
      locale: 'en',
      publish: false,
      data: { title: 'Unpublished' },
    })
  ).documentId;
  await createVariant(app, {
    targetUid: ARTICLE,
    targetDocumentId: draftOnly,
    locale: 'en',
    name: 'on a draft',
    persona: 'family',
    overrides: { title: 'leak' },
  });

  await createEntry(app, HOMEPAGE, { locale: 'en', data: { headline: 'Welcome' } });
  await createVariant(app, {
    targetUid: HOMEPAGE,
    locale: 'en',
    name: 'home family',
    persona: 'family',
    overrides: { headline: 'Welcome, family' },
  });
});

afterAll(() => app.stop());

describe('resolution (docs/architecture.md §5) over HTTP', () => {
  it('serves the base entry without a context, reason default', async () => {
    const response = await read(article);
    expect(response.status).toBe(200);
    expect(response.body.data.title).toBe('Base EN');
    expect(response.body.meta.personalization).toEqual({
      persona: null,
      personaSource: null,
      stage: null,
      stageSource: null,
      variant: null,
      reason: 'default',
      segment: 'base',
      warnings: [],
    });
  });

  it.each([
    [
      'explicit persona',
      { persona: 'family' },
      'Family EN',
      { persona: 'family', personaSource: 'explicit', reason: 'persona' },
    ],
    [
      'persona by rule',
      { traits: { kind: 'family' } },
      'Family EN',
      { persona: 'family', personaSource: 'rule', reason: 'persona' },
    ],
    [
      'persona and stage',
      { persona: 'family', events: ['configurator_completed'] },
      'Family purchase EN',
      { stage: 'purchase', stageSource: 'rule', reason: 'persona+stage' },
    ],
    [
      'stage by rule',
      { events: ['configurator_completed'] },
      'Purchase EN',
      { persona: null, stage: 'purchase', reason: 'stage' },
    ],
    [
      'explicit stage',
      { stage: 'purchase' },
      'Purchase EN',
      { stage: 'purchase', stageSource: 'explicit', reason: 'stage' },
    ],
    [
      'the furthest matching stage',
      { visits: 3, events: ['configurator_completed'] },
      'Purchase EN',
      { stage: 'purchase' },
    ],
    ['a rule-only variant', { geo: { country: 'AT' } }, 'Austria EN', { reason: 'rule' }],
    [
      'a persona tie broken by name',
      { traits: { tie: true } },
      'Base EN',
      { persona: 'alpha', reason: 'persona' },
    ],
    [
      'a matched persona whose variant is a draft',
      { persona: 'fleet' },
      'Base EN',
      { persona: 'fleet', variant: null, reason: 'default' },
    ],
    [
      'no consent',
      { persona: 'family', consent: { personalization: false } },
      'Base EN',
      { persona: null, variant: null, reason: 'no-consent' },
    ],
  ])('%s', async (_name, context, title, expected) => {
    const response = await read(article, context);
    expect(response.status).toBe(200);
    expect(response.body.data.title).toBe(title);
    expect(response.body.meta.personalization).toMatchObject(expected);
  });

  it('keeps every attribute the variant does not override from the base (empty overrides too)', async () => {
    const response = await read(article, { traits: { tie: true } });
    expect(response.body.meta.personalization.variant).toEqual({
      documentId: variantIds.alpha,
      name: 'alpha',
    });
    expect(response.body.data).toMatchObject({
      title: 'Base EN',
      summary: 'Base summary',
      documentId: article,
    });
  });

  it('ignores an unknown explicit persona with a warning', async () => {
    const response = await read(article, { persona: 'ghost', traits: { kind: 'family' } });
    expect(response.status).toBe(200);
    expect(response.body.meta.personalization).toMatchObject({
      persona: 'family',
      personaSource: 'rule',
    });
    expect(response.body.meta.personalization.warnings).toEqual([expect.stringContaining('ghost')]);
  });

  it('lets priority beat specificity, then the earlier variant win', async () => {
    const both = await read(priorities, { persona: 'family', stage: 'purchase' });
    expect(both.body.data.title).toBe('stage');
    const fleet = await read(priorities, { persona: 'fleet' });
    expect(fleet.body.data.title).toBe('fleet first');
  });

  it('serves the variants of the requested locale only', async () => {
    const german = await read(article, { persona: 'family' }, '?locale=de');
    expect(german.body.data).toMatchObject({ title: 'Familie DE', locale: 'de' });
    const noGermanStageVariant = await read(article, { stage: 'purchase' }, '?locale=de');
    expect(noGermanStageVariant.body.data.title).toBe('Basis DE');
  });

  it('returns media overrides in the shape of a populated media field, only when populated', async () => {
    const populated = await read(article, { persona: 'family' }, '?populate=cover');
    expect(populated.body.data.cover).toMatchObject({
      id: familyPicture.id,
      url: familyPicture.url,
      mime: 'image/jpeg',
    });
    const base = await read(article, undefined, '?populate=cover');
    expect(Object.keys(populated.body.data.cover).sort()).toEqual(
      Object.keys(base.body.data.cover).sort()
    );
    const selected = await read(article, { persona: 'family' }, '?populate[cover][fields][0]=url');
    expect(selected.body.data.cover).toEqual({
      id: familyPicture.id,
      url: familyPicture.url,
      documentId: expect.any(String),
    });
    const notPopulated = await read(article, { persona: 'family' });
    expect(notPopulated.body.data).not.toHaveProperty('cover');
  });

  it('never returns a private field', async () => {
    for (const context of [undefined, { persona: 'family' }]) {
      const response = await read(article, context);
      expect(response.body.data).not.toHaveProperty('internalNotes');
      expect(JSON.stringify(response.body)).not.toContain('secret note');
    }
  });

  it('sends Vary and a segment that is the same for everyone who gets the same content', async () => {
    const [a, b, base1, base2] = await Promise.all([
      read(article, { persona: 'family' }),
      read(article, { traits: { kind: 'family' }, visits: 0 }),
      read(article, { persona: 'fleet' }),
      read(article),
    ]);
    expect(a.headers.vary).toMatch(/X-Personalize-Context/i);
    expect(a.headers['x-personalize-segment']).toBe(a.body.meta.personalization.segment);
    expect(a.body.meta.personalization.segment).toMatch(/^s[0-9a-f]{8}$/);
    expect(b.headers['x-personalize-segment']).toBe(a.headers['x-personalize-segment']);
    expect(base1.headers['x-personalize-segment']).toBe('base');
    expect(base2.headers['x-personalize-segment']).toBe('base');
  });

  it('takes the context from the `context` query parameter too', async () => {
    const response = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .query({ context: JSON.stringify({ persona: 'family' }) });
    expect(response.status).toBe(200);
    expect(response.body.data.title).toBe('Family EN');
  });
});

describe('delivery routes', () => {
  it('serves the single type', async () => {
    const response = await app
      .http()
      .get('/api/personalize/content/homepage')
      .set(contextHeader({ persona: 'family' }));
    expect(response.status).toBe(200);
    expect(response.body.data.headline).toBe('Welcome, family');
    expect(response.body.meta.personalization.reason).toBe('persona');
  });

  it('resolves every entry of a list, with core pagination and one decision per entry', async () => {
    const response = await app
      .http()
      .get('/api/personalize/content/articles')
      .query({
        'pagination[page]': 1,
        'pagination[pageSize]': 1,
        sort: 'title:asc',
        'filters[title][$eq]': 'Base EN',
      })
      .set(contextHeader({ persona: 'family' }));
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(1);
    expect(response.body.data[0].title).toBe('Family EN');
    expect(response.body.meta.pagination).toMatchObject({ page: 1, pageSize: 1, total: 1 });
    expect(response.body.meta.personalization).toEqual([
      expect.objectContaining({ reason: 'persona' }),
    ]);

    const all = await app
      .http()
      .get('/api/personalize/content/articles')
      .query({ sort: 'title:asc' })
      .set(contextHeader({ persona: 'family' }));
    expect(all.body.data.map((entry: { title: string }) => entry.title)).toEqual([
      'Family EN',
      'persona',
    ]);
    expect(all.body.meta.personalization).toHaveLength(2);
    expect(JSON.stringify(all.body)).not.toContain('leak');
  });

  it('answers 404 for an unpublished base entry, an unknown entry and an unknown type', async () => {
    expect((await read(draftOnly, { persona: 'family' })).status).toBe(404);
    const unknown = await read('nope-not-here', { persona: 'family' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    expect((await app.http().get('/api/personalize/content/spaceships/1')).status).toBe(404);
  });

  it.each([
    ['malformed JSON', '{"persona":', /not valid JSON/],
    ['a negative visit count', JSON.stringify({ visits: -1 }), /visits/],
    ['an unknown key', JSON.stringify({ favouriteColour: 'red' }), /favouriteColour/],
    ['a wrong type', JSON.stringify({ events: 'configurator_completed' }), /events/],
  ])('refuses %s with 400 naming the problem', async (_name, raw, message) => {
    const response = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .set('X-Personalize-Context', raw);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(response.body.error.message).toMatch(message);
  });

  it('refuses a caller without the find permission of the target type (403)', async () => {
    await setPublicPermission(app, `${ARTICLE}.findOne`, false);
    try {
      expect((await read(article, { persona: 'family' })).status).toBe(403);
      const decision = await app
        .http()
        .post('/api/personalize/decide')
        .send({ targetUid: ARTICLE, targetDocumentId: article, context: {} });
      expect(decision.status).toBe(403);
    } finally {
      await setPublicPermission(app, `${ARTICLE}.findOne`, true);
    }
    expect((await read(article, { persona: 'family' })).status).toBe(200);
  });
});

describe('callers', () => {
  it('answers 401 to a forged token and serves a read-only API token', async () => {
    const forged = await read(article, { persona: 'family' }).set('Authorization', 'Bearer forged');
    expect(forged.status).toBe(401);
    const token = await app.strapi
      .service('admin::api-token')
      .create({ name: 'storefront', type: 'read-only', lifespan: null, description: '' });
    const allowed = await read(article, { persona: 'family' }).set(
      'Authorization',
      `Bearer ${token.accessKey}`
    );
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.title).toBe('Family EN');
    const decided = await app
      .http()
      .post('/api/personalize/decide')
      .set('Authorization', `Bearer ${token.accessKey}`)
      .send({ targetUid: ARTICLE, targetDocumentId: article, context: { persona: 'family' } });
    expect(decided.body.data.reason).toBe('persona');
  });
});

describe('drop-in on core REST', () => {
  it('personalizes a core read that carries the header and leaves others alone', async () => {
    const personalized = await app
      .http()
      .get(`/api/articles/${article}`)
      .set(contextHeader({ persona: 'family' }));
    expect(personalized.status).toBe(200);
    expect(personalized.body.data.title).toBe('Family EN');
    expect(personalized.body.meta.personalization).toMatchObject({
      persona: 'family',
      reason: 'persona',
    });
    expect(personalized.headers['x-personalize-segment']).toMatch(/^s[0-9a-f]{8}$/);

    const plain = await app.http().get(`/api/articles/${article}`);
    expect(plain.body.data.title).toBe('Base EN');
    expect(plain.body.meta).toEqual({});
    expect(plain.headers).not.toHaveProperty('x-personalize-segment');
  });

  it('personalizes core lists and single types', async () => {
    const list = await app
      .http()
      .get('/api/articles')
      .query({ 'filters[title][$eq]': 'Base EN' })
      .set(contextHeader({ persona: 'family' }));
    expect(list.body.data[0].title).toBe('Family EN');
    expect(list.body.meta.pagination.total).toBe(1);
    // The list's segment is in the body as well as in the header.
    expect(list.body.meta.segment).toMatch(/^s[0-9a-f]{8}$/);
    expect(list.body.meta.segment).toBe(list.headers['x-personalize-segment']);
    const home = await app
      .http()
      .get('/api/homepage')
      .set(contextHeader({ persona: 'family' }));
    expect(home.body.data.headline).toBe('Welcome, family');
  });

  it('refuses a malformed header on a core read with 400', async () => {
    const response = await app
      .http()
      .get(`/api/articles/${article}`)
      .set('X-Personalize-Context', '[1,2');
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
  });
});

describe("a read's POST form (a context too large for a URL)", () => {
  const post = (path: string, body: unknown, query = '') =>
    app
      .http()
      .post(`/api/personalize/content/${path}${query}`)
      .send(body as object);

  it('answers what the GET form answers, headers included', async () => {
    const context = { persona: 'family' };
    const viaPost = await post(`articles/${article}`, { context }, '?locale=en');
    const viaGet = await read(article, context, '?locale=en');
    expect(viaPost.status).toBe(200);
    expect(viaPost.body).toEqual(viaGet.body);
    expect(viaPost.body.meta.personalization.variant.documentId).toBe(variantIds.family);
    for (const header of ['vary', 'cache-control', 'x-personalize-segment']) {
      expect({ header, value: viaPost.headers[header] }).toEqual({
        header,
        value: viaGet.headers[header],
      });
    }
    // A list and a single type too; no body is no context (the base content).
    const list = await post('articles', { context }, '?sort=documentId');
    expect(list.body.meta.personalization.length).toBe(list.body.data.length);
    const home = await post('homepage', { context });
    expect(home.body.meta.personalization.variant.name).toBe('home family');
    const base = await app.http().post('/api/personalize/content/homepage');
    expect(base.body.meta.personalization).toMatchObject({ reason: 'default', segment: 'base' });
  });

  it('refuses a context also in the query or a header, unknown body keys and invalid contexts', async () => {
    const inQuery = await post(
      'homepage',
      { context: { persona: 'family' } },
      `?context=${encodeURIComponent('{"persona":"fleet"}')}`
    );
    expect(inQuery.status).toBe(400);
    expect(inQuery.body.error.details.errors[0].path).toEqual(['context']);
    const inHeader = await app
      .http()
      .post('/api/personalize/content/homepage')
      .set(contextHeader({ persona: 'fleet' }))
      .send({ context: { persona: 'family' } });
    expect(inHeader.status).toBe(400);
    const unknownKey = await post('homepage', { contxt: { persona: 'family' } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.name).toBe('ValidationError');
    const invalid = await post('homepage', { context: { visits: -1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.errors[0].path).toEqual(['context', 'visits']);
    // 20 KB of valid traits: over the context's 16 KB, in a body as in a URL.
    const traits = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [`t${index}`, 'x'.repeat(1_000)])
    );
    const tooLarge = await post('homepage', { context: { traits } });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error.details.errors[0]).toMatchObject({ path: ['context'] });
    expect(tooLarge.body.error.message).toMatch(/16,?384/);
  });

  it('serves only what the GET form serves: no draft, no unknown type', async () => {
    expect((await post(`articles/${draftOnly}`, {})).status).toBe(404);
    expect((await post('articles', {}, '?status=draft')).status).toBe(400);
    const unknown = await post('homepages', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/^Unknown content type "homepages"/);
  });
});

describe('POST /api/personalize/decide', () => {
  it('returns the decision without content', async () => {
    const response = await app
      .http()
      .post('/api/personalize/decide')
      .send({
        targetUid: ARTICLE,
        targetDocumentId: article,
        locale: 'en',
        context: { persona: 'family' },
      });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      persona: 'family',
      stage: null,
      variant: { documentId: variantIds.family, name: 'family' },
      reason: 'persona',
      segment: expect.stringMatching(/^s[0-9a-f]{8}$/),
    });
    const viaContent = await read(article, { persona: 'family' });
    expect(response.body.data.segment).toBe(viaContent.body.meta.personalization.segment);
  });

  it('decides for a single type and refuses unknown targets and bad bodies', async () => {
    const home = await app
      .http()
      .post('/api/personalize/decide')
      .send({ targetUid: HOMEPAGE, context: { persona: 'family' } });
    expect(home.body.data.variant.name).toBe('home family');
    // A body's unknown type is invalid input at its field; an unpublished entry is not found.
    const unknownType = await app
      .http()
      .post('/api/personalize/decide')
      .send({ targetUid: 'api::nope.nope', targetDocumentId: 'x' });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error).toMatchObject({ name: 'ValidationError' });
    expect(unknownType.body.error.details.errors[0].path).toEqual(['targetUid']);
    expect(
      (
        await app
          .http()
          .post('/api/personalize/decide')
          .send({ targetUid: ARTICLE, targetDocumentId: draftOnly, context: {} })
      ).status
    ).toBe(404);
    const bad = await app
      .http()
      .post('/api/personalize/decide')
      .send({ targetUid: ARTICLE, targetDocumentId: article, context: { visits: 'many' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/visits/);
    expect(
      (await app.http().post('/api/personalize/decide').send({ targetUid: ARTICLE })).status
    ).toBe(400);
  });
});

describe('registry', () => {
  it('follows publish, unpublish and delete of variants at once', async () => {
    const variants = app.strapi.plugin('personalize').service('variants');
    const access = systemAccess(app);
    await variants.unpublish(access, variantIds.family);
    expect((await read(article, { persona: 'family' })).body.data.title).toBe('Base EN');
    await variants.publish(access, variantIds.family);
    expect((await read(article, { persona: 'family' })).body.data.title).toBe('Family EN');
    await variants.update(access, variantIds.family, { overrides: { title: 'Family EN, edited' } });
    expect((await read(article, { persona: 'family' })).body.data.title).toBe('Family EN');
    await variants.publish(access, variantIds.family);
    expect((await read(article, { persona: 'family' })).body.data.title).toBe('Family EN, edited');
  });

  it('serves base edits at once, even from the cache', async () => {
    await read(article, { persona: 'family' });
    await app.strapi.documents(ARTICLE).update({
      documentId: article,
      locale: 'en',
      data: articleData({ summary: 'Edited summary' }),
    });
    await app.strapi.documents(ARTICLE).publish({ documentId: article, locale: 'en' });
    expect((await read(article, { persona: 'family' })).body.data.summary).toBe('Edited summary');
  });

  it('deletes the variants of a deleted base entry', async () => {
    const doomed = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Doomed' } }))
      .documentId;
    await createVariant(app, {
      targetUid: ARTICLE,
      targetDocumentId: doomed,
      locale: 'en',
      name: 'doomed',
      persona: 'family',
      overrides: { title: 'x' },
    });
    const count = () =>
      app.strapi.db
        .query('plugin::personalize.variant')
        .count({ where: { targetDocumentId: doomed } });
    expect(await count()).toBe(2);
    await app.strapi.documents(ARTICLE).delete({ documentId: doomed, locale: '*' });
    expect(await count()).toBe(0);
  });
});
