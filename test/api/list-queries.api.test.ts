import qs from 'qs';

import { createAdmin, createRole, loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { createPersona, createStage, createVariant, experimentBody } from '../helpers/personalize';

// The admin lists' search, filters and sort (`_q`, `filters[$and]`, `sort`, as Strapi's list
// views write them), validated by the contracts' list query (400 on anything else), and the
// variant counts the Content Manager's list view shows per entry.

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';

let app: Playground;
let token: string;
let alpha: string;
let beta: string;

const get = (path: string, query: object = {}, jwt = token) =>
  app
    .http()
    .get(`/personalize${path}?${qs.stringify(query, { encodeValuesOnly: true })}`)
    .set('Authorization', `Bearer ${jwt}`);

/** The names of a list's page, in order, after a 200. */
const names = async (path: string, query: object) => {
  const response = await get(path, query);
  expect(response.status).toBe(200);
  return (response.body.data as { name: string }[]).map((item) => item.name);
};

/** One condition of Strapi's `filters[$and]`. */
const where = (...conditions: Record<string, Record<string, string>>[]) => ({
  filters: { $and: conditions },
});

const sorted = (items: string[]) => [...items].sort((a, b) => a.localeCompare(b));

beforeAll(async () => {
  app = await startPlayground();
  token = await loginAdmin(app);
  alpha = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Alpha' } })).documentId;
  const german = await app
    .http()
    .put(`/content-manager/collection-types/${ARTICLE}/${alpha}?locale=de`)
    .set('Authorization', `Bearer ${token}`)
    .send({ title: 'Alpha DE' });
  expect(german.status).toBe(200);
  beta = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Beta' } })).documentId;
  await createEntry(app, HOMEPAGE, { locale: 'en', data: { headline: 'Welcome' } });
  await createPersona(app, { name: 'Family', slug: 'family' });
  await createPersona(app, { name: 'Fleet manager', slug: 'fleet' });
  await createStage(app, { name: 'Awareness', slug: 'awareness', order: 1 });
  await createStage(app, { name: 'Purchase', slug: 'purchase', order: 2 });

  const on = (targetDocumentId: string, locale = 'en') => ({
    targetUid: ARTICLE,
    targetDocumentId,
    locale,
  });
  await createVariant(app, {
    ...on(alpha),
    name: 'Family offer',
    persona: 'family',
    overrides: { title: 'For families' },
  });
  const fleet = await createVariant(app, {
    ...on(alpha),
    name: 'Fleet deal',
    persona: 'fleet',
    stage: 'purchase',
    priority: 5,
    overrides: { title: 'For fleets' },
  });
  await createVariant(
    app,
    { ...on(beta), name: 'Anyone ready to buy', stage: 'purchase', priority: 10, overrides: {} },
    { publish: false }
  );
  await createVariant(app, {
    ...on(alpha, 'de'),
    name: 'Familie',
    persona: 'family',
    overrides: { title: 'Für Familien' },
  });
  await createVariant(app, {
    targetUid: HOMEPAGE,
    locale: 'en',
    name: 'Homepage awareness',
    stage: 'awareness',
    overrides: { headline: 'Hello' },
  });
  // Saved after publishing: modified.
  const changed = await app
    .http()
    .put(`/personalize/variants/${fleet.documentId}`)
    .set('Authorization', `Bearer ${token}`)
    .send({ priority: 6 });
  expect(changed.status).toBe(200);
  expect(changed.body.data.status).toBe('modified');
});

afterAll(() => app.stop());

describe('GET /personalize/variants: search, filters, sort', () => {
  it('searches names, case-insensitively', async () => {
    expect(sorted(await names('/variants', { _q: 'fam' }))).toEqual(['Familie', 'Family offer']);
    expect(await names('/variants', { _q: 'FAMILY' })).toEqual(['Family offer']);
    expect(await names('/variants', { _q: 'nothing like it' })).toEqual([]);
  });

  it('filters by content type, persona, stage and status, each "is" or "is not"', async () => {
    const all = ['Anyone ready to buy', 'Familie', 'Family offer', 'Fleet deal'];
    expect(sorted(await names('/variants', where({ targetUid: { $eq: ARTICLE } })))).toEqual(all);
    expect(await names('/variants', where({ targetUid: { $ne: ARTICLE } }))).toEqual([
      'Homepage awareness',
    ]);
    expect(sorted(await names('/variants', where({ persona: { $eq: 'family' } })))).toEqual([
      'Familie',
      'Family offer',
    ]);
    // "is not" keeps the variants for every persona (none set).
    expect(sorted(await names('/variants', where({ persona: { $ne: 'family' } })))).toEqual([
      'Anyone ready to buy',
      'Fleet deal',
      'Homepage awareness',
    ]);
    expect(sorted(await names('/variants', where({ stage: { $eq: 'purchase' } })))).toEqual([
      'Anyone ready to buy',
      'Fleet deal',
    ]);
    expect(await names('/variants', where({ status: { $eq: 'draft' } }))).toEqual([
      'Anyone ready to buy',
    ]);
    expect(await names('/variants', where({ status: { $eq: 'modified' } }))).toEqual([
      'Fleet deal',
    ]);
    expect(sorted(await names('/variants', where({ status: { $eq: 'published' } })))).toEqual([
      'Familie',
      'Family offer',
      'Homepage awareness',
    ]);
    expect(sorted(await names('/variants', where({ status: { $ne: 'published' } })))).toEqual([
      'Anyone ready to buy',
      'Fleet deal',
    ]);
  });

  it('combines the search and every condition', async () => {
    expect(
      await names('/variants', {
        _q: 'offer',
        ...where({ persona: { $eq: 'family' } }, { targetUid: { $eq: ARTICLE } }),
      })
    ).toEqual(['Family offer']);
    expect(
      await names('/variants', {
        locale: 'de',
        ...where({ persona: { $eq: 'family' } }),
      })
    ).toEqual(['Familie']);
  });

  it('sorts by a column, ascending or descending, and pages the sorted list', async () => {
    const ascending = [
      'Anyone ready to buy',
      'Familie',
      'Family offer',
      'Fleet deal',
      'Homepage awareness',
    ];
    expect(await names('/variants', { sort: 'name:ASC' })).toEqual(ascending);
    expect(await names('/variants', { sort: 'name:DESC' })).toEqual([...ascending].reverse());
    expect((await names('/variants', { sort: 'priority:DESC' })).slice(0, 2)).toEqual([
      'Anyone ready to buy',
      'Fleet deal',
    ]);
    // By the persona's name: Family before Fleet manager (where the database puts "none" varies).
    const byPersona = await names('/variants', {
      sort: 'persona:ASC',
      ...where({ persona: { $ne: 'nobody' } }),
    });
    // Family's two variants in the list's own order (priority, then creation).
    expect(byPersona.filter((name) => !/Anyone|Homepage/.test(name))).toEqual([
      'Family offer',
      'Familie',
      'Fleet deal',
    ]);
    const page = await get('/variants', { sort: 'name:ASC', page: 2, pageSize: 2 });
    expect(page.body.data.map((item: { name: string }) => item.name)).toEqual([
      'Family offer',
      'Fleet deal',
    ]);
    expect(page.body.meta.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 3, total: 5 });
  });

  it.each([
    ['an unknown sort field', { sort: 'createdBy:ASC' }, 'sort'],
    ['a sort without a direction', { sort: 'name' }, 'sort'],
    ['a filter on an unknown field', where({ bogus: { $eq: 'x' } }), 'filters'],
    ['an operator other than $eq/$ne', where({ persona: { $gt: 'x' } }), 'filters'],
    ['an unknown status', where({ status: { $eq: 'archived' } }), 'filters'],
    ['filters outside $and', { filters: { persona: { $eq: 'x' } } }, 'filters'],
    ['a search of 121 characters', { _q: 'x'.repeat(121) }, '_q'],
  ])('answers 400 for %s', async (_label, query, parameter) => {
    const response = await get('/variants', query);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(response.body.error.details.errors[0].path[0]).toBe(parameter);
  });
});

