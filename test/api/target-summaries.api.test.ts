import {
  experimentListSchema,
  targetSummarySchema,
  variantListSchema,
} from '../../server/src/contracts';
import {
  createAdmin,
  createRole,
  grantPermissions,
  loginAdmin,
  PLUGIN_ACTIONS,
  pluginApi,
  type PluginApi,
  type RolePermission,
} from '../helpers/admin';
import { createEntry, updateEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { createPersona, experimentBody } from '../helpers/personalize';

// The admin names a variant's or an experiment's entry as the Content Manager does: by its
// content type's display name and the field its configuration shows as the title (mainField),
// never by uid and documentId; and only what the role may read in the Content Manager.

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';

let app: Playground;
let article: string;

const as = (token: string) => pluginApi(app, token);
let superAdmin: PluginApi;
/** Reads every article, but not its title. */
let noTitle: PluginApi;
/** The built-in Author: reads only the articles it created. */
let author: PluginApi;

const readArticles = (fields: string[], conditions: string[] = []): RolePermission => ({
  action: 'plugin::content-manager.explorer.read',
  subject: ARTICLE,
  properties: { fields, locales: ['en', 'de'] },
  conditions,
});

beforeAll(async () => {
  app = await startPlayground();
  const token = await loginAdmin(app);
  superAdmin = as(token);
  article = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Summer sale' } }))
    .documentId;
  await updateEntry(app, ARTICLE, article, {
    locale: 'de',
    data: { title: 'Sommerschlussverkauf' },
  });
  await createEntry(app, HOMEPAGE, { locale: 'en', data: { headline: 'Welcome' } });
  await createPersona(app, { name: 'Families with kids', slug: 'family' });

  const { post } = superAdmin;
  for (const [locale, persona] of [
    ['en', 'family'],
    ['de', null],
  ] as const) {
    const created = await post('/variants', {
      name: `Sale ${locale}`,
      targetUid: ARTICLE,
      targetDocumentId: article,
      locale,
      persona,
      overrides: { summary: locale },
    });
    expect(created.status).toBe(201);
  }
  expect(
    (
      await post('/variants', {
        name: 'Homepage hello',
        targetUid: HOMEPAGE,
        locale: 'en',
        overrides: { subline: 'Hello' },
      })
    ).status
  ).toBe(201);
  // Every locale: named after the default locale's version.
  expect(
    (await post('/experiments', experimentBody(article, null, { name: 'A/A', locale: null })))
      .status
  ).toBe(201);

  const role = await createRole(app, token, 'Articles without titles', [
    readArticles(['slug', 'summary']),
    ...PLUGIN_ACTIONS,
  ]);
  noTitle = as(
    (await createAdmin(app, token, { email: 'notitle@example.com', roles: [role] })).token
  );
  await grantPermissions(app, token, 'strapi-author', PLUGIN_ACTIONS);
  author = as(
    (await createAdmin(app, token, { email: 'author@example.com', roles: ['strapi-author'] })).token
  );
});

afterAll(() => app.stop());

describe('target summaries', () => {
  it('variant lists name the entry, in the variant’s locale, and the persona and stage by name', async () => {
    const response = await superAdmin.get('/variants');
    expect(response.status).toBe(200);
    const { data } = variantListSchema.parse(response.body);
    const byName = new Map(data.map((variant) => [variant.name, variant]));
    expect(byName.get('Sale en')).toMatchObject({
      target: { contentType: 'Article', title: 'Summer sale' },
      persona: 'family',
      personaName: 'Families with kids',
      stageName: null,
    });
    expect(byName.get('Sale de')?.target).toEqual({
      contentType: 'Article',
      title: 'Sommerschlussverkauf',
    });
    expect(byName.get('Homepage hello')?.target).toEqual({
      contentType: 'Homepage',
      title: 'Welcome',
    });
  });

  it('experiment lists name the entry; an experiment in every locale by the default locale', async () => {
    const response = await superAdmin.get('/experiments');
    expect(response.status).toBe(200);
    const { data } = experimentListSchema.parse(response.body);
    expect(data.find((experiment) => experiment.name === 'A/A')?.target).toEqual({
      contentType: 'Article',
      title: 'Summer sale',
    });
  });

  it('a role that may not read the title field sees the type only', async () => {
    const variants = variantListSchema.parse((await noTitle.get('/variants')).body).data;
    expect(variants.map((variant) => variant.name).sort()).toEqual(['Sale de', 'Sale en']);
    for (const variant of variants) {
      expect(variant.target).toEqual({ contentType: 'Article', title: null });
    }
    const experiments = experimentListSchema.parse((await noTitle.get('/experiments')).body).data;
    expect(experiments[0].target).toEqual({ contentType: 'Article', title: null });
  });

  it('GET /target-summary: one entry, as the lists name it, within the role’s permissions', async () => {
    const query = { targetUid: ARTICLE, targetDocumentId: article, locale: 'de' };
    const response = await superAdmin.get('/target-summary', query);
    expect(response.status).toBe(200);
    expect(targetSummarySchema.parse(response.body.data)).toEqual({
      contentType: 'Article',
      title: 'Sommerschlussverkauf',
    });
    expect((await superAdmin.get('/target-summary', { targetUid: HOMEPAGE })).body.data).toEqual({
      contentType: 'Homepage',
      title: 'Welcome',
    });
    expect((await noTitle.get('/target-summary', query)).body.data).toEqual({
      contentType: 'Article',
      title: null,
    });
    // The Author reads only its own articles: another's is named by its type alone.
    expect((await author.get('/target-summary', query)).body.data).toEqual({
      contentType: 'Article',
      title: null,
    });
    // A type the role may not read at all, and a type that is none of the app's.
    expect((await noTitle.get('/target-summary', { targetUid: HOMEPAGE })).status).toBe(403);
    const unknown = await superAdmin.get('/target-summary', { targetUid: 'api::nothing.nothing' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.errors[0].path).toEqual(['targetUid']);
  });
});
