import {
  createAdmin,
  createRole,
  grantPermissions,
  loginAdmin,
  PLUGIN_ACTIONS,
  type RolePermission,
} from '../helpers/admin';
import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, createPersona, experimentBody } from '../helpers/personalize';

// The plugin's admin routes decide with the Content Manager's own permission checker: its
// conditions ("is creator"), field lists and locales apply to every read and write of a target
// entry, exactly as in the Content Manager. Roles and users are made through the admin API.

const ARTICLE = 'api::article.article';
const CM = `/content-manager/collection-types/${ARTICLE}`;

let app: Playground;
let superToken: string;

/** An admin API client for one admin. */
const as = (token: string) => {
  const send = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object) =>
    app.http()[method](path).set('Authorization', `Bearer ${token}`).send(body);
  return {
    get: (path: string) => send('get', path),
    post: (path: string, body?: object) => send('post', path, body),
    put: (path: string, body: object) => send('put', path, body),
    delete: (path: string) => send('delete', path),
  };
};
type Admin = ReturnType<typeof as>;

/** A Content Manager permission on articles, as the Roles settings page writes it. */
const onArticles = (
  action: 'read' | 'create' | 'update' | 'delete' | 'publish',
  {
    fields = ['title', 'slug', 'summary', 'body', 'cover', 'ctaLabel', 'ctaUrl', 'internalNotes'],
    locales = ['en', 'de'],
    conditions = [] as string[],
  } = {}
): RolePermission => ({
  action: `plugin::content-manager.explorer.${action}`,
  subject: ARTICLE,
  properties: action === 'publish' || action === 'delete' ? { locales } : { fields, locales },
  conditions,
});

/** Creates an article through the Content Manager as `admin` (who becomes its creator), in en and de. */
const createArticle = async (admin: Admin, title: string, { publish = false } = {}) => {
  const created = await admin.post(`${CM}?locale=en`, { title, summary: `${title} summary` });
  expect(created.status).toBe(201);
  const documentId = created.body.data.documentId as string;
  const german = await admin.put(`${CM}/${documentId}?locale=de`, {
    title: `${title} DE`,
    summary: `${title} Zusammenfassung`,
  });
  expect(german.status).toBe(200);
  if (publish) {
    for (const locale of ['en', 'de']) {
      expect(
        (await admin.post(`${CM}/${documentId}/actions/publish?locale=${locale}`)).status
      ).toBe(200);
    }
  }
  return documentId;
};

const variantBody = (article: string, extra: Record<string, unknown> = {}) => ({
  name: 'Family',
  targetUid: ARTICLE,
  targetDocumentId: article,
  locale: 'en',
  persona: 'family',
  overrides: { title: 'Family title' },
  ...extra,
});

let superAdmin: Admin;
/** Built-in Author with the plugin's actions: read, create, update, delete only what it created. */
let author: Admin;
/** Author-like: read, create, update and publish articles it created, plus the plugin's actions. */
let publisher: Admin & { id: number };
/** Built-in Editor with the plugin's actions: every article (read, create, update, delete). */
let editor: Admin;
/** Reads, updates and publishes only the field `title` of articles. */
let titleOnly: Admin;
/** Reads, updates and publishes articles only in locale `de`. */
let germanOnly: Admin;
/** The plugin's actions and no Content Manager permission at all. */
let pluginOnly: Admin;

/** An article the super admin created: nobody but editors may touch it. */
let others: string;
/** A variant of `others` overriding title and summary. */
let othersVariant: string;