describe('GET /personalize/experiments: search, filters, sort', () => {
  beforeAll(async () => {
    const create = async (body: object) => {
      const response = await app
        .http()
        .post('/personalize/experiments')
        .set('Authorization', `Bearer ${token}`)
        .send(body);
      expect(response.status).toBe(201);
      return response.body.data.documentId as string;
    };
    const running = await create(
      experimentBody(alpha, null, { name: 'Hero image test', trafficAllocation: 0.5 })
    );
    await create(experimentBody(alpha, null, { name: 'CTA wording', trafficAllocation: 0.2 }));
    await create(experimentBody(beta, null, { name: 'Beta CTA', trafficAllocation: 1 }));
    const started = await app
      .http()
      .post(`/personalize/experiments/${running}/start`)
      .set('Authorization', `Bearer ${token}`);
    expect(started.status).toBe(200);
  });

  it('searches names and filters by status and content type', async () => {
    expect(sorted(await names('/experiments', { _q: 'cta' }))).toEqual(['Beta CTA', 'CTA wording']);
    expect(await names('/experiments', where({ status: { $eq: 'running' } }))).toEqual([
      'Hero image test',
    ]);
    expect(sorted(await names('/experiments', where({ status: { $ne: 'running' } })))).toEqual([
      'Beta CTA',
      'CTA wording',
    ]);
    expect(await names('/experiments', where({ targetUid: { $ne: ARTICLE } }))).toEqual([]);
  });

  it('sorts by name and by traffic', async () => {
    expect(await names('/experiments', { sort: 'name:ASC' })).toEqual([
      'Beta CTA',
      'CTA wording',
      'Hero image test',
    ]);
    expect(await names('/experiments', { sort: 'traffic:DESC' })).toEqual([
      'Beta CTA',
      'Hero image test',
      'CTA wording',
    ]);
  });

  it.each([
    ['an unknown status', where({ status: { $eq: 'archived' } })],
    ['a filter on a field experiments do not have', where({ persona: { $eq: 'family' } })],
    ['an unknown sort field', { sort: 'visitors:DESC' }],
  ])('answers 400 for %s', async (_label, query) => {
    const response = await get('/experiments', query);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
  });
});

