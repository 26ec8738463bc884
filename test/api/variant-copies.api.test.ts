import { createAdmin, createRole, loginAdmin, PLUGIN_ACTIONS, pluginApi } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { createPersona, createStage, uploadPicture } from '../helpers/personalize';

// POST /personalize/variants/:documentId/duplicate: a draft copy of a variant on the same entry,
// in its locale or another locale of the entry, decided with the Content Manager's permissions
// of the original's entry (read) and of the copy's (update, each overridden field).

const ARTICLE = 'api::article.article';

let app: Playground;
let token: string;
let article: string;
let cover: { id: number };
/** An English variant with a persona, a stage, a rule, a priority and three overrides. */
let original: Record<string, unknown> & { documentId: string };

const as = (jwt: string) => pluginApi(app, jwt);
const api = () => as(token);

const duplicate = (jwt: string, documentId: string, body: object = {}) =>
  as(jwt).post(`/variants/${documentId}/duplicate`, body);

/** The targeting a copy keeps. */
const targeting = (variant: Record<string, unknown>) => ({
  targetUid: variant.targetUid,
  targetDocumentId: variant.targetDocumentId,
  persona: variant.persona,
  stage: variant.stage,
  rule: variant.rule,
  priority: variant.priority,
});

beforeAll(async () => {
  app = await startPlayground();
  token = await loginAdmin(app);
  article = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Range' } }))
    .documentId;
  // The German version, as the Content Manager adds a locale.
  const german = await app
    .http()
    .put(`/content-manager/collection-types/${ARTICLE}/${article}?locale=de`)
    .set('Authorization', `Bearer ${token}`)
    .send({ title: 'Reichweite' });
  expect(german.status).toBe(200);
  await createPersona(app, { name: 'Family', slug: 'family' });
  await createStage(app, { name: 'Consideration', slug: 'consideration', order: 1 });
  cover = await uploadPicture(app, 'safety');
  const created = await api().post('/variants', {
    name: 'Family range',
    targetUid: ARTICLE,
    targetDocumentId: article,
    locale: 'en',
    persona: 'family',
    stage: 'consideration',
    rule: { '>=': [{ var: 'visits' }, 2] },
    priority: 7,
    overrides: { title: 'Range for families', summary: 'Seven seats', cover: cover.id },
  });
  expect(created.status).toBe(201);
  original = created.body.data;
  expect((await api().post(`/variants/${original.documentId}/publish`)).status).toBe(200);
});

afterAll(() => app.stop());