beforeAll(async () => {
  app = await startPlayground();
  superToken = await loginAdmin(app);
  superAdmin = as(superToken);
  await createPersona(app, { name: 'Family', slug: 'family' });

  await grantPermissions(app, superToken, 'strapi-author', PLUGIN_ACTIONS);
  await grantPermissions(app, superToken, 'strapi-editor', PLUGIN_ACTIONS);
  const creator = ['admin::is-creator'];
  const roles = {
    publisher: await createRole(app, superToken, 'Author-like publisher', [
      ...(['read', 'create', 'update', 'publish'] as const).map((action) =>
        onArticles(action, { conditions: creator })
      ),
      ...PLUGIN_ACTIONS,
    ]),
    titleOnly: await createRole(app, superToken, 'Title only', [
      ...(['read', 'update', 'publish'] as const).map((action) =>
        onArticles(action, { fields: ['title'] })
      ),
      ...PLUGIN_ACTIONS,
    ]),
    germanOnly: await createRole(app, superToken, 'German only', [
      ...(['read', 'update', 'publish'] as const).map((action) =>
        onArticles(action, { locales: ['de'] })
      ),
      ...PLUGIN_ACTIONS,
    ]),
    pluginOnly: await createRole(app, superToken, 'Plugin only', PLUGIN_ACTIONS),
  };
  const user = (email: string, role: number | 'strapi-author' | 'strapi-editor') =>
    createAdmin(app, superToken, { email, roles: [role] });
  author = as((await user('author@example.com', 'strapi-author')).token);
  const publisherUser = await user('publisher@example.com', roles.publisher);
  publisher = { ...as(publisherUser.token), id: publisherUser.id };
  editor = as((await user('editor@example.com', 'strapi-editor')).token);
  titleOnly = as((await user('title@example.com', roles.titleOnly)).token);
  germanOnly = as((await user('german@example.com', roles.germanOnly)).token);
  pluginOnly = as((await user('plugin@example.com', roles.pluginOnly)).token);

  others = await createArticle(superAdmin, 'Others', { publish: true });
  const variant = await superAdmin.post(
    '/personalize/variants',
    variantBody(others, { overrides: { title: 'Family title', summary: 'Family summary' } })
  );
  expect(variant.status).toBe(201);
  othersVariant = variant.body.data.documentId;
  expect((await superAdmin.post(`/personalize/variants/${othersVariant}/publish`)).status).toBe(
    200
  );
});

afterAll(() => app.stop());

const preview = (admin: Admin, article: string, locale = 'en') =>
  admin.post('/personalize/preview', {
    targetUid: ARTICLE,
    targetDocumentId: article,
    locale,
    status: 'draft',
    context: { persona: 'family' },
  });

describe('reading a target entry', () => {
  it('preview: 403 where the Content Manager refuses ("is creator"), 200 on an own draft', async () => {
    expect((await author.get(`${CM}/${others}?locale=en`)).status).toBe(403);
    const refused = await preview(author, others);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Content Manager/);
    // The same words by id and values, for the admin to say them in the editor's language.
    expect(refused.body.error.details).toEqual({
      messageId: 'access.entryInLocale',
      values: { action: 'read', entry: `${ARTICLE} ${others}`, locale: 'en' },
    });
    expect(refused.body.data).toBeNull();

    const own = await createArticle(author, 'Author draft');
    const allowed = await preview(author, own);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.title).toBe('Author draft');
  });

  it('preview: fields the role may not read are left out, also when a variant overrides them', async () => {
    const cm = await titleOnly.get(`${CM}/${others}?locale=en`);
    expect(cm.status).toBe(200);
    expect(cm.body.data.summary).toBeUndefined();

    const response = await preview(titleOnly, others);
    expect(response.status).toBe(200);
    expect(response.body.data.title).toBe('Family title');
    expect(response.body.data).not.toHaveProperty('summary');
    expect(response.body.meta.personalization.variant.documentId).toBe(othersVariant);
    // Nor does the list of what the variant overrides name them.
    expect(response.body.meta.overridden).toEqual(['title']);
    // The editor sees everything.
    const full = await preview(editor, others);
    expect(full.body.data.summary).toBe('Family summary');
    expect(full.body.meta.overridden.sort()).toEqual(['summary', 'title']);
  });

  it('preview: a role limited to one locale reads only that locale', async () => {
    expect((await germanOnly.get(`${CM}/${others}?locale=en`)).status).toBe(403);
    expect((await preview(germanOnly, others, 'en')).status).toBe(403);
    const german = await preview(germanOnly, others, 'de');
    expect(german.status).toBe(200);
    expect(german.body.data.title).toBe('Others DE');
  });

  it('variants: lists and reads only variants of entries the role may read, with readable fields', async () => {
    const own = await createArticle(author, 'Author list');
    const ownVariant = await author.post('/personalize/variants', variantBody(own));
    expect(ownVariant.status).toBe(201);

    const listed = await author.get(`/personalize/variants?targetUid=${ARTICLE}`);
    expect(listed.status).toBe(200);
    const ids = listed.body.data.map((variant: { documentId: string }) => variant.documentId);
    expect(ids).toContain(ownVariant.body.data.documentId);
    expect(ids).not.toContain(othersVariant);
    expect(listed.body.meta.pagination.total).toBe(ids.length);
    expect((await author.get(`/personalize/variants/${othersVariant}`)).status).toBe(403);
    expect(
      (await author.get(`/personalize/variants/${ownVariant.body.data.documentId}`)).status
    ).toBe(200);

    const limited = await titleOnly.get(`/personalize/variants/${othersVariant}`);
    expect(limited.status).toBe(200);
    expect(limited.body.data.overrides).toEqual({ title: 'Family title' });
    const limitedList = await titleOnly.get(
      `/personalize/variants?targetUid=${ARTICLE}&targetDocumentId=${others}`
    );
    expect(limitedList.body.data[0].overrides).toEqual({ title: 'Family title' });

    expect(
      (await germanOnly.get(`/personalize/variants?targetUid=${ARTICLE}&locale=en`)).body.data
    ).toEqual([]);
  });

  it('settings: only types and attributes the role may read; overridable only what it may update', async () => {
    const none = await pluginOnly.get('/personalize/settings');
    expect(none.status).toBe(200);
    expect(none.body.data.contentTypes).toEqual([]);

    const limited = await titleOnly.get('/personalize/settings');
    const types = limited.body.data.contentTypes as {
      uid: string;
      attributes: { name: string; overridable: boolean }[];
    }[];
    expect(types.map((type) => type.uid)).toEqual([ARTICLE]);
    expect(types[0].attributes.map((attribute) => attribute.name)).toEqual(['title']);
    expect(types[0].attributes[0].overridable).toBe(true);

    // Switching types through the settings leaves the types the role cannot see as they were.
    const homepage = 'api::homepage.homepage';
    expect((await titleOnly.put('/personalize/settings', { enabledContentTypes: [] })).status).toBe(
      200
    );
    const all = (await superAdmin.get('/personalize/settings')).body.data.contentTypes as {
      uid: string;
      enabled: boolean;
    }[];
    expect(all.find((type) => type.uid === homepage)?.enabled).toBe(true);
    expect(all.find((type) => type.uid === ARTICLE)?.enabled).toBe(false);
    await superAdmin.put('/personalize/settings', { enabledContentTypes: [ARTICLE, homepage] });
    // Switching a type changes what visitors get of every entry: publish is needed for it.
    const switched = await author.put('/personalize/settings', { enabledContentTypes: [homepage] });
    expect(switched.status).toBe(403);
    expect(switched.body.error.message).toMatch(/publish/);
    // So does the holdout, on every type with variants; keeping it as it is needs nothing.
    const holdout = await author.put('/personalize/settings', { holdout: { share: 0.1 } });
    expect(holdout.status).toBe(403);
    expect(holdout.body.error.message).toMatch(/^Changing the holdout .* may not publish/);
    expect((await superAdmin.get('/personalize/settings')).body.data.holdout.share).toBe(0);
    const unchanged = await author.put('/personalize/settings', { holdout: { share: 0 } });
    expect(unchanged.status).toBe(200);
  });
});