describe('GET /personalize/variants/counts', () => {
  const counts = (query: object, jwt = token) => get('/variants/counts', query, jwt);

  it("counts each entry's variants in the locale, the default one when none is given", async () => {
    const documentIds = [alpha, beta];
    const english = await counts({ targetUid: ARTICLE, locale: 'en', documentIds });
    expect(english.status).toBe(200);
    expect(english.body.data).toEqual({ [alpha]: 2, [beta]: 1 });
    expect((await counts({ targetUid: ARTICLE, documentIds })).body.data).toEqual({
      [alpha]: 2,
      [beta]: 1,
    });
    expect((await counts({ targetUid: ARTICLE, locale: 'de', documentIds })).body.data).toEqual({
      [alpha]: 1,
    });
  });

  it('counts only entries the role may read in the Content Manager', async () => {
    const role = await createRole(app, token, 'German articles', [
      { action: 'plugin::personalize.read' },
      {
        action: 'plugin::content-manager.explorer.read',
        subject: ARTICLE,
        properties: { fields: ['title'], locales: ['de'] },
      },
    ]);
    const german = await createAdmin(app, token, { email: 'german@example.com', roles: [role] });
    const documentIds = [alpha, beta];
    const english = await counts({ targetUid: ARTICLE, locale: 'en', documentIds }, german.token);
    expect(english.status).toBe(200);
    expect(english.body.data).toEqual({});
    const deutsch = await counts({ targetUid: ARTICLE, locale: 'de', documentIds }, german.token);
    expect(deutsch.body.data).toEqual({ [alpha]: 1 });
  });

  it.each([
    ['no entries', { targetUid: ARTICLE }],
    ['more than 100 entries', { targetUid: ARTICLE, documentIds: Array(101).fill(alpha) }],
    ['an unknown content type', { targetUid: 'api::nothing.nothing', documentIds: [alpha] }],
    ['an unknown parameter', { targetUid: ARTICLE, documentIds: [alpha], pageSize: 10 }],
  ])('answers 400 for %s', async (_label, query) => {
    expect((await counts(query)).status).toBe(400);
  });
});
