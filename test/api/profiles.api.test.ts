import {
  createApiToken,
  createAdmin,
  createRole,
  loginAdmin,
  pluginApi,
  type PluginApi,
} from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { contextHeader, createPersona, createStage, createVariant } from '../helpers/personalize';
import { startPlayground, type Playground } from '../helpers/playground';

// Issue 16: visitor profiles. Interests and signals are set up through the admin API; visitors
// only ever send their id and consent; everything else the server remembers.

const ARTICLE = 'api::article.article';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let app: Playground;
let admin: PluginApi;
let adminJwt: string;
let home: string;
const safetyStories: string[] = [];
let performanceStory: string;

/** The context of a consenting visitor who sends nothing else. */
const consenting = (visitorId: string, extra: Record<string, unknown> = {}) => ({
  visitorId,
  consent: { personalization: true },
  ...extra,
});

const read = (documentId: string, context: unknown, query: Record<string, string> = {}) =>
  app
    .http()
    .get(`/api/personalize/content/articles/${documentId}`)
    .query(query)
    .set(contextHeader(context));

const events = (list: Record<string, unknown>[]) =>
  app.http().post('/api/personalize/events').send({ events: list });

const profileOf = async (visitorId: string) => {
  const response = await admin.get(`/profiles/${visitorId}`);
  expect(response.status).toBe(200);
  return response.body.data.profile;
};

/** Profile rows stored for these visitors (counted in the table, by their HMAC keys). */
const storedProfiles = async (...visitorIds: string[]) => {
  const hashes = visitorIds.map((id) =>
    (
      app.strapi.plugin('personalize').service('events') as { hashVisitor(id: string): string }
    ).hashVisitor(id)
  );
  const [{ count }] = await app.strapi.db
    .connection('personalize_profiles')
    .whereIn('visitor_hash', hashes)
    .count({ count: '*' });
  return Number(count);
};

/** Waits for the write-behind (100 ms) to reach the database. */
const written = () => new Promise((resolve) => setTimeout(resolve, 400));

beforeAll(async () => {
  app = await startPlayground();
  adminJwt = await loginAdmin(app);
  admin = pluginApi(app, adminJwt);
  for (const [name, halfLifeDays] of [
    ['Safety', 30],
    ['Performance', 30],
  ] as const) {
    const created = await admin.post('/interests', { name, halfLifeDays });
    expect(created.status).toBe(201);
  }
  await createPersona(app, {
    name: 'Family',
    slug: 'family',
    priority: 1,
    rule: { '==': [{ var: 'topInterest' }, 'safety'] },
  });
  await createPersona(app, {
    name: 'Buyer',
    slug: 'buyer',
    priority: 5,
    rule: { in: ['purchase', { var: 'events' }] },
  });
  await createStage(app, { name: 'Awareness', slug: 'awareness', order: 1, rule: true });
  await createStage(app, {
    name: 'Decision',
    slug: 'decision',
    order: 2,
    rule: { '==': [{ var: 'utm.campaign' }, 'pricing'] },
  });
  home = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Home' } })).documentId;
  await createVariant(app, {
    name: 'family home',
    targetUid: ARTICLE,
    targetDocumentId: home,
    locale: 'en',
    persona: 'family',
    overrides: { title: 'Home for families' },
  });
  await createVariant(app, {
    name: 'buyer home',
    targetUid: ARTICLE,
    targetDocumentId: home,
    locale: 'en',
    persona: 'buyer',
    overrides: { title: 'Welcome back, customer' },
  });
  for (const title of ['Crash tests', 'Child seats']) {
    const story = await createEntry(app, ARTICLE, { locale: 'en', data: { title } });
    safetyStories.push(story.documentId);
    const signals = await admin.put('/signals', {
      targetUid: ARTICLE,
      targetDocumentId: story.documentId,
      signals: [{ interest: 'safety', points: 15 }],
    });
    expect(signals.status).toBe(200);
    expect(signals.body.data.signals).toEqual([{ interest: 'safety', points: 15 }]);
  }
  performanceStory = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: '0–100' } }))
    .documentId;
  await admin.put('/signals', {
    targetUid: ARTICLE,
    targetDocumentId: performanceStory,
    signals: [{ interest: 'performance', points: 5 }],
  });
});