describe('POST /personalize/variants/:documentId/duplicate', () => {
  it('copies a variant on the same entry and locale as a draft, under the name given', async () => {
    const response = await duplicate(token, original.documentId, { name: 'Family range (copy)' });
    expect(response.status).toBe(201);
    const copy = response.body.data;
    expect(copy.documentId).not.toBe(original.documentId);
    expect(copy).toMatchObject({
      ...targeting(original),
      name: 'Family range (copy)',
      locale: 'en',
      status: 'draft',
      overrides: original.overrides,
    });
    expect(response.body.meta).toEqual({ leftOut: [] });
    const stored = await api().get(`/variants/${original.documentId}`);
    expect(stored.body.data).toMatchObject({ name: 'Family range', status: 'published' });
  });

  it("copies a variant to another locale of the entry, under the original's name", async () => {
    const response = await duplicate(token, original.documentId, { locale: 'de' });
    expect(response.status).toBe(201);
    const copy = response.body.data;
    expect(copy).toMatchObject({
      ...targeting(original),
      name: 'Family range',
      locale: 'de',
      status: 'draft',
      // Texts as they are (to be translated), the same picture.
      overrides: { title: 'Range for families', summary: 'Seven seats', cover: cover.id },
      drift: false,
    });
    const german = await api().get(
      `/variants?targetUid=${ARTICLE}&targetDocumentId=${article}&locale=de`
    );
    expect(german.body.data.map((variant: { documentId: string }) => variant.documentId)).toEqual([
      copy.documentId,
    ]);
  });

  it('leaves out an override its target refuses now, and says which and why', async () => {
    const picture = await uploadPicture(app, 'fleet');
    const variant = await api().post('/variants', {
      name: 'Fleet picture',
      targetUid: ARTICLE,
      targetDocumentId: article,
      locale: 'en',
      overrides: { title: 'Fleet', cover: picture.id },
    });
    expect(variant.status).toBe(201);
    await app.strapi.db.query('plugin::upload.file').delete({ where: { id: picture.id } });
    const response = await duplicate(token, variant.body.data.documentId, { locale: 'de' });
    expect(response.status).toBe(201);
    expect(response.body.data.overrides).toEqual({ title: 'Fleet' });
    expect(response.body.meta.leftOut).toEqual([
      {
        attribute: 'cover',
        message: expect.stringContaining(`no file with id ${picture.id}`),
        messageId: 'override.noFile',
        values: { name: 'cover', ids: expect.anything() },
      },
    ]);
  });

  it('refuses a locale the entry does not exist in, an unknown locale and malformed bodies', async () => {
    const english = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Only EN' } }))
      .documentId;
    const variant = await api().post('/variants', {
      name: 'English only',
      targetUid: ARTICLE,
      targetDocumentId: english,
      locale: 'en',
      overrides: {},
    });
    const id = variant.body.data.documentId;
    const missing = await duplicate(token, id, { locale: 'de' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/does not exist in locale "de"/);
    const unknown = await duplicate(token, id, { locale: 'fr' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.errors[0].path).toEqual(['locale']);
    const blank = await duplicate(token, id, { name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.errors[0]).toMatchObject({
      path: ['name'],
      message: 'must not be empty',
    });
    expect((await duplicate(token, id, { targetUid: ARTICLE })).status).toBe(400);
    expect((await duplicate(token, 'nosuchvariant000000000000')).status).toBe(404);
  });
});

describe('who may copy a variant', () => {
  /** A Content Manager permission on articles in `locales` (every field). */
  const onArticles = (action: 'read' | 'update', locales: string[], fields?: string[]) => ({
    action: `plugin::content-manager.explorer.${action}`,
    subject: ARTICLE,
    properties: { fields: fields ?? ['title', 'slug', 'summary', 'body', 'cover'], locales },
  });

  const adminWith = async (email: string, permissions: Parameters<typeof createRole>[3]) =>
    (
      await createAdmin(app, token, {
        email,
        roles: [await createRole(app, token, email, permissions)],
      })
    ).token;

  it('needs update in the locale of the copy: a role without German copies only in English', async () => {
    const englishOnly = await adminWith('english@example.com', [
      onArticles('read', ['en']),
      onArticles('update', ['en']),
      ...PLUGIN_ACTIONS,
    ]);
    const refused = await duplicate(englishOnly, original.documentId, { locale: 'de' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/locale "de"/);
    expect((await duplicate(englishOnly, original.documentId)).status).toBe(201);
  });

  it("needs read on the original's entry, and the plugin's manage action", async () => {
    const germanOnly = await adminWith('german@example.com', [
      onArticles('read', ['de']),
      onArticles('update', ['de']),
      ...PLUGIN_ACTIONS,
    ]);
    expect((await duplicate(germanOnly, original.documentId, { locale: 'de' })).status).toBe(403);
    const readOnly = await adminWith('reader@example.com', [
      onArticles('read', ['en', 'de']),
      onArticles('update', ['en', 'de']),
      { action: 'plugin::personalize.read' },
    ]);
    expect((await duplicate(readOnly, original.documentId, { locale: 'de' })).status).toBe(403);
  });

  it('copies only the overrides the role reads, and refuses one it may read but not update', async () => {
    const titleOnly = await adminWith('title@example.com', [
      onArticles('read', ['en', 'de'], ['title']),
      onArticles('update', ['en', 'de'], ['title']),
      ...PLUGIN_ACTIONS,
    ]);
    const copy = await duplicate(titleOnly, original.documentId, { locale: 'de' });
    expect(copy.status).toBe(201);
    expect(copy.body.data.overrides).toEqual({ title: 'Range for families' });

    const readsSummary = await adminWith('summary@example.com', [
      onArticles('read', ['en', 'de'], ['title', 'summary']),
      onArticles('update', ['en', 'de'], ['title']),
      ...PLUGIN_ACTIONS,
    ]);
    const refused = await duplicate(readsSummary, original.documentId, { locale: 'de' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/"summary"/);
  });
});
