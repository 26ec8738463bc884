import { classificationUsageSchema } from '../../server/src/contracts';
import { createAdmin, createRole, loginAdmin, PLUGIN_ACTIONS, pluginApi } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { createPersona, createStage, experimentBody } from '../helpers/personalize';

// Where a persona or journey stage is used (`GET /personalize/{personas,stages}/:id/usage`):
// the variants that target it and their experiments, as far as the admin's Content Manager
// permissions let them read the entries; the rest is counted. Roles are made through the admin API.

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';

let app: Playground;
let token: string;
let aurora: string;
let family: string;
let ready: string;
let unused: string;
/** documentIds of the variants and experiments below, by name. */
const ids: Record<string, string> = {};

const as = (jwt: string) => pluginApi(app, jwt);
const api = () => as(token);

/** A variant made through the admin API, published unless told not to. */
const variant = async (body: Record<string, unknown>, { publish = true } = {}) => {
  const created = await api().post('/variants', { overrides: {}, ...body });
  expect(created.status).toBe(201);
  const { documentId } = created.body.data;
  if (publish) expect((await api().post(`/variants/${documentId}/publish`)).status).toBe(200);
  ids[body.name as string] = documentId;
  return documentId as string;
};

const experiment = async (name: string, body: Record<string, unknown>) => {
  const created = await api().post('/experiments', { ...body, name });
  expect(created.status).toBe(201);
  ids[name] = created.body.data.documentId;
};

/** The usage as `admin` reads it, checked against its contract. */
const usage = async (admin: ReturnType<typeof as>, path: string) => {
  const response = await admin.get(`${path}/usage`);
  expect(response.status).toBe(200);
  return classificationUsageSchema.parse(response.body.data);
};

beforeAll(async () => {
  app = await startPlayground();
  token = await loginAdmin(app);
  family = (await createPersona(app, { name: 'Family', slug: 'family' })).documentId as string;
  unused = (await createPersona(app, { name: 'Unused', slug: 'unused' })).documentId as string;
  ready = (await createStage(app, { name: 'Ready', slug: 'ready', order: 1 })).documentId as string;
  aurora = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Aurora EV range' } }))
    .documentId;
  // Its German version, as the Content Manager's locale switch creates it.
  const articles = app.strapi.documents(ARTICLE);
  await articles.update({
    documentId: aurora,
    locale: 'de',
    data: { title: 'Aurora Reichweite' },
  } as Parameters<typeof articles.update>[0]);
  await createEntry(app, HOMEPAGE, { locale: 'en', data: { headline: 'Drive electric' } });

  const onAurora = { targetUid: ARTICLE, targetDocumentId: aurora, locale: 'en' };
  await variant({ ...onAurora, name: 'Aurora: family', persona: 'family', stage: 'ready' });
  // Saved after publishing: modified.
  expect((await api().put(`/variants/${ids['Aurora: family']}`, { priority: 5 })).status).toBe(200);
  await variant(
    { ...onAurora, locale: 'de', name: 'Aurora: Familie', persona: 'family' },
    { publish: false }
  );
  // Its draft no longer targets the persona, its published version still does.
  await variant({ ...onAurora, name: 'Aurora: was family', persona: 'family' });
  expect(
    (await api().put(`/variants/${ids['Aurora: was family']}`, { persona: null })).status
  ).toBe(200);
  await variant({ ...onAurora, name: 'Aurora: everyone' });
  await variant({ targetUid: HOMEPAGE, locale: 'en', name: 'Homepage: family', persona: 'family' });

  await experiment('Aurora test', experimentBody(aurora, ids['Aurora: family']));
  await experiment('Aurora other test', experimentBody(aurora, ids['Aurora: everyone']));
  await experiment('Homepage test', {
    ...experimentBody(aurora, ids['Homepage: family']),
    targetUid: HOMEPAGE,
    targetDocumentId: null,
  });
});

afterAll(() => app.stop());

