import { createAdmin, loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { usesMysql, usesPostgres } from '../helpers/database';
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

describe('the plugin', () => {
  it('runs on the database the suite was asked for (DATABASE_CLIENT)', () => {
    expect(app.strapi.db.dialect.client).toBe(
      usesPostgres() ? 'postgres' : usesMysql() ? 'mysql' : 'sqlite'
    );
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

const hidden = {
  'content-manager': { visible: false },
  'content-type-builder': { visible: false },
};
const localized = { i18n: { localized: true } };

/**
 * Every content type this issue defines, as `strapi.contentTypes` must hold it: kind, draft &
 * publish, plugin options, and each attribute with its type and the properties that matter.
 */
const CONTENT_TYPES = [
  {
    uid: 'plugin::personalize.persona',
    kind: 'collectionType',
    draftAndPublish: false,
    pluginOptions: hidden,
    attributes: {
      name: { type: 'string' },
      slug: { type: 'uid', targetField: 'name', required: true },
      description: { type: 'text' },
      rule: { type: 'json' },
      priority: { type: 'integer', default: 0 },
      sampleContext: { type: 'json' },
    },
  },
  {
    uid: 'plugin::personalize.journey-stage',
    kind: 'collectionType',
    draftAndPublish: false,
    pluginOptions: hidden,
    attributes: {
      name: { type: 'string' },
      slug: { type: 'uid' },
      description: { type: 'text' },
      order: { type: 'integer', required: true },
      rule: { type: 'json' },
      sampleContext: { type: 'json' },
    },
  },
  {
    // Draft & publish, one row per target locale.
    uid: 'plugin::personalize.variant',
    kind: 'collectionType',
    draftAndPublish: true,
    pluginOptions: { ...hidden, ...localized },
    attributes: {
      name: { type: 'string' },
      targetUid: { type: 'string' },
      targetDocumentId: { type: 'string' },
      locale: { type: 'string' },
      persona: { type: 'relation', relation: 'manyToOne', target: 'plugin::personalize.persona' },
      stage: {
        type: 'relation',
        relation: 'manyToOne',
        target: 'plugin::personalize.journey-stage',
      },
      rule: { type: 'json' },
      priority: { type: 'integer' },
      overrides: { type: 'json', required: true },
      baseUpdatedAt: { type: 'datetime' },
    },
  },
  {
    uid: 'plugin::personalize.experiment',
    kind: 'collectionType',
    draftAndPublish: false,
    pluginOptions: hidden,
    attributes: {
      name: { type: 'string' },
      key: { type: 'uid' },
      targetUid: { type: 'string' },
      targetDocumentId: { type: 'string' },
      locale: { type: 'string' },
      status: {
        type: 'enumeration',
        enum: ['draft', 'scheduled', 'running', 'paused', 'completed'],
        default: 'draft',
      },
      arms: { type: 'json' },
      trafficAllocation: { type: 'decimal', default: 1 },
      audience: { type: 'json' },
      goal: { type: 'string', required: true },
      secondaryGoals: { type: 'json' },
      mode: { type: 'enumeration', enum: ['fixed', 'bandit'], default: 'fixed' },
      startAt: { type: 'datetime' },
      endAt: { type: 'datetime' },
      weightHistory: { type: 'json' },
      seed: { type: 'string' },
      startedAt: { type: 'datetime' },
      endedAt: { type: 'datetime' },
      winner: { type: 'string' },
    },
  },
  {
    uid: 'api::article.article',
    kind: 'collectionType',
    draftAndPublish: true,
    pluginOptions: localized,
    attributes: {
      title: { type: 'string', required: true },
      slug: { type: 'uid', targetField: 'title' },
      summary: { type: 'text' },
      body: { type: 'blocks' },
      cover: { type: 'media', multiple: false, allowedTypes: ['images'] },
      ctaLabel: { type: 'string' },
      ctaUrl: { type: 'string' },
    },
  },
  {
    uid: 'api::homepage.homepage',
    kind: 'singleType',
    draftAndPublish: true,
    pluginOptions: localized,
    attributes: {
      headline: { type: 'string', required: true },
      subline: { type: 'text' },
      hero: { type: 'media' },
      ctaLabel: { type: 'string' },
      ctaUrl: { type: 'string' },
    },
  },
];

describe('content types (docs/architecture.md §3 and the playground)', () => {
  it.each(CONTENT_TYPES)(
    '$uid has its kind, options and attributes',
    ({ uid, kind, draftAndPublish, pluginOptions, attributes }) => {
      const schema = schemaOf(uid);
      expect(schema.kind).toBe(kind);
      expect(schema.options?.draftAndPublish).toBe(draftAndPublish);
      expect(schema.pluginOptions).toMatchObject(pluginOptions);
      expect(schema.attributes).toMatchObject(attributes);
    }
  );

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
  message: expect.stringMatching(/UNIQUE constraint failed|duplicate key|Duplicate entry/),
};

describe('event storage', () => {
  const exposure = {
    experiment: 'exp-doc-1',
    arm: 'control',
    visitor_hash: 'a'.repeat(64),
    exposed_at: new Date(),
    day: '2026-01-01',
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
      day: '2026-01-01',
    };
    await table().insert([conversion, { ...conversion, goal: 'test_drive' }]);
    await expect(table().insert(conversion)).rejects.toMatchObject(uniqueViolation);
    const [{ n }] = await table().where({ experiment: 'exp-doc-1' }).count({ n: '*' });
    expect(Number(n)).toBe(2);
  });
});

describe('the playground app', () => {
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
    const editorToken = (
      await createAdmin(app, token, { roles: ['strapi-editor'], email: 'editor@example.com' })
    ).token;
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