afterAll(async () => {
  await app?.stop();
});

describe('a returning visitor with only an id and consent', () => {
  it('gets the default first, and the interest-based variant after reading two safety stories', async () => {
    const visitor = consenting('returning-1');
    const first = await read(home, visitor);
    expect(first.status).toBe(200);
    expect(first.body.data.title).toBe('Home');
    expect(first.body.meta.personalization.reason).toBe('default');
    // No profile existed yet: none was used.
    expect(first.body.meta.personalization.profile).toBeUndefined();

    for (const story of safetyStories) expect((await read(story, visitor)).status).toBe(200);
    await read(performanceStory, visitor);

    const back = await read(home, visitor);
    expect(back.body.data.title).toBe('Home for families');
    expect(back.body.meta.personalization).toMatchObject({
      persona: 'family',
      personaSource: 'rule',
      profile: { visits: 1, pageViews: 4, topInterest: 'safety', stageReached: 'awareness' },
    });
    // The visitor's own answer: never for a shared cache.
    expect(back.headers['cache-control']).toBe('private, no-store');
    await written();
    expect(await storedProfiles('returning-1')).toBe(1);
    const profile = await profileOf('returning-1');
    expect(profile).toMatchObject({ visits: 1, pageViews: 5, topInterest: 'safety' });
    expect(profile.interests).toEqual({
      safety: expect.closeTo(30, 1),
      performance: expect.closeTo(5, 1),
    });
    expect(profile.traits).toEqual({});
  });

  it('is decided by the explicit context where the request states it', async () => {
    const visitor = consenting('returning-1', { topInterest: 'performance' });
    const response = await read(home, visitor);
    expect(response.body.data.title).toBe('Home');
    expect(response.body.meta.personalization.profile.topInterest).toBe('performance');
  });

  it('decides without recording a view when told track=false (a prefetch)', async () => {
    const before = (await profileOf('returning-1')).pageViews;
    await read(home, consenting('returning-1'), { track: 'false' });
    const decided = await app
      .http()
      .post('/api/personalize/decide')
      .send({
        targetUid: ARTICLE,
        targetDocumentId: home,
        context: consenting('returning-1'),
        track: false,
      });
    expect(decided.status).toBe(200);
    expect(decided.body.data).toMatchObject({
      persona: 'family',
      profile: { topInterest: 'safety' },
    });
    await written();
    expect((await profileOf('returning-1')).pageViews).toBe(before);
  });
});

describe('without consent', () => {
  it('reads and writes no profile at all (rows counted)', async () => {
    const contexts = [
      { visitorId: 'silent-1' },
      { visitorId: 'silent-2', consent: { personalization: false } },
      { visitorId: 'silent-3', consent: { analytics: true } },
    ];
    for (const context of contexts) {
      for (const story of safetyStories) {
        const response = await read(story, context);
        expect(response.status).toBe(200);
        expect(response.body.meta.personalization.profile).toBeUndefined();
      }
    }
    const sent = await events([
      {
        type: 'view',
        visitorId: 'silent-1',
        target: { uid: ARTICLE, documentId: safetyStories[0] },
      },
      {
        type: 'event',
        visitorId: 'silent-2',
        name: 'purchase',
        consent: { personalization: false },
      },
    ]);
    expect(sent.status).toBe(200);
    expect(sent.body.data.accepted).toBe(0);
    expect(sent.body.data.rejected).toHaveLength(2);
    expect(sent.body.data.rejected[0].error).toMatch(/consent\.personalization: true/);
    await written();
    expect(await storedProfiles('silent-1', 'silent-2', 'silent-3')).toBe(0);
  });

  it('gets the same stateless decision even when a profile exists', async () => {
    // returning-1 has a safety profile; without consent it is not read.
    const response = await read(home, { visitorId: 'returning-1' });
    expect(response.body.data.title).toBe('Home');
    expect(response.body.meta.personalization.profile).toBeUndefined();
  });
});