describe('writing variants', () => {
  it("create: an Author-like role cannot put a variant on another user's article", async () => {
    const attack = await publisher.post(
      '/personalize/variants',
      variantBody(others, { name: 'Hijack', overrides: { title: 'Hijacked' }, priority: 9999 })
    );
    expect(attack.status).toBe(403);
    expect(attack.body.error.message).toMatch(/Content Manager/);
    // Visitors still get the real title.
    const delivered = await app
      .http()
      .get(`/api/personalize/content/articles/${others}`)
      .set(contextHeader({}));
    expect(delivered.body.data.title).toBe('Others');

    const own = await createArticle(publisher, 'Publisher own', { publish: true });
    const created = await publisher.post('/personalize/variants', variantBody(own));
    expect(created.status).toBe(201);
    expect(
      (await publisher.post(`/personalize/variants/${created.body.data.documentId}/publish`)).status
    ).toBe(200);
    const personalized = await app
      .http()
      .get(`/api/personalize/content/articles/${own}`)
      .set(contextHeader({ persona: 'family' }));
    expect(personalized.body.data.title).toBe('Family title');
  });

  it('create: only fields the role may update, only in locales it may update', async () => {
    const summary = await titleOnly.post(
      '/personalize/variants',
      variantBody(others, { name: 'Summary', overrides: { summary: 'Not mine' } })
    );
    expect(summary.status).toBe(403);
    expect(summary.body.error.message).toMatch(/"summary"/);
    const title = await titleOnly.post(
      '/personalize/variants',
      variantBody(others, { name: 'Title', overrides: { title: 'Mine' } })
    );
    expect(title.status).toBe(201);

    expect(
      (await germanOnly.post('/personalize/variants', variantBody(others, { name: 'EN' }))).status
    ).toBe(403);
    expect(
      (
        await germanOnly.post(
          '/personalize/variants',
          variantBody(others, { name: 'DE', locale: 'de', overrides: { title: 'Familie' } })
        )
      ).status
    ).toBe(201);
  });

  it("update: refused on another user's entry; fields the role may not update keep their value", async () => {
    expect(
      (await author.put(`/personalize/variants/${othersVariant}`, { priority: 5 })).status
    ).toBe(403);

    const changed = await titleOnly.put(`/personalize/variants/${othersVariant}`, {
      overrides: { title: 'Family title, edited', summary: 'Changed' },
    });
    expect(changed.status).toBe(403);
    expect(changed.body.error.message).toMatch(/"summary"/);

    // The title-only editor does not see the summary override and sends only the title.
    const saved = await titleOnly.put(`/personalize/variants/${othersVariant}`, {
      overrides: { title: 'Family title, edited' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data.overrides).toEqual({ title: 'Family title, edited' });
    const stored = await superAdmin.get(`/personalize/variants/${othersVariant}`);
    expect(stored.body.data.overrides).toEqual({
      title: 'Family title, edited',
      summary: 'Family summary',
    });
  });

  it('delete: needs update on the entry and on every field the variant overrides', async () => {
    expect((await author.delete(`/personalize/variants/${othersVariant}`)).status).toBe(403);
    expect((await titleOnly.delete(`/personalize/variants/${othersVariant}`)).status).toBe(403);
    const own = await createArticle(author, 'Author delete');
    const variant = await author.post('/personalize/variants', variantBody(own));
    expect(
      (await author.delete(`/personalize/variants/${variant.body.data.documentId}`)).status
    ).toBe(200);
  });

  it('publish and unpublish: need publish on the entry', async () => {
    expect((await publisher.post(`/personalize/variants/${othersVariant}/unpublish`)).status).toBe(
      403
    );
    // The built-in Author may not publish, not even its own entries.
    const own = await createArticle(author, 'Author publish');
    const variant = await author.post('/personalize/variants', variantBody(own));
    const id = variant.body.data.documentId;
    expect((await author.post(`/personalize/variants/${id}/publish`)).status).toBe(403);
    // The built-in Editor has no publish permission either (Strapi creates it without).
    expect((await editor.post(`/personalize/variants/${id}/publish`)).status).toBe(403);
    expect((await superAdmin.post(`/personalize/variants/${id}/publish`)).status).toBe(200);
    expect((await author.post(`/personalize/variants/${id}/unpublish`)).status).toBe(403);
    expect((await superAdmin.post(`/personalize/variants/${id}/unpublish`)).status).toBe(200);
  });
});

describe('experiments', () => {
  /** A published variant of `article` and an experiment between it and the entry, by `admin`. */
  const experimentOn = async (admin: Admin, article: string, overrides: object) => {
    const variant = await admin.post('/personalize/variants', variantBody(article, { overrides }));
    expect(variant.status).toBe(201);
    const offer = variant.body.data.documentId as string;
    expect((await superAdmin.post(`/personalize/variants/${offer}/publish`)).status).toBe(200);
    const created = await admin.post(
      '/personalize/experiments',
      experimentBody(article, offer, { name: `Test ${offer}` })
    );
    expect(created.status).toBe(201);
    return { offer, experiment: created.body.data.documentId as string };
  };

  let othersExperiment: string;

  beforeAll(async () => {
    const other = await createArticle(superAdmin, 'Others experiment', { publish: true });
    othersExperiment = (await experimentOn(superAdmin, other, { title: 'Offer' })).experiment;
  });

  it("create: needs update on the entry; the plugin's action alone is not enough", async () => {
    const body = experimentBody(others, othersVariant, { name: 'Rigged' });
    expect((await publisher.post('/personalize/experiments', body)).status).toBe(403);
    expect((await pluginOnly.post('/personalize/experiments', body)).status).toBe(403);
    expect((await editor.post('/personalize/experiments', body)).status).toBe(201);
  });

  it("reads and lifecycle of an experiment on another user's entry are refused", async () => {
    const listed = await publisher.get('/personalize/experiments');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((item: { documentId: string }) => item.documentId)).not.toContain(
      othersExperiment
    );
    expect((await editor.get('/personalize/experiments')).body.data.length).toBeGreaterThan(0);
    const id = othersExperiment;
    expect((await publisher.get(`/personalize/experiments/${id}`)).status).toBe(403);
    expect((await publisher.get(`/personalize/experiments/${id}/results`)).status).toBe(403);
    expect((await publisher.put(`/personalize/experiments/${id}`, { name: 'Mine' })).status).toBe(
      403
    );
    expect((await publisher.post(`/personalize/experiments/${id}/start`)).status).toBe(403);
    expect((await superAdmin.post(`/personalize/experiments/${id}/start`)).status).toBe(200);
    expect((await publisher.post(`/personalize/experiments/${id}/pause`)).status).toBe(403);
    expect(
      (await publisher.post(`/personalize/experiments/${id}/complete`, { winner: 'offer' })).status
    ).toBe(403);
    expect(
      (await superAdmin.post(`/personalize/experiments/${id}/complete`, { winner: 'offer' })).status
    ).toBe(200);
    expect((await publisher.post(`/personalize/experiments/${id}/promote`)).status).toBe(403);
    expect((await publisher.delete(`/personalize/experiments/${id}`)).status).toBe(403);
  });

  it('on an own entry: start needs update, a winner needs publish, promote records the admin', async () => {
    const own = await createArticle(publisher, 'Publisher experiment', { publish: true });
    const { experiment } = await experimentOn(publisher, own, { title: 'Promoted title' });
    expect((await publisher.get(`/personalize/experiments/${experiment}/results`)).status).toBe(
      200
    );
    expect((await publisher.get(`/personalize/experiments/${experiment}`)).status).toBe(200);
    expect(
      (await publisher.put(`/personalize/experiments/${experiment}`, { name: 'Renamed' })).status
    ).toBe(200);
    expect((await publisher.post(`/personalize/experiments/${experiment}/start`)).status).toBe(200);
    expect((await publisher.post(`/personalize/experiments/${experiment}/pause`)).status).toBe(200);
    expect(
      (await publisher.get('/personalize/experiments')).body.data.map(
        (item: { documentId: string }) => item.documentId
      )
    ).toContain(experiment);
    expect(
      (await publisher.post(`/personalize/experiments/${experiment}/complete`, { winner: 'offer' }))
        .status
    ).toBe(200);
    const promoted = await publisher.post(`/personalize/experiments/${experiment}/promote`);
    expect(promoted.status).toBe(200);
    const entry = await app.strapi
      .documents(ARTICLE)
      .findOne({ documentId: own, locale: 'en', populate: ['updatedBy'] } as never);
    expect(entry).toMatchObject({ title: 'Promoted title' });
    expect((entry as unknown as { updatedBy: { id: number } }).updatedBy.id).toBe(publisher.id);
    expect((await publisher.delete(`/personalize/experiments/${experiment}`)).status).toBe(200);

    // The built-in Author may run an experiment on its own entry, but not declare a winner.
    const authors = await createArticle(author, 'Author experiment', { publish: false });
    await superAdmin.post(`${CM}/${authors}/actions/publish?locale=en`);
    const run = await experimentOn(author, authors, { title: 'Author offer' });
    expect((await author.post(`/personalize/experiments/${run.experiment}/start`)).status).toBe(
      200
    );
    expect(
      (
        await author.post(`/personalize/experiments/${run.experiment}/complete`, {
          winner: 'offer',
        })
      ).status
    ).toBe(403);
    expect(
      (await author.post(`/personalize/experiments/${run.experiment}/complete`, { winner: null }))
        .status
    ).toBe(200);
  });

  it('promote: refused when the winner overrides a field the role may not update', async () => {
    const article = await createArticle(superAdmin, 'Summary winner', { publish: true });
    const { experiment } = await experimentOn(superAdmin, article, { summary: 'Better summary' });
    await superAdmin.post(`/personalize/experiments/${experiment}/start`);
    await superAdmin.post(`/personalize/experiments/${experiment}/complete`, { winner: 'offer' });
    const refused = await titleOnly.post(`/personalize/experiments/${experiment}/promote`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/"summary"/);
    expect((await editor.post(`/personalize/experiments/${experiment}/promote`)).status).toBe(200);
  });

  it('promote: copies what the experiment served (the published variant), not a later draft', async () => {
    const article = await createArticle(superAdmin, 'Served', { publish: true });
    const { offer, experiment } = await experimentOn(superAdmin, article, {
      title: 'Served title',
    });
    expect((await superAdmin.post(`/personalize/experiments/${experiment}/start`)).status).toBe(
      200
    );
    const edited = await superAdmin.put(`/personalize/variants/${offer}`, {
      overrides: { title: 'Untested edit' },
    });
    expect(edited.body.data.status).toBe('modified');
    await superAdmin.post(`/personalize/experiments/${experiment}/complete`, { winner: 'offer' });
    const promoted = await superAdmin.post(`/personalize/experiments/${experiment}/promote`);
    expect(promoted.status).toBe(200);
    expect((await superAdmin.get(`${CM}/${article}?locale=en`)).body.data.title).toBe(
      'Served title'
    );
  });
});
