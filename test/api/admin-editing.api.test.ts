import {
  createAdmin,
  createRole,
  grantPermissions,
  loginAdmin,
  PLUGIN_ACTIONS,
  pluginApi,
} from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, createPersona, createStage } from '../helpers/personalize';

// What the admin UI of issue 4 relies on beyond plain CRUD: settings, stage order, drift,
// unreachable variants and the Content Manager permissions of the target type.

const ARTICLE = 'api::article.article';

let app: Playground;
let token: string;
let article: string;

const as = (jwt: string) => pluginApi(app, jwt);
const api = () => as(token);

beforeAll(async () => {
  app = await startPlayground();
  token = await loginAdmin(app);
  article = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Base' } })).documentId;
  await createPersona(app, { name: 'Family', slug: 'family' });
});

afterAll(() => app.stop());

describe('/personalize/settings', () => {
  it('lists every api:: type, enabled by default, with its overridable attributes', async () => {
    const response = await api().get('/settings');
    expect(response.status).toBe(200);
    const types = response.body.data.contentTypes;
    expect(types.map((type: { uid: string }) => type.uid).sort()).toEqual([
      'api::article.article',
      'api::homepage.homepage',
    ]);
    const articleType = types.find((type: { uid: string }) => type.uid === ARTICLE);
    expect(articleType).toMatchObject({ kind: 'collectionType', localized: true, enabled: true });
    const attribute = (name: string) =>
      articleType.attributes.find((item: { name: string }) => item.name === name);
    expect(attribute('title')).toEqual({
      name: 'title',
      type: 'string',
      overridable: true,
      reason: null,
      required: true,
    });
    expect(attribute('cover')).toMatchObject({ type: 'media', multiple: false });
    // Why not, in words the admin translates (messageId and values).
    expect(attribute('internalNotes')).toMatchObject({
      overridable: false,
      reason: {
        message: 'attribute "internalNotes" cannot be overridden: it is private',
        messageId: 'override.private',
        values: { name: 'internalNotes' },
      },
    });
    expect(attribute('slug')).toMatchObject({
      overridable: false,
      reason: { messageId: 'override.type', values: { name: 'slug', type: 'uid' } },
    });
  });

  it('switches a type off: no new variants, and the delivery serves the plain entry', async () => {
    const created = await api().post('/variants', {
      name: 'Family',
      targetUid: ARTICLE,
      targetDocumentId: article,
      persona: 'family',
      overrides: { title: 'For families' },
    });
    expect(created.status).toBe(201);
    await api().post(`/variants/${created.body.data.documentId}/publish`);
    const read = () =>
      app
        .http()
        .get(`/api/personalize/content/articles/${article}`)
        .set(contextHeader({ persona: 'family' }));
    expect((await read()).body.data.title).toBe('For families');

    const off = await api().put('/settings', { enabledContentTypes: ['api::homepage.homepage'] });
    expect(off.status).toBe(200);
    expect(
      off.body.data.contentTypes.find((type: { uid: string }) => type.uid === ARTICLE).enabled
    ).toBe(false);
    expect((await read()).body.data.title).toBe('Base');
    const refused = await api().post('/variants', {
      name: 'Another',
      targetUid: ARTICLE,
      targetDocumentId: article,
      overrides: {},
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['targetUid']);

    const on = await api().put('/settings', {
      enabledContentTypes: [ARTICLE, 'api::homepage.homepage'],
    });
    expect(on.status).toBe(200);
    expect((await read()).body.data.title).toBe('For families');
  });

  it('refuses unknown types and malformed bodies with 400', async () => {
    const unknown = await api().put('/settings', { enabledContentTypes: ['plugin::upload.file'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/plugin::upload\.file/);
    expect((await api().put('/settings', { enabledContentTypes: 'all' })).status).toBe(400);
  });
});

describe('PUT /personalize/stages/order', () => {
  it('renumbers the stages in the order given and refuses an incomplete list', async () => {
    const first = await createStage(app, { name: 'Awareness', order: 1 });
    const second = await createStage(app, { name: 'Purchase intent', order: 2 });
    const third = await createStage(app, { name: 'Customer', order: 3 });
    const ids = [third, first, second].map((stage) => stage.documentId as string);
    const response = await api().put('/stages/order', { documentIds: ids });
    expect(response.status).toBe(200);
    expect(
      response.body.data.map((stage: { slug: string; order: number }) => [stage.slug, stage.order])
    ).toEqual([
      ['customer', 1],
      ['awareness', 2],
      ['purchase-intent', 3],
    ]);
    expect((await api().put('/stages/order', { documentIds: ids.slice(1) })).status).toBe(400);
    expect(
      (await api().put('/stages/order', { documentIds: [ids[0], ids[0], ids[1]] })).status
    ).toBe(400);
  });
});

describe('variant drift and unreachable variants', () => {
  it('flags drift when the base entry is saved after the variant, and a variant that can never win', async () => {
    const entry = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Drift' } }))
      .documentId;
    const create = async (body: object) =>
      (
        await api().post('/variants', {
          targetUid: ARTICLE,
          targetDocumentId: entry,
          overrides: {},
          ...body,
        })
      ).body.data;
    const everyone = await create({ name: 'Everyone', priority: 5 });
    const family = await create({ name: 'Family', persona: 'family' });
    const list = async () =>
      (await api().get(`/variants?targetUid=${ARTICLE}&targetDocumentId=${entry}&locale=en`)).body
        .data as { name: string; drift: boolean; shadowedBy: { name: string } | null }[];

    expect(
      (await list()).map(({ name, drift, shadowedBy }) => [name, drift, shadowedBy?.name ?? null])
    ).toEqual([
      ['Everyone', false, null],
      ['Family', false, 'Everyone'],
    ]);

    // The base changes after the variants were saved: both drift; saving overrides clears it.
    await new Promise((resolve) => setTimeout(resolve, 10));
    await app.strapi
      .documents(ARTICLE)
      .update({ documentId: entry, locale: 'en', data: { title: 'Drift, edited' } } as never);
    expect((await list()).map((variant) => variant.drift)).toEqual([true, true]);
    const saved = await api().put(`/variants/${family.documentId}`, { overrides: {}, priority: 6 });
    expect(saved.body.data).toMatchObject({ drift: false, shadowedBy: null });
    expect((await api().get(`/variants/${everyone.documentId}`)).body.data.drift).toBe(true);
  });
});

describe('Content Manager permissions of the target type', () => {
  it('hides and refuses variants of types the admin may not read or update', async () => {
    const role = await createRole(app, token, 'Personalizer', PLUGIN_ACTIONS.slice(0, 2));
    const personalizer = as(
      (await createAdmin(app, token, { roles: [role], email: 'personalizer@example.com' })).token
    );

    const list = await personalizer.get(`/variants?targetUid=${ARTICLE}`);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    const anyVariant = (
      await api().post('/variants', {
        name: 'Hidden',
        targetUid: ARTICLE,
        targetDocumentId: article,
        overrides: {},
      })
    ).body.data;
    expect((await personalizer.get(`/variants/${anyVariant.documentId}`)).status).toBe(403);
    const created = await personalizer.post('/variants', {
      name: 'X',
      targetUid: ARTICLE,
      targetDocumentId: article,
      overrides: {},
    });
    expect(created.status).toBe(403);
    expect(created.body.error.message).toMatch(/Content Manager/);
    expect(
      (
        await personalizer.post('/preview', {
          targetUid: ARTICLE,
          targetDocumentId: article,
          context: {},
        })
      ).status
    ).toBe(403);
    // Personas are the plugin's own: its actions suffice.
    expect((await personalizer.post('/personas', { name: 'Commuter' })).status).toBe(201);

    // An editor (Content Manager rights on every type) with the plugin's read action sees them.
    await grantPermissions(app, token, 'strapi-editor', [{ action: 'plugin::personalize.read' }]);
    const editor = as(
      (await createAdmin(app, token, { roles: ['strapi-editor'], email: 'ed@example.com' })).token
    );
    expect((await editor.get(`/variants?targetUid=${ARTICLE}`)).body.data.length).toBeGreaterThan(
      0
    );
  });
});