describe('visits, decay and stages', () => {
  it('counts a new visit after 30 minutes without a page view', async () => {
    const now = Date.now();
    const view = (visitorId: string, minutesAgo: number) => ({
      type: 'view',
      visitorId,
      timestamp: now - minutesAgo * MINUTE,
      consent: { personalization: true },
    });
    // Gaps of 10, 31 and 39 minutes: the second and the third start a visit.
    const response = await events([100, 90, 59, 20].map((ago) => view('clock-1', ago)));
    expect(response.body.data).toEqual({ accepted: 4, duplicates: 0, rejected: [] });
    expect(await profileOf('clock-1')).toMatchObject({ visits: 3, pageViews: 4 });
    const decide = (visitorId: string) =>
      app
        .http()
        .post('/api/personalize/decide')
        .send({ targetUid: ARTICLE, targetDocumentId: home, context: consenting(visitorId) });
    // 20 minutes after the last view: still the third visit.
    expect((await decide('clock-1')).body.data.profile).toMatchObject({ visits: 3, pageViews: 4 });
    // 45 minutes after the only view: this request is a second visit.
    await events([view('clock-2', 45)]);
    expect((await decide('clock-2')).body.data.profile).toMatchObject({ visits: 2, pageViews: 1 });
    await written();
    expect(await profileOf('clock-2')).toMatchObject({ visits: 2, pageViews: 2 });
  });

  it('halves an interest score after its half-life', async () => {
    const response = await events([
      {
        type: 'view',
        visitorId: 'decay-1',
        timestamp: Date.now() - 30 * DAY,
        target: { uid: ARTICLE, documentId: safetyStories[0] },
        consent: { personalization: true },
      },
      {
        type: 'view',
        visitorId: 'decay-1',
        target: { uid: ARTICLE, documentId: performanceStory },
        consent: { personalization: true },
      },
    ]);
    expect(response.body.data.accepted).toBe(2);
    const profile = await profileOf('decay-1');
    expect(profile.interests.safety).toBeCloseTo(7.5, 1);
    expect(profile.interests.performance).toBeCloseTo(5, 1);
    // Below the threshold of 10: no top interest.
    expect(profile.topInterest).toBeNull();
  });

  it('remembers the furthest stage reached', async () => {
    const visitor = consenting('journey-1');
    const pricing = await read(home, { ...visitor, utm: { campaign: 'pricing' } });
    expect(pricing.body.meta.personalization).toMatchObject({
      stage: 'decision',
      stageSource: 'rule',
    });
    const later = await read(home, visitor);
    expect(later.body.meta.personalization).toMatchObject({
      stage: 'decision',
      stageSource: 'profile',
      profile: { stageReached: 'decision' },
    });
    // An explicit stage still wins.
    const explicit = await read(home, { ...visitor, stage: 'awareness' });
    expect(explicit.body.meta.personalization).toMatchObject({
      stage: 'awareness',
      stageSource: 'explicit',
    });
  });
});

describe('many visitors at once', () => {
  it('stores a batch of 500 views by 500 visitors, answered after the write', async () => {
    const visitors = Array.from({ length: 500 }, (_, index) => `batch-${index}`);
    const sent = await events(
      visitors.map((visitorId) => ({
        type: 'view',
        visitorId,
        target: { uid: ARTICLE, documentId: safetyStories[0] },
        consent: { personalization: true },
      }))
    );
    expect(sent.body.data).toEqual({ accepted: 500, duplicates: 0, rejected: [] });
    expect(await storedProfiles(...visitors)).toBe(500);
  });

  it('writes 1,200 visitors changed at once in one flush (SQLite takes 500 rows a statement)', async () => {
    const visitors = Array.from({ length: 1_200 }, (_, index) => `flush-${index}`);
    const profiles = app.strapi.plugin('personalize').service('profiles') as {
      recordNow(changes: Map<string, object[]>): Promise<void>;
    };
    await profiles.recordNow(
      new Map(visitors.map((id) => [id, [{ kind: 'event', at: Date.now(), name: 'bulk' }]]))
    );
    expect(await storedProfiles(...visitors.slice(0, 600))).toBe(600);
    expect(await storedProfiles(...visitors.slice(600))).toBe(600);
  });
});

