import { personalizeHeaders } from '../../client/src/graphql';
import { decisionSchema, personalizationSchema } from '../../server/src/contracts';
import { bucketArm, segmentOf, type ExperimentDefinition } from '../../server/src/engine';
import { loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import {
  contextHeader,
  createPersona,
  createVariant,
  experimentBody,
  setPublicPermission,
  uploadPicture,
} from '../helpers/personalize';

// Issue 17: personalized queries through Strapi's GraphQL plugin, over real HTTP `/graphql`.

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';
const COUNT = 2_000;

let app: Playground;
let admin: PluginApi;
let article: string;
let fleetArticle: string;
let familyPicture: { id: number; url: string; name: string };
let basePicture: { id: number; url: string; name: string };
const variantIds: Record<string, string> = {};

const is = (kind: string) => ({ '==': [{ var: 'traits.kind' }, kind] });
const FAMILY = { traits: { kind: 'family' } };
const FLEET = { traits: { kind: 'fleet' } };

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** POSTs an operation to `/graphql`, with the visitor context header when one is given. */
const query = (
  document: string,
  {
    context,
    variables,
    path = '/graphql',
  }: { context?: unknown; variables?: object; path?: string } = {}
) => {
  const request = app.http().post(path).send({ query: document, variables });
  return context === undefined ? request : request.set(contextHeader(context));
};

/**
 * The same operation as a GET (what a CDN caches: persisted queries), with the header Apollo
 * Server's CSRF prevention requires of a GET.
 */
const get = (document: string, context?: unknown) => {
  const request = app
    .http()
    .get('/graphql')
    .set('apollo-require-preflight', 'true')
    .query({ query: document });
  return context === undefined ? request : request.set(contextHeader(context));
};

const dataOf = (response: { status: number; body: GraphqlBody }) => {
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL data is what the query selected
};

const META = `personalization { persona personaSource stage stageSource variant { documentId name } reason segment warnings experiment { key arm } }`;

beforeAll(async () => {
  app = await startPlayground({ env: { PLAYGROUND_GRAPHQL: 'true' } });
  admin = pluginApi(app, await loginAdmin(app));
  familyPicture = await uploadPicture(app, 'safety');
  basePicture = await uploadPicture(app, 'hero-default');
  for (const action of [`${ARTICLE}.find`, `${ARTICLE}.findOne`, `${HOMEPAGE}.find`]) {
    await setPublicPermission(app, action, true);
  }
  await setPublicPermission(app, 'plugin::upload.content-api.find', true);

  await createPersona(app, { name: 'Family', slug: 'family', priority: 10, rule: is('family') });
  await createPersona(app, { name: 'Fleet', slug: 'fleet', priority: 20, rule: is('fleet') });
  await createPersona(app, { name: 'Drafty', slug: 'drafty', priority: 30, rule: is('drafty') });

  article = (
    await createEntry(app, ARTICLE, {
      locale: 'en',
      data: { title: 'Base', summary: 'Base summary', cover: basePicture.id },
    })
  ).documentId;
  fleetArticle = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Fleet base' } }))
    .documentId;
  await createEntry(app, HOMEPAGE, {
    locale: 'en',
    data: {
      headline: 'Base headline',
      featured: [article, fleetArticle],
      teasers: [{ label: 'Base teaser', image: basePicture.id, article }],
    },
  });

  const variant = async (name: string, body: Record<string, unknown>, publish = true) => {
    const created = await createVariant(app, { name, ...body }, { publish });
    variantIds[name] = created.documentId as string;
  };
  await variant('family article', {
    targetUid: ARTICLE,
    targetDocumentId: article,
    persona: 'family',
    overrides: { title: 'Family', cover: familyPicture.id },
  });
  await variant('fleet article', {
    targetUid: ARTICLE,
    targetDocumentId: article,
    persona: 'fleet',
    overrides: { title: 'Fleet' },
  });
  await variant('family homepage', {
    targetUid: HOMEPAGE,
    persona: 'family',
    overrides: {
      headline: 'Family headline',
      teasers: [{ label: 'Family teaser', image: familyPicture.id }],
    },
  });
  await variant(
    'drafty article',
    {
      targetUid: ARTICLE,
      targetDocumentId: article,
      persona: 'drafty',
      overrides: { title: 'Draft variant' },
    },
    false
  );
});

afterAll(() => app.stop());

describe('GraphQL reads with a visitor context', () => {
  it('serves the base without a context, and says responses vary on the context', async () => {
    const response = await query(
      `{ articles(sort: "title") { title ${META} } homepage { headline } }`
    );
    const data = dataOf(response);
    expect(data.articles.map((entry: { title: string }) => entry.title)).toEqual([
      'Base',
      'Fleet base',
    ]);
    expect(data.articles[0].personalization).toMatchObject({
      persona: null,
      variant: null,
      reason: 'default',
      segment: 'base',
    });
    expect(data.homepage.headline).toBe('Base headline');
    expect(response.headers.vary).toMatch(/X-Personalize-Context/i);
    expect(response.headers['x-personalize-segment']).toBeUndefined();
  });

  it('personalizes a single type, with the personalization field and the headers of REST', async () => {
    const response = await get(`{ homepage { headline ${META} } }`, FAMILY);
    const { homepage } = dataOf(response);
    expect(homepage.headline).toBe('Family headline');
    expect(homepage.personalization).toEqual({
      persona: 'family',
      personaSource: 'rule',
      stage: null,
      stageSource: null,
      variant: { documentId: variantIds['family homepage'], name: 'family homepage' },
      reason: 'persona',
      segment: segmentOf([variantIds['family homepage']]),
      warnings: [],
      experiment: null,
    });
    expect(response.headers['x-personalize-segment']).toBe(homepage.personalization.segment);
    expect(response.headers.vary).toMatch(/X-Personalize-Context/i);
    // A GET the context alone decided: shared caches may keep it (as REST's).
    expect(response.headers['cache-control']).toMatch(/public/);
    // The same as a POST: private (no cache keys on a body).
    const posted = await query(`{ homepage { headline } }`, { context: FAMILY });
    expect(dataOf(posted).homepage.headline).toBe('Family headline');
    expect(posted.headers['cache-control']).toMatch(/private/);
  });

  it('personalizes collections and connections, and combines the segment of every decision', async () => {
    const response = await query(
      `{ articles(sort: "title") { documentId title summary }
         articles_connection(sort: "title") { nodes { title } pageInfo { total } } }`,
      { context: FLEET }
    );
    const data = dataOf(response);
    expect(data.articles.map((entry: { title: string }) => entry.title)).toEqual([
      'Fleet',
      'Fleet base',
    ]);
    // Fields the variant does not override stay the base's.
    expect(data.articles[0].summary).toBe('Base summary');
    expect(data.articles_connection.nodes.map((node: { title: string }) => node.title)).toEqual([
      'Fleet',
      'Fleet base',
    ]);
    expect(data.articles_connection.pageInfo.total).toBe(2);
    // One decision per entry (both root fields read the same two), in entry order.
    const served: [string, string | null][] = [
      [article, variantIds['fleet article']],
      [fleetArticle, null],
    ];
    served.sort(([a], [b]) => a.localeCompare(b));
    expect(response.headers['x-personalize-segment']).toBe(
      segmentOf(served.map(([, variant]) => variant))
    );
  });

  it('personalizes documents reached through relations and components, at any depth', async () => {
    const fleet = dataOf(
      await query(
        `{ homepage { headline featured(sort: "title") { title ${META} }
             teasers { label image { url } article { title } } } }`,
        { context: FLEET }
      )
    ).homepage;
    // No homepage variant for the fleet: the base homepage, its relations personalized.
    expect(fleet.headline).toBe('Base headline');
    expect(fleet.featured.map((entry: { title: string }) => entry.title)).toEqual([
      'Fleet',
      'Fleet base',
    ]);
    expect(fleet.featured[0].personalization.persona).toBe('fleet');
    expect(fleet.teasers).toEqual([
      { label: 'Base teaser', image: { url: basePicture.url }, article: { title: 'Fleet' } },
    ]);

    const family = dataOf(
      await query(`{ homepage { teasers { label image { url name } } featured { title } } }`, {
        context: FAMILY,
      })
    ).homepage;
    // The variant's components, with the variant's media below them.
    expect(family.teasers).toEqual([
      { label: 'Family teaser', image: { url: familyPicture.url, name: familyPicture.name } },
    ]);
    expect(family.featured.map((entry: { title: string }) => entry.title).sort()).toEqual([
      'Family',
      'Fleet base',
    ]);
  });

  it('serves media overrides in the shape the query selected', async () => {
    const { article: read } = dataOf(
      await query(`query($id: ID!) { article(documentId: $id) { title cover { url } } }`, {
        context: FAMILY,
        variables: { id: article },
      })
    );
    expect(read).toEqual({ title: 'Family', cover: { url: familyPicture.url } });
    const base = dataOf(
      await query(
        `query($id: ID!) { article(documentId: $id) { cover { url name alternativeText } } }`,
        { context: FLEET, variables: { id: article } }
      )
    ).article;
    expect(Object.keys(base.cover)).toEqual(['url', 'name', 'alternativeText']);
    expect(base.cover.url).toBe(basePicture.url);
  });

  it('never serves a draft variant', async () => {
    const { article: read } = dataOf(
      await query(`query($id: ID!) { article(documentId: $id) { title ${META} } }`, {
        context: { traits: { kind: 'drafty' } },
        variables: { id: article },
      })
    );
    expect(read.title).toBe('Base');
    expect(read.personalization).toMatchObject({ persona: 'drafty', variant: null });
  });

  it('personalizes a draft only where core GraphQL serves one, and never for shared caches', async () => {
    const response = await get(`{ articles(status: DRAFT, sort: "title") { title } }`, FLEET);
    expect(dataOf(response).articles[0].title).toBe('Fleet');
    expect(response.headers['cache-control']).toMatch(/private/);
  });

  it("reads the client helper's header, non-ASCII text included", async () => {
    const response = await app
      .http()
      .post('/graphql')
      .set(personalizeHeaders({ traits: { kind: 'family', city: 'Köln' } }))
      .send({ query: `{ homepage { headline } }` });
    expect(dataOf(response).homepage.headline).toBe('Family headline');
  });

  it('refuses a bad context with BAD_USER_INPUT', async () => {
    const bad = await app
      .http()
      .post('/graphql')
      .set('X-Personalize-Context', '{"traits": 1}')
      .send({ query: '{ homepage { headline } }' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.headers.vary).toMatch(/X-Personalize-Context/i);
  });
});

describe('visitor profiles over GraphQL', () => {
  const profileOf = async (visitorId: string) => {
    // The view is recorded after the answer.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const response = await admin.get(`/profiles/${visitorId}`);
    expect(response.status).toBe(200);
    return response.body.data.profile;
  };

  it("records one page view per operation: the entry at its top, with that entry's signals", async () => {
    expect((await admin.post('/interests', { name: 'Safety', slug: 'safety' })).status).toBe(201);
    const signals = await admin.put('/signals', {
      targetUid: HOMEPAGE,
      targetDocumentId: null,
      signals: [{ interest: 'safety', points: 15 }],
    });
    expect(signals.status).toBe(200);
    const visitor = { visitorId: 'gql-viewer', consent: { personalization: true } };
    const read = await query(`{ homepage { headline featured { title } } }`, { context: visitor });
    expect(dataOf(read).homepage.headline).toBe('Base headline');
    expect(read.headers['cache-control']).toMatch(/private/);
    const profile = await profileOf('gql-viewer');
    expect(profile).toMatchObject({ pageViews: 1 });
    expect(profile.interests.safety).toBeCloseTo(15, 0);

    // A prefetch says `?track=false`.
    await query(`{ homepage { headline } }`, { context: visitor, path: '/graphql?track=false' });
    expect((await profileOf('gql-viewer')).pageViews).toBe(1);

    // personalizeDecide's own context is the visitor whose view it records.
    const decided = await query(
      `{ personalizeDecide(targetUid: "homepage", context: { visitorId: "gql-argument", consent: { personalization: true } }) { reason } }`
    );
    expect(dataOf(decided).personalizeDecide.reason).toBe('default');
    expect((await profileOf('gql-argument')).pageViews).toBe(1);
  });
});

describe('personalizeDecide', () => {
  const DECIDE = `query($targetUid: String!, $documentId: ID, $context: JSON) {
    personalizeDecide(targetUid: $targetUid, documentId: $documentId, context: $context) {
      persona stage variant { documentId name } reason segment warnings experiment { key arm }
    } }`;

  it('returns the same decision as POST /api/personalize/decide', async () => {
    for (const [targetUid, documentId, context] of [
      ['articles', article, FAMILY],
      [ARTICLE, article, FLEET],
      ['homepage', null, FAMILY],
      ['articles', fleetArticle, FAMILY],
    ] as const) {
      const rest = await app
        .http()
        .post('/api/personalize/decide')
        .send({ targetUid, targetDocumentId: documentId, context, track: false });
      expect(rest.status).toBe(200);
      const graphql = dataOf(
        await query(DECIDE, { variables: { targetUid, documentId, context } })
      ).personalizeDecide;
      expect(graphql).toEqual({ experiment: null, ...rest.body.data });
    }
    // Without a context argument, the request's header.
    const fromHeader = dataOf(
      await query(DECIDE, { context: FAMILY, variables: { targetUid: 'homepage' } })
    );
    expect(fromHeader.personalizeDecide.persona).toBe('family');
  });

  it('refuses bad arguments with BAD_USER_INPUT and unknown entries as core does', async () => {
    const unknownType = await query(DECIDE, { variables: { targetUid: 'api::nothing.nothing' } });
    expect(unknownType.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const missingId = await query(DECIDE, { variables: { targetUid: 'articles' } });
    expect(missingId.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badContext = await query(DECIDE, {
      variables: { targetUid: 'homepage', context: { persona: 5 } },
    });
    expect(badContext.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const missing = await query(DECIDE, {
      variables: { targetUid: 'articles', documentId: 'no-such-document' },
    });
    expect(missing.body.errors[0].extensions.code).toBe('STRAPI_NOT_FOUND_ERROR');
  });
});

describe('core permissions', () => {
  it('gives the Public role without find the same error as core GraphQL, with or without a context', async () => {
    await setPublicPermission(app, `${ARTICLE}.find`, false);
    try {
      const plain = await query(`{ articles { title } }`);
      const personalized = await query(`{ articles { title } }`, { context: FAMILY });
      expect(plain.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(personalized.status).toBe(plain.status);
      expect(personalized.body.errors).toEqual(plain.body.errors);
      expect(personalized.body.data).toEqual(plain.body.data);
      // personalizeDecide needs the same permission as reading the entry (findOne here).
      await setPublicPermission(app, `${ARTICLE}.findOne`, false);
      const decided = await query(
        `{ personalizeDecide(targetUid: "articles", documentId: "${article}") { persona } }`,
        { context: FAMILY }
      );
      expect(decided.body.errors[0].extensions.code).toBe('FORBIDDEN');
    } finally {
      await setPublicPermission(app, `${ARTICLE}.find`, true);
      await setPublicPermission(app, `${ARTICLE}.findOne`, true);
    }
  });

  it("keeps the plugin's own types out of the schema and types the personalization as REST's", async () => {
    const { __schema } = dataOf(
      await query(`{ __schema { queryType { fields { name } } types { name fields { name } } } }`)
    );
    const queries: string[] = __schema.queryType.fields.map(
      (field: { name: string }) => field.name
    );
    expect(queries).toContain('personalizeDecide');
    expect(queries.filter((name) => /persona|variant|experiment|interest/i.test(name))).toEqual([
      'personalizeDecide',
    ]);
    const fieldsOf = (type: string) =>
      __schema.types
        .find((entry: { name: string }) => entry.name === type)
        .fields.map((field: { name: string }) => field.name)
        .sort();
    expect(fieldsOf('PersonalizationMeta')).toEqual(
      Object.keys(personalizationSchema.shape).sort()
    );
    expect(fieldsOf('PersonalizationDecision')).toEqual(Object.keys(decisionSchema.shape).sort());
    expect(fieldsOf('Article')).toContain('personalization');
    expect(fieldsOf('Homepage')).toContain('personalization');
  });
});

describe('experiments over GraphQL', () => {
  it('assigns a sticky arm and stores its exposure once, as REST does', async () => {
    const offer = await createVariant(app, {
      name: 'offer',
      targetUid: ARTICLE,
      targetDocumentId: fleetArticle,
      rule: false,
      overrides: { title: 'Offer' },
    });
    const created = await admin.post(
      '/experiments',
      experimentBody(fleetArticle, offer.documentId as string)
    );
    expect(created.status).toBe(201);
    const started = await admin.post(`/experiments/${created.body.data.documentId}/start`);
    expect(started.status).toBe(200);
    const experiment = started.body.data as ExperimentDefinition & { documentId: string };
    const visitorsOf = async () =>
      (await admin.get(`/experiments/${experiment.documentId}/results`)).body.data.totalVisitors;
    const before = await visitorsOf();

    const read = async (visitorId: string, consent?: object) =>
      dataOf(
        await query(`query($id: ID!) { article(documentId: $id) { title ${META} } }`, {
          context: { visitorId, ...(consent ? { consent } : {}) },
          variables: { id: fleetArticle },
        })
      ).article;
    for (const visitorId of ['gql-1', 'gql-2', 'gql-3']) {
      const arm = bucketArm(experiment, visitorId)?.key;
      const first = await read(visitorId);
      const again = await read(visitorId);
      expect(first.personalization.experiment).toEqual({ key: experiment.key, arm });
      expect(again).toEqual(first);
      expect(first.title).toBe(arm === 'offer' ? 'Offer' : 'Fleet base');
    }
    await read('gql-no-analytics', { analytics: false });
    // Exposures wait up to 200 ms in memory before they are written.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await visitorsOf()).toBe(before + 3);
  });
});

describe('hostile input', () => {
  /** A generator of hostile values: deterministic, so that a failure can be replayed. */
  const random = (() => {
    let state = 17;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
  })();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const text = () =>
    pick([
      '',
      'x'.repeat(Math.floor(random() * 20_000)),
      '__proto__',
      'constructor',
      '\u0000',
      '\ud800',
      '💥'.repeat(50),
      '../../etc/passwd',
      "'; DROP TABLE articles; --",
      '{"a":',
      'api::article.article',
      'articles',
      article,
      '%E0%A4%A',
    ]);
  const json = (depth = 0): unknown =>
    depth > 3
      ? text()
      : pick([
          () => text(),
          () => random() * 1e308,
          () => -1,
          () => null,
          () => true,
          () => Array.from({ length: Math.floor(random() * 5) }, () => json(depth + 1)),
          () => ({ [text().slice(0, 30)]: json(depth + 1), persona: json(depth + 1) }),
          () => ({ traits: json(depth + 1), events: json(depth + 1), visitorId: json(depth + 1) }),
          () => ({ consent: json(depth + 1), now: json(depth + 1), interests: json(depth + 1) }),
        ])();
  /** Text without what a database refuses (NUL, surrogates). */
  // eslint-disable-next-line no-control-regex -- NUL is exactly what this removes
  const storable = (value: string) => value.replace(/\u0000|[\ud800-\udfff]/g, '?');
  const ARTICLE_BY_LOCALE = `query($l: I18NLocaleCode, $id: ID!) { article(documentId: $id, locale: $l) { title ${META} } }`;

  /** What a client can send as a header value (Node refuses the rest before sending). */
  const sendable = (value: string) =>
    /[^\t\x20-\x7e\x80-\xff]/.test(value)
      ? encodeURIComponent(value.replace(/[\ud800-\udfff]/g, (char) => `%${char.charCodeAt(0)}`))
      : value;
  const headerValue = () =>
    sendable(
      pick([
        () => JSON.stringify(json()),
        () => text().slice(0, 8_000),
        () => encodeURIComponent(JSON.stringify(json())),
        () => `{${'"a":{'.repeat(200)}`,
        () => JSON.stringify({ persona: 'x'.repeat(30_000) }).slice(0, 15_000),
      ])()
    );

  const requests = [
    // A hostile context on a personalized read.
    () =>
      app
        .http()
        .post('/graphql')
        .set('X-Personalize-Context', headerValue())
        .send({ query: `{ articles { title ${META} } homepage { headline } }` }),
    // The same in the query string of a GET.
    () =>
      app
        .http()
        .get('/graphql')
        .set('apollo-require-preflight', 'true')
        .query({ query: '{ homepage { headline } }', context: headerValue() }),
    // Hostile arguments of personalizeDecide, as variables of every type.
    () =>
      query(
        `query($t: String!, $d: ID, $l: String, $c: JSON) { personalizeDecide(targetUid: $t, documentId: $d, locale: $l, context: $c) { persona segment } }`,
        {
          variables: {
            t: pick([text(), 'articles', 'homepage']),
            d: pick([text(), null, article]),
            l: pick([text(), null, 'en', '*']),
            c: json(),
          },
        }
      ),
    // Variables of the wrong types.
    () =>
      query(
        `query($t: String!, $c: JSON) { personalizeDecide(targetUid: $t, context: $c) { persona } }`,
        {
          variables: { t: json(), c: json() },
        }
      ),
    // A personalized read with hostile core arguments, as far as core itself takes them (below).
    () =>
      query(ARTICLE_BY_LOCALE, {
        context: pick([FAMILY, FLEET, { visitorId: sendable(text().slice(0, 100)) }]),
        variables: {
          l: pick([storable(text()), 'en', 'de', '*']),
          id: pick([storable(text()), article]),
        },
      }),
  ];

  it("answers core's own arguments that a database refuses exactly as core does without a context", async () => {
    // On PostgreSQL, core GraphQL sends a NUL character or an unpaired surrogate in its own
    // arguments to the database, which refuses it: INTERNAL_SERVER_ERROR with or without a
    // context (SQLite takes it). The plugin adds nothing to what core answers.
    for (const id of ['\u0000', '\ud800', `${article}\u0000`]) {
      const variables = { id, l: 'en' };
      const plain = await query(ARTICLE_BY_LOCALE, { variables });
      const personalized = await query(ARTICLE_BY_LOCALE, { variables, context: FAMILY });
      expect(personalized.status).toBe(plain.status);
      const codes = (response: { body: GraphqlBody }) =>
        (response.body.errors ?? []).map((error) => error.extensions?.code);
      expect(codes(personalized)).toEqual(codes(plain));
      // MariaDB finds the article despite a trailing NUL (then it is personalized, as it should).
      expect(Boolean(personalized.body.data?.article)).toBe(Boolean(plain.body.data?.article));
    }
  });

  it(`answers ${COUNT.toLocaleString('en')} generated hostile inputs without INTERNAL_SERVER_ERROR`, async () => {
    const internal: string[] = [];
    const statuses = new Set<number>();
    for (let index = 0; index < COUNT; index += 1) {
      const response = await requests[index % requests.length]();
      statuses.add(response.status);
      const codes = ((response.body as GraphqlBody).errors ?? []).map(
        (error) => error.extensions?.code
      );
      if (response.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) {
        internal.push(`#${index}: ${response.status} ${response.text.slice(0, 300)}`);
      }
    }
    expect(internal).toEqual([]);
    expect([...statuses].every((status) => status < 500)).toBe(true);
    // And the delivery works afterwards.
    expect(
      dataOf(await query(`{ homepage { headline } }`, { context: FAMILY })).homepage.headline
    ).toBe('Family headline');
  });
});