describe('GET /personalize/personas/:documentId/usage', () => {
  it("lists the variants that target the persona, draft or published, with their entry's type and title, and their experiments", async () => {
    const found = await usage(api(), `/personas/${family}`);
    expect(found.variants).toEqual([
      {
        documentId: ids['Aurora: Familie'],
        name: 'Aurora: Familie',
        locale: 'de',
        status: 'draft',
        targetUid: ARTICLE,
        targetDocumentId: aurora,
        target: { contentType: 'Article', title: 'Aurora Reichweite' },
      },
      {
        documentId: ids['Aurora: family'],
        name: 'Aurora: family',
        locale: 'en',
        status: 'modified',
        targetUid: ARTICLE,
        targetDocumentId: aurora,
        target: { contentType: 'Article', title: 'Aurora EV range' },
      },
      expect.objectContaining({ name: 'Aurora: was family', status: 'modified' }),
      {
        documentId: ids['Homepage: family'],
        name: 'Homepage: family',
        locale: 'en',
        status: 'published',
        targetUid: HOMEPAGE,
        targetDocumentId: null,
        target: { contentType: 'Homepage', title: 'Drive electric' },
      },
    ]);
    expect(found.experiments).toEqual([
      { documentId: ids['Aurora test'], name: 'Aurora test', status: 'draft' },
      { documentId: ids['Homepage test'], name: 'Homepage test', status: 'draft' },
    ]);
    expect(found.hidden).toEqual({ variants: 0, experiments: 0 });
  });

  it('is empty for an unused persona and 404 for an unknown one', async () => {
    expect(await usage(api(), `/personas/${unused}`)).toEqual({
      variants: [],
      experiments: [],
      hidden: { variants: 0, experiments: 0 },
    });
    expect((await api().get('/personas/nosuchpersona0000000000/usage')).status).toBe(404);
  });

  it('still refuses to delete a persona that variants use', async () => {
    const refused = await api().delete(`/personas/${family}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/is used by 6 variant version\(s\)/);
    expect((await api().delete(`/personas/${unused}`)).status).toBe(200);
  });
});

describe('GET /personalize/stages/:documentId/usage', () => {
  it('lists the variants that target the stage and their experiments', async () => {
    const found = await usage(api(), `/stages/${ready}`);
    expect(found.variants.map((item) => item.name)).toEqual(['Aurora: family']);
    expect(found.experiments.map((item) => item.name)).toEqual(['Aurora test']);
  });
});

describe('what the role may read', () => {
  it('shows only variants and experiments of entries the role may read, counts the others, and titles only with the title field', async () => {
    const readsEnglishSlugs = await createRole(app, token, 'English article slugs', [
      { action: 'plugin::personalize.read' },
      {
        action: 'plugin::content-manager.explorer.read',
        subject: ARTICLE,
        properties: { fields: ['slug'], locales: ['en'] },
      },
    ]);
    const reader = as(
      (
        await createAdmin(app, token, {
          roles: [readsEnglishSlugs],
          email: 'usage-reader@example.com',
        })
      ).token
    );
    const found = await usage(reader, `/personas/${family}`);
    expect(found.variants).toEqual([
      expect.objectContaining({
        name: 'Aurora: family',
        target: { contentType: 'Article', title: null },
      }),
      expect.objectContaining({ name: 'Aurora: was family' }),
    ]);
    expect(found.experiments.map((item) => item.name)).toEqual(['Aurora test']);
    expect(found.hidden).toEqual({ variants: 2, experiments: 1 });

    const pluginOnly = await createRole(app, token, 'Plugin only', PLUGIN_ACTIONS);
    const outsider = as(
      (await createAdmin(app, token, { roles: [pluginOnly], email: 'usage-plugin@example.com' }))
        .token
    );
    expect(await usage(outsider, `/personas/${family}`)).toEqual({
      variants: [],
      experiments: [],
      hidden: { variants: 4, experiments: 2 },
    });
    // Without the plugin's read action, the route refuses.
    const none = await createRole(app, token, 'Nothing', []);
    const stranger = as(
      (await createAdmin(app, token, { roles: [none], email: 'usage-none@example.com' })).token
    );
    expect((await stranger.get(`/personas/${family}/usage`)).status).toBe(403);
  });
});