describe('events change the very next response', () => {
  it('a named event sent to /events switches the persona at once', async () => {
    const visitor = consenting('buyer-1');
    expect((await read(home, visitor)).body.data.title).toBe('Home');
    const sent = await events([
      { type: 'event', visitorId: 'buyer-1', name: 'purchase', consent: { personalization: true } },
    ]);
    expect(sent.body.data).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const after = await read(home, visitor);
    expect(after.body.data.title).toBe('Welcome back, customer');
    expect(after.body.meta.personalization.persona).toBe('buyer');
  });

  it('a conversion with consent counts in the profile even when no experiment counts it', async () => {
    const sent = await events([
      {
        type: 'conversion',
        visitorId: 'buyer-2',
        goal: 'purchase',
        consent: { personalization: true },
      },
      { type: 'conversion', visitorId: 'buyer-3', goal: 'purchase' },
    ]);
    expect(sent.body.data.accepted).toBe(1);
    expect(sent.body.data.rejected).toEqual([
      { index: 1, error: expect.stringMatching(/no running experiment/) },
    ]);
    expect((await profileOf('buyer-2')).events.purchase.count).toBe(1);
    expect(await profileOf('buyer-3')).toBeNull();
  });
});

describe('trusted sources', () => {
  const traits = (visitorId: string) => `/api/personalize/profiles/${visitorId}/traits`;

  it('refuses without a token (401) and with credentials lacking the permission (403)', async () => {
    const body = { traits: { plan: 'pro' } };
    expect((await app.http().put(traits('crm-1')).send(body)).status).toBe(401);
    const readOnly = await createApiToken(app, adminJwt, 'read-only');
    const refused = await app
      .http()
      .put(traits('crm-1'))
      .set('Authorization', `Bearer ${readOnly}`)
      .send(body);
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('ForbiddenError');
    const eventsOnly = await createApiToken(app, adminJwt, 'custom', undefined, [
      'plugin::personalize.profiles.recordEvents',
    ]);
    expect(
      (
        await app
          .http()
          .put(traits('crm-1'))
          .set('Authorization', `Bearer ${eventsOnly}`)
          .send(body)
      ).status
    ).toBe(403);
    expect(
      (
        await app
          .http()
          .post('/api/personalize/profiles/crm-1/events')
          .set('Authorization', `Bearer ${eventsOnly}`)
          .send({ events: [{ name: 'newsletter_signup' }] })
      ).status
    ).toBe(200);
    expect(await storedProfiles('crm-1')).toBe(1);
    expect((await profileOf('crm-1')).traits).toEqual({});
  });

  it('stores traits from a token with the permission, and refuses personal data', async () => {
    const token = await createApiToken(app, adminJwt, 'custom', undefined, [
      'plugin::personalize.profiles.updateTraits',
    ]);
    const put = (body: object | string) =>
      app.http().put(traits('crm-2')).set('Authorization', `Bearer ${token}`).send(body);
    const stored = await put({ traits: { plan: 'pro', seats: 12 } });
    expect(stored.status).toBe(200);
    expect(stored.body.data.traits).toEqual({ plan: 'pro', seats: 12 });
    const personal = await put({ traits: { plan: 'pro', Email: 'a@example.com' } });
    expect(personal.status).toBe(400);
    expect(personal.body.error.message).toMatch(/Email/);
    expect((await put({ traits: 'pro' })).status).toBe(400);
    // A request's context reads them (its own keys winning) once the visitor consents.
    const persona = await createPersona(app, {
      name: 'Pro',
      slug: 'pro',
      priority: 10,
      rule: { '==': [{ var: 'traits.plan' }, 'pro'] },
    });
    expect(persona.slug).toBe('pro');
    const decided = await app
      .http()
      .post('/api/personalize/decide')
      .send({ targetUid: ARTICLE, targetDocumentId: home, context: consenting('crm-2') });
    expect(decided.body.data.persona).toBe('pro');
    const own = await app
      .http()
      .post('/api/personalize/decide')
      .send({
        targetUid: ARTICLE,
        targetDocumentId: home,
        context: consenting('crm-2', { traits: { plan: 'free' } }),
      });
    expect(own.body.data.persona).not.toBe('pro');
    // The Pro persona would take over other tests' visitors with a plan; it goes again.
    await app.strapi
      .plugin('personalize')
      .service('classification')
      .delete('persona', persona.documentId);
  });

  it("maps Segment's identify and track specs to the profile", async () => {
    const token = await createApiToken(app, adminJwt, 'custom', undefined, [
      'plugin::personalize.profiles.segment',
    ]);
    const segment = (body: object) =>
      app
        .http()
        .post('/api/personalize/integrations/segment')
        .set('Authorization', `Bearer ${token}`)
        .send(body);
    const batch = await segment({
      batch: [
        {
          type: 'identify',
          userId: 'cdp-1',
          traits: { industry: 'logistics' },
          context: { library: 'x' },
        },
        { type: 'track', anonymousId: 'cdp-1', event: 'Purchase', properties: { revenue: 10 } },
        { type: 'page', userId: 'cdp-1', name: 'Home' },
        { type: 'track', event: 'no-visitor' },
        { type: 'identify', userId: 'cdp-1', traits: { email: 'x@example.com' } },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.data.accepted).toBe(3);
    expect(batch.body.data.rejected.map((item: { index: number }) => item.index)).toEqual([3, 4]);
    const profile = await profileOf('cdp-1');
    expect(profile).toMatchObject({ traits: { industry: 'logistics' }, pageViews: 1 });
    expect(profile.events.purchase.count).toBe(1);
    // The purchase makes the very next response the buyer's.
    expect((await read(home, consenting('cdp-1'))).body.data.title).toBe('Welcome back, customer');
    const single = await segment({ type: 'identify', userId: 'cdp-1', traits: { tier: 'gold' } });
    expect(single.status).toBe(200);
    expect((await profileOf('cdp-1')).traits).toEqual({ industry: 'logistics', tier: 'gold' });
    expect((await segment({ type: 'alias', userId: 'cdp-1' })).status).toBe(400);
    expect(
      (await app.http().post('/api/personalize/integrations/segment').send({ type: 'page' })).status
    ).toBe(401);
  });
});

describe('admin access', () => {
  it('the Visitor lookup needs profiles.read; erasure profiles.erase', async () => {
    const reader = await createRole(app, adminJwt, 'Profile reader', [
      { action: 'plugin::personalize.read' },
      { action: 'plugin::personalize.profiles.read' },
    ]);
    const other = await createRole(app, adminJwt, 'Plugin reader', [
      { action: 'plugin::personalize.read' },
    ]);
    const withRead = pluginApi(
      app,
      (await createAdmin(app, adminJwt, { email: 'profiles-reader@example.com', roles: [reader] }))
        .token
    );
    const without = pluginApi(
      app,
      (await createAdmin(app, adminJwt, { email: 'plugin-reader@example.com', roles: [other] }))
        .token
    );
    expect((await withRead.get('/profiles/anyone')).status).toBe(200);
    expect((await without.get('/profiles/anyone')).status).toBe(403);
    expect((await withRead.delete('/visitors/anyone')).status).toBe(403);
    const lookup = await admin.get('/profiles/cdp-1', {
      targetUid: ARTICLE,
      targetDocumentId: home,
      locale: 'en',
    });
    expect(lookup.body.data).toMatchObject({
      persona: 'buyer',
      decision: { variant: { name: 'buyer home' }, profile: { pageViews: expect.any(Number) } },
    });
    expect(lookup.body.data.decision.trace.length).toBeGreaterThan(0);
  });
});

describe('erasure and retention', () => {
  it('erasing a visitor deletes the profile too', async () => {
    await read(safetyStories[0], consenting('erase-1'));
    await written();
    expect(await storedProfiles('erase-1')).toBe(1);
    const erased = await admin.delete('/visitors/erase-1');
    expect(erased.status).toBe(200);
    expect(erased.body.data).toMatchObject({ profiles: 1 });
    expect(await storedProfiles('erase-1')).toBe(0);
    expect(await profileOf('erase-1')).toBeNull();
    const next = await read(home, consenting('erase-1'));
    expect(next.body.meta.personalization.profile).toBeUndefined();
  });

  it('the retention job deletes profiles unseen for profileRetentionDays', async () => {
    await read(home, consenting('old-1'));
    await written();
    const events = app.strapi.plugin('personalize').service('events') as {
      purgeExpired(now: Date): Promise<{ profiles: number }>;
    };
    const purged = await events.purgeExpired(new Date(Date.now() + 91 * DAY));
    expect(purged.profiles).toBeGreaterThanOrEqual(1);
    expect(await storedProfiles('old-1', 'returning-1')).toBe(0);
  });
});
