import { createAdmin, loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { usesPostgres } from '../helpers/database';
import { startPlayground, type Playground } from '../helpers/playground';

let app: Playground;
let token: string;

beforeAll(async () => {
  app = await startPlayground();
  token = await loginAdmin(app);
});

afterAll(async () => {
  await app?.stop();
});

interface Schema {
  kind: string;
  options?: { draftAndPublish?: boolean };
  pluginOptions?: Record<string, unknown>;
  attributes: Record<string, { type: string } & Record<string, unknown>>;
}

/** A content type as the running Strapi registered it in `strapi.contentTypes`. */
const schemaOf = (uid: string) => {
  const schema = (app.strapi.contentTypes as unknown as Record<string, Schema | undefined>)[uid];
  if (!schema) {
    throw new Error(`${uid} is not in strapi.contentTypes`);
  }
  return schema;
};

/** `name: type` of each attribute of a content type. */
const attributeTypes = (uid: string) =>
  Object.fromEntries(
    Object.entries(schemaOf(uid).attributes).map(([name, { type }]) => [name, type])
  );

const relationTarget = (uid: string, attribute: string) => schemaOf(uid).attributes[attribute];

describe('the plugin', () => {
  it('runs on the database the suite was asked for (DATABASE_CLIENT)', () => {
    expect(app.strapi.db.dialect.client).toBe(usesPostgres() ? 'postgres' : 'sqlite');
  });

  it('is loaded by the playground from the built dist/ of this repository', () => {
    const plugin = app.strapi.plugin('personalize');
    expect(plugin).toBeDefined();
    expect(plugin.service('catalog')).toBeDefined();
  });

  it('registers its admin RBAC actions', () => {
    const actions = app.strapi.service('admin::permission').actionProvider;
    expect(actions.get('plugin::personalize.read')).toMatchObject({ pluginName: 'personalize' });
    expect(actions.get('plugin::personalize.manage')).toMatchObject({ pluginName: 'personalize' });
  });
});

describe('plugin content types (DESIGN.md section 3)', () => {
  const hidden = {
    'content-manager': { visible: false },
    'content-type-builder': { visible: false },
  };

  it('persona', () => {
    const schema = schemaOf('plugin::personalize.persona');
    expect(schema.options?.draftAndPublish).toBe(false);
    expect(schema.pluginOptions).toMatchObject(hidden);
    expect(attributeTypes('plugin::personalize.persona')).toMatchObject({
      name: 'string',
      slug: 'uid',
      description: 'text',
      rule: 'json',
      priority: 'integer',
      sampleContext: 'json',
    });
    expect(schema.attributes.slug).toMatchObject({ targetField: 'name', required: true });
    expect(schema.attributes.priority).toMatchObject({ default: 0 });
  });

  it('journey-stage', () => {
    const schema = schemaOf('plugin::personalize.journey-stage');
    expect(schema.options?.draftAndPublish).toBe(false);
    expect(schema.pluginOptions).toMatchObject(hidden);
    expect(attributeTypes('plugin::personalize.journey-stage')).toMatchObject({
      name: 'string',
      slug: 'uid',
      description: 'text',
      order: 'integer',
      rule: 'json',
      sampleContext: 'json',
    });
    expect(schema.attributes.order).toMatchObject({ required: true });
  });

  it('variant: draft & publish, one row per target locale', () => {
    const uid = 'plugin::personalize.variant';
    const schema = schemaOf(uid);
    expect(schema.options?.draftAndPublish).toBe(true);
    expect(schema.pluginOptions).toMatchObject({ ...hidden, i18n: { localized: true } });
    expect(attributeTypes(uid)).toMatchObject({
      name: 'string',
      targetUid: 'string',
      targetDocumentId: 'string',
      locale: 'string',
      persona: 'relation',
      stage: 'relation',
      rule: 'json',
      priority: 'integer',
      overrides: 'json',
      baseUpdatedAt: 'datetime',
    });
    expect(relationTarget(uid, 'persona')).toMatchObject({
      relation: 'manyToOne',
      target: 'plugin::personalize.persona',
    });
    expect(relationTarget(uid, 'stage')).toMatchObject({
      relation: 'manyToOne',
      target: 'plugin::personalize.journey-stage',
    });
    expect(schema.attributes.overrides).toMatchObject({ required: true });
  });

  it('experiment', () => {
    const uid = 'plugin::personalize.experiment';
    const schema = schemaOf(uid);
    expect(schema.options?.draftAndPublish).toBe(false);
    expect(schema.pluginOptions).toMatchObject(hidden);
    expect(attributeTypes(uid)).toMatchObject({
      name: 'string',
      key: 'uid',
      targetUid: 'string',
      targetDocumentId: 'string',
      locale: 'string',
      status: 'enumeration',
      arms: 'json',
      trafficAllocation: 'decimal',
      audience: 'json',
      goal: 'string',
      seed: 'string',
      startedAt: 'datetime',
      endedAt: 'datetime',
      winner: 'string',
    });
    expect(schema.attributes.status).toMatchObject({
      enum: ['draft', 'running', 'paused', 'completed'],
      default: 'draft',
    });
    expect(schema.attributes.trafficAllocation).toMatchObject({ default: 1 });
    expect(schema.attributes.goal).toMatchObject({ required: true });
  });

  it('stores an experiment locale (null = every locale) on a type that is not localized', async () => {
    const experiments = app.strapi.documents('plugin::personalize.experiment' as never);
    const created = await experiments.create({
      data: {
        name: 'Tone test',
        key: 'tone-test',
        targetUid: 'api::homepage.homepage',
        locale: 'de',
        arms: [],
        goal: 'cta_click',
      },
    } as never);
    const found = await app.strapi.db
      .query('plugin::personalize.experiment')
      .findOne({ where: { documentId: (created as { documentId: string }).documentId } });
    expect(found).toMatchObject({ locale: 'de', status: 'draft', trafficAllocation: 1 });
    await experiments.delete({
      documentId: (created as { documentId: string }).documentId,
    } as never);
  });
});

/**
 * The database driver's error for a unique-key violation. Matched by message: better-sqlite3's
 * errors come from another realm than jest's, so `toThrow` does not recognize them as errors.
 */
const uniqueViolation = {
  message: expect.stringMatching(/UNIQUE constraint failed|duplicate key/),
};

describe('event storage', () => {
  const exposure = {
    experiment: 'exp-doc-1',
    arm: 'control',
    visitor_hash: 'a'.repeat(64),
    exposed_at: new Date(),
  };

  it('keeps one exposure per experiment and visitor, so a retried batch inserts nothing twice', async () => {
    const table = () => app.strapi.db.connection('personalize_exposures');
    await table().insert([exposure, { ...exposure, visitor_hash: 'b'.repeat(64) }]);
    await table()
      .insert({ ...exposure, arm: 'variant-a' })
      .onConflict(['experiment', 'visitor_hash'])
      .ignore();
    const rows = await table().where({ experiment: 'exp-doc-1' }).orderBy('visitor_hash');
    expect(rows.map((row) => [row.visitor_hash[0], row.arm])).toEqual([
      ['a', 'control'],
      ['b', 'control'],
    ]);
    await expect(table().insert(exposure)).rejects.toMatchObject(uniqueViolation);
  });

  it('keeps one conversion per experiment, goal and visitor', async () => {
    const table = () => app.strapi.db.connection('personalize_conversions');
    const conversion = {
      experiment: 'exp-doc-1',
      goal: 'cta_click',
      arm: 'control',
      visitor_hash: 'a'.repeat(64),
      converted_at: new Date(),
    };
    await table().insert([conversion, { ...conversion, goal: 'test_drive' }]);
    await expect(table().insert(conversion)).rejects.toMatchObject(uniqueViolation);
    const [{ n }] = await table().where({ experiment: 'exp-doc-1' }).count({ n: '*' });
    expect(Number(n)).toBe(2);
  });
});

describe('the playground app', () => {
  it('has the article collection type, localized, with draft & publish', () => {
    const schema = schemaOf('api::article.article');
    expect(schema.kind).toBe('collectionType');
    expect(schema.options?.draftAndPublish).toBe(true);
    expect(schema.pluginOptions).toMatchObject({ i18n: { localized: true } });
    expect(attributeTypes('api::article.article')).toMatchObject({
      title: 'string',
      slug: 'uid',
      summary: 'text',
      body: 'blocks',
      cover: 'media',
      ctaLabel: 'string',
      ctaUrl: 'string',
    });
    expect(schema.attributes.title).toMatchObject({ required: true });
    expect(schema.attributes.slug).toMatchObject({ targetField: 'title' });
    expect(schema.attributes.cover).toMatchObject({ multiple: false, allowedTypes: ['images'] });
  });

  it('has the homepage single type, localized, with draft & publish', () => {
    const schema = schemaOf('api::homepage.homepage');
    expect(schema.kind).toBe('singleType');
    expect(schema.options?.draftAndPublish).toBe(true);
    expect(schema.pluginOptions).toMatchObject({ i18n: { localized: true } });
    expect(attributeTypes('api::homepage.homepage')).toMatchObject({
      headline: 'string',
      subline: 'text',
      hero: 'media',
      ctaLabel: 'string',
      ctaUrl: 'string',
    });
    expect(schema.attributes.headline).toMatchObject({ required: true });
  });

  it('has the locales en (default) and de', async () => {
    const locales = app.strapi.plugin('i18n').service('locales');
    expect(await locales.getDefaultLocale()).toBe('en');
    expect((await locales.find()).map((locale: { code: string }) => locale.code).sort()).toEqual([
      'de',
      'en',
    ]);
  });

  it('serves published articles to the Public role, never drafts', async () => {
    const published = await createEntry(app, 'api::article.article', {
      data: { title: 'Published story', slug: 'published-story' },
    });
    await createEntry(app, 'api::article.article', {
      data: { title: 'Draft story', slug: 'draft-story' },
      publish: false,
    });
    const list = await app.http().get('/api/articles').expect(200);
    expect(list.body.data.map((article: { title: string }) => article.title)).toEqual([
      'Published story',
    ]);
    await app.http().get(`/api/articles/${published.documentId}`).expect(200);
    expect((await app.http().get('/api/homepage')).status).toBe(404);
  });
});

describe('admin API', () => {
  const lists = ['personas', 'stages', 'variants', 'experiments'];

  it.each(lists)('GET /personalize/%s answers 401 without an admin token', async (list) => {
    const response = await app.http().get(`/personalize/${list}`);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({
      data: null,
      error: { status: 401, name: 'UnauthorizedError' },
    });
  });

  it.each(lists)(
    'GET /personalize/%s answers 401 to a content-API token or a forged JWT',
    async (list) => {
      const response = await app
        .http()
        .get(`/personalize/${list}`)
        .set('Authorization', 'Bearer not-a-real-token');
      expect(response.status).toBe(401);
    }
  );

  it.each(lists)(
    'GET /personalize/%s lists documents for an admin in Strapi’s { data, meta } shape',
    async (list) => {
      const response = await app
        .http()
        .get(`/personalize/${list}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(Array.isArray(response.body.data)).toBe(true);
      expect(response.body.meta.pagination).toMatchObject({ page: 1, pageSize: 25 });
    }
  );

  it('answers 403 to an admin whose role lacks plugin::personalize.read', async () => {
    const editor = await createAdmin(app, { role: 'strapi-editor', email: 'editor@example.com' });
    const editorToken = await loginAdmin(app, editor);
    const response = await app
      .http()
      .get('/personalize/personas')
      .set('Authorization', `Bearer ${editorToken}`);
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ status: 403, name: 'PolicyError' });
  });

  it('paginates and sorts personas by priority', async () => {
    for (const [slug, priority] of [
      ['low', 1],
      ['high', 9],
      ['mid', 5],
    ] as const) {
      await createEntry(app, 'plugin::personalize.persona' as never, {
        data: { name: slug, slug, priority },
        publish: false,
      });
    }
    const auth = { Authorization: `Bearer ${token}` };
    const first = await app
      .http()
      .get('/personalize/personas?page=1&pageSize=2')
      .set(auth)
      .expect(200);
    expect(first.body.data.map((persona: { slug: string }) => persona.slug)).toEqual([
      'high',
      'mid',
    ]);
    expect(first.body.meta.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, total: 3 });
    const second = await app
      .http()
      .get('/personalize/personas?page=2&pageSize=2')
      .set(auth)
      .expect(200);
    expect(second.body.data.map((persona: { slug: string }) => persona.slug)).toEqual(['low']);
  });

  it.each([
    ['pageSize=0', 'pageSize'],
    ['pageSize=101', 'pageSize'],
    ['page=abc', 'page'],
    ['page=99999999999999999999', 'page'],
    ['sort=name', 'sort'],
  ])('refuses ?%s with a 400 naming %s', async (query, field) => {
    const response = await app
      .http()
      .get(`/personalize/personas?${query}`)
      .set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      data: null,
      error: { status: 400, name: 'ValidationError' },
    });
    expect(response.body.error.message).toContain(field);
  });
});
