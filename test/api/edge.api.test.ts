import type { Snapshot } from '../../server/src/contracts';
import {
  decide,
  decideWithEvents,
  originReason,
  type EdgeDecideRequest,
} from '../../server/src/edge';
import { DEVICES, inHoldout } from '../../server/src/engine';
import { IMPACT_EXPOSURES_TABLE, VARIANT_REACH_TABLE } from '../../server/src/models/events';
import { createApiToken, loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { startPlayground, type Playground } from '../helpers/playground';

// Issue 19: the edge snapshot, and the edge decider deciding exactly as `POST /decide` does,
// against the real playground with the demo story.

const ARTICLE = 'api::article.article';
const USER_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148';

let app: Playground;
let adminJwt: string;
let admin: PluginApi;
let token: string;

const getSnapshot = (headers: Record<string, string> = {}) =>
  app.http().get('/api/personalize/snapshot').set(headers);

const snapshotWith = async (key: string) =>
  (await getSnapshot({ Authorization: `Bearer ${key}` })).body as Snapshot;

beforeAll(async () => {
  app = await startPlayground({
    seed: true,
    env: { PERSONALIZE_EVENTS_RATE_LIMIT: '0', PERSONALIZE_EVENT_BUDGET: '0' },
  });
  adminJwt = await loginAdmin(app);
  admin = pluginApi(app, adminJwt);
  token = await createApiToken(app, adminJwt, 'custom', undefined, [
    'plugin::personalize.snapshot.read',
  ]);
});

afterAll(() => app.stop());

describe('GET /api/personalize/snapshot', () => {
  it('needs an API token with the snapshot permission: never Public, never a read-only token', async () => {
    const anonymous = await getSnapshot();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.vary).toMatch(/Authorization/);
    const readOnly = await createApiToken(app, adminJwt, 'read-only');
    expect((await getSnapshot({ Authorization: `Bearer ${readOnly}` })).status).toBe(403);
    const other = await createApiToken(app, adminJwt, 'custom', undefined, [
      'plugin::personalize.profiles.updateTraits',
    ]);
    const refused = await getSnapshot({ Authorization: `Bearer ${other}` });
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('ForbiddenError');
    const full = await createApiToken(app, adminJwt, 'full-access');
    expect((await getSnapshot({ Authorization: `Bearer ${full}` })).status).toBe(200);
  });

  it('holds what decisions need, versioned by a strong ETag with 304 on If-None-Match', async () => {
    const response = await getSnapshot({ Authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-cache');
    const snapshot = response.body as Snapshot;
    expect(response.headers.etag).toBe(`"${snapshot.version}"`);
    expect(snapshot.format).toBe(1);
    expect(snapshot.personas.map((persona) => persona.slug)).toEqual(
      expect.arrayContaining(['family', 'fleet'])
    );
    expect(snapshot.holdout).toEqual({ share: 0.1, seed: 'nordwind-demo' });
    expect(snapshot.entries.length).toBeGreaterThan(0);
    expect(snapshot.experiments.length).toBeGreaterThan(0);
    // Nothing the decision does not need: no overrides, no content.
    expect(JSON.stringify(snapshot)).not.toMatch(/"overrides"|"headline"|"title"/);
    const again = await getSnapshot({
      Authorization: `Bearer ${token}`,
      'If-None-Match': response.headers.etag,
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('changes version at once when a write changes decisions, and only then', async () => {
    const before = await snapshotWith(token);
    expect((await snapshotWith(token)).version).toBe(before.version);
    const persona = await admin.post('/personas', {
      slug: 'edge-night-owl',
      name: 'Night owl',
      rule: { '>=': [{ var: 'now.hour' }, 22] },
    });
    expect(persona.status).toBe(201);
    const started = Date.now();
    const after = await snapshotWith(token);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(after.version).not.toBe(before.version);
    expect(after.personas.find((item) => item.slug === 'edge-night-owl')?.rule).toEqual({
      '>=': [{ var: 'now.hour' }, 22],
    });
    expect((await admin.delete(`/personas/${persona.body.data.documentId}`)).status).toBe(200);
    expect((await snapshotWith(token)).version).toBe(before.version);
  });
  it('has one version for the same data, however the registry was filled', async () => {
    const snapshot = await snapshotWith(token);
    const entry = snapshot.entries.find((item) => item.targetUid === ARTICLE);
    if (!entry) throw new Error('the demo has variants of articles');
    // A variant published now is appended to its entry's list; a full reload reads them all.
    const created = await admin.post('/variants', {
      name: 'Appended',
      targetUid: entry.targetUid,
      targetDocumentId: entry.targetDocumentId,
      locale: entry.locale,
      priority: -5,
      overrides: { title: 'Appended' },
    });
    expect(created.body.error).toBeUndefined();
    expect(created.status).toBe(201);
    expect((await admin.post(`/variants/${created.body.data.documentId}/publish`)).status).toBe(
      200
    );
    const appended = await snapshotWith(token);
    expect(appended.version).not.toBe(snapshot.version);
    await app.strapi.plugin('personalize').service('registryLoader').reloadAll();
    expect((await snapshotWith(token)).version).toBe(appended.version);
    expect((await admin.delete(`/variants/${created.body.data.documentId}`)).status).toBe(200);
    expect((await snapshotWith(token)).version).toBe(snapshot.version);
  });
});

/** mulberry32: the same contexts on every run. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The literals and `var` paths the snapshot's rules use: contexts made of them match rules. */
const vocabulary = (snapshot: Snapshot) => {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const paths = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') strings.add(node);
    else if (typeof node === 'number') numbers.add(node);
    else if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      for (const [op, args] of Object.entries(node)) {
        if (op === 'var') {
          const path = Array.isArray(args) ? args[0] : args;
          if (typeof path === 'string') paths.add(path);
        }
        visit(args);
      }
    }
  };
  for (const item of [
    ...snapshot.personas,
    ...snapshot.stages,
    ...snapshot.entries.flatMap((entry) => entry.variants),
  ])
    visit(item.rule);
  snapshot.experiments.forEach((experiment) => visit(experiment.audience));
  return { strings: [...strings], numbers: [...numbers], paths: [...paths] };
};

describe('the edge decider against POST /api/personalize/decide', () => {
  it('decides 5,000 generated contexts exactly as the origin does', async () => {
    const snapshot = await snapshotWith(token);
    const random = prng(19);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const chance = (p: number) => random() < p;
    const words = vocabulary(snapshot);
    const countries = words.strings.filter((word) => /^[A-Z]{2}$/.test(word));
    const traitNames = words.paths
      .filter((path) => path.startsWith('traits.'))
      .map((path) => path.slice('traits.'.length));
    const articles = (
      await app.strapi.documents(ARTICLE).findMany({ fields: ['documentId'], status: 'published' })
    ).map((article) => article.documentId);
    const targets: Pick<EdgeDecideRequest, 'targetUid' | 'targetDocumentId'>[] = [
      ...snapshot.entries.map((entry) => ({
        targetUid: entry.targetUid,
        targetDocumentId: entry.targetDocumentId,
      })),
      ...snapshot.experiments.map((experiment) => ({
        targetUid: experiment.targetUid,
        targetDocumentId: experiment.targetDocumentId,
      })),
      ...articles
        .slice(0, 5)
        .map((documentId) => ({ targetUid: 'articles', targetDocumentId: documentId })),
    ].filter(
      (target) => target.targetUid !== ARTICLE || articles.includes(target.targetDocumentId ?? '')
    );
    const consents = [
      undefined,
      { analytics: false },
      { personalization: false },
      { personalization: false, analytics: false },
      { personalization: true },
    ];

    const contextOf = (i: number) => {
      const context: Record<string, unknown> = {};
      if (chance(0.7)) context.visitorId = `edge-${i}`;
      if (chance(0.15)) context.persona = chance(0.9) ? pick(snapshot.personas).slug : 'nobody';
      if (chance(0.15)) context.stage = pick(snapshot.stages).slug;
      if (chance(0.5)) context.visits = Math.floor(random() * 8);
      if (chance(0.4)) context.pageViews = Math.floor(random() * 12);
      if (chance(0.5)) {
        context.events = words.strings.filter(() => chance(0.1)).slice(0, 10);
      }
      if (chance(0.4)) {
        context.utm = { source: pick(words.strings), campaign: pick(words.strings) };
      }
      if (chance(0.4) && countries.length > 0) context.geo = { country: pick(countries) };
      if (chance(0.5)) context.device = pick(DEVICES);
      if (chance(0.3)) context.locale = pick(['de-DE', 'en', 'en-GB']);
      if (chance(0.5) && traitNames.length > 0) {
        context.traits = Object.fromEntries(
          traitNames
            .filter(() => chance(0.6))
            .map((name) => [
              name,
              chance(0.4)
                ? pick(words.numbers.length > 0 ? words.numbers : [1])
                : chance(0.5)
                  ? words.strings.filter(() => chance(0.1)).slice(0, 5)
                  : chance(0.5)
                    ? pick(words.strings)
                    : chance(0.5),
            ])
        );
      }
      const consent = pick(consents);
      if (consent) context.consent = consent;
      if (chance(0.8)) {
        context.now = {
          hour: Math.floor(random() * 24),
          weekday: Math.floor(random() * 7),
          date: '2026-12-03',
        };
      }
      return context;
    };

    const requests = Array.from(
      { length: 5_000 },
      (_, i): EdgeDecideRequest => ({
        ...pick(targets),
        ...(chance(0.5) ? { locale: pick(['en', 'de']) } : {}),
        ...(chance(0.05) ? {} : { context: contextOf(i) }),
        track: false,
      })
    );

    const mismatches: unknown[] = [];
    const reasons = new Map<string, number>();
    let atOrigin = 0;
    const decideOne = async (request: EdgeDecideRequest) => {
      if (originReason(snapshot, request) !== null) {
        atOrigin++;
        return;
      }
      const response = await app
        .http()
        .post('/api/personalize/decide')
        .set('User-Agent', USER_AGENT)
        .send(request);
      const local = decide(snapshot, request, { userAgent: USER_AGENT });
      reasons.set(local.reason, (reasons.get(local.reason) ?? 0) + 1);
      if (response.status !== 200 || JSON.stringify(response.body.data) !== JSON.stringify(local)) {
        mismatches.push({ request, origin: response.body, edge: local });
      }
    };
    // A few at a time: the same load a page of reads makes.
    for (let i = 0; i < requests.length; i += 8) {
      await Promise.all(requests.slice(i, i + 8).map(decideOne));
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(mismatches).toHaveLength(0);
    // The contexts reach every kind of decision, and most are decided at the edge.
    expect(atOrigin).toBeLessThan(1_000);
    for (const reason of ['default', 'persona', 'holdout', 'experiment']) {
      expect(reasons.get(reason) ?? 0).toBeGreaterThan(0);
    }
    // The snapshot did not change while the origin decided.
    expect((await snapshotWith(token)).version).toBe(snapshot.version);
  }, 180_000);
});

describe('decisions made at the edge in reach and impact', () => {
  it('are recorded exactly as the origin records the same decisions', async () => {
    const snapshot = await snapshotWith(token);
    expect(snapshot.holdout?.share).toBeGreaterThan(0);
    const random = prng(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const consents = [undefined, { analytics: false }, { personalization: false }];
    // One visitor per request: the impact report keeps each visitor's first decision of a day.
    const requests = Array.from({ length: 400 }, (_, i): EdgeDecideRequest => {
      const entry = pick(snapshot.entries);
      const consent = pick(consents);
      return {
        targetUid: entry.targetUid,
        targetDocumentId: entry.targetDocumentId,
        locale: entry.locale,
        context: {
          visitorId: `reach-${i}`,
          ...(random() < 0.6 ? { persona: pick(snapshot.personas).slug } : {}),
          ...(random() < 0.4 ? { stage: pick(snapshot.stages).slug } : {}),
          ...(consent ? { consent } : {}),
        },
      };
    }).filter((request) => originReason(snapshot, request) === null);
    const events = app.strapi.plugin('personalize').service('events');
    const db = () => app.strapi.db.connection;
    /** What both tables hold, without ids, times and days (a run may cross midnight). */
    const recorded = async () => {
      await events.flushImpact();
      const impact = await db()(IMPACT_EXPOSURES_TABLE)
        .select('visitor_hash', 'population', 'persona', 'stage')
        .orderBy('visitor_hash');
      const reach = await db()(VARIANT_REACH_TABLE)
        .select('variant', 'visitor_hash')
        .orderBy(['variant', 'visitor_hash']);
      await db()(IMPACT_EXPOSURES_TABLE).delete();
      await db()(VARIANT_REACH_TABLE).delete();
      events.forgetImpact();
      return { impact, reach };
    };
    await recorded();

    for (let i = 0; i < requests.length; i += 8) {
      await Promise.all(
        requests.slice(i, i + 8).map(async (request) => {
          const response = await app
            .http()
            .post('/api/personalize/decide')
            .set('User-Agent', USER_AGENT)
            .send(request);
          expect(response.status).toBe(200);
        })
      );
    }
    const atOrigin = await recorded();

    const decisions = requests.flatMap((request) =>
      decideWithEvents(snapshot, request, { userAgent: USER_AGENT }).events.filter(
        (event) => event.type === 'decision'
      )
    );
    const sent = await app.http().post('/api/personalize/events').send({ events: decisions });
    expect(sent.status).toBe(200);
    expect(sent.body.data).toEqual({ accepted: decisions.length, duplicates: 0, rejected: [] });
    const atEdge = await recorded();

    expect(atEdge).toEqual(atOrigin);
    // Both populations, and variants reached: the comparison is not of empty tables.
    const populations = new Set(
      atOrigin.impact.map((row: { population: string }) => row.population)
    );
    expect([...populations].sort()).toEqual(['holdout', 'personalized']);
    expect(atOrigin.reach.length).toBeGreaterThan(20);
  }, 120_000);

  it('refuses a variant that is not published for the entry, or served to a held-out visitor', async () => {
    const snapshot = await snapshotWith(token);
    const entry = snapshot.entries.find((item) => item.variants.length > 0);
    if (!entry) throw new Error('the demo has no published variant');
    const holdout = snapshot.holdout as { share: number; seed: string };
    const ids = Array.from({ length: 100 }, (_, i) => `refused-${i}`);
    const heldOut = ids.find((id) => inHoldout(holdout, id)) as string;
    const served = ids.find((id) => !inHoldout(holdout, id)) as string;
    const decision = (
      visitorId: string,
      variant: string | null,
      persona: string | null = null
    ) => ({
      type: 'decision',
      visitorId,
      target: { uid: entry.targetUid, documentId: entry.targetDocumentId },
      locale: entry.locale,
      variant,
      persona,
      stage: null,
    });
    const response = await app
      .http()
      .post('/api/personalize/events')
      .send({
        events: [
          decision(served, entry.variants[0].documentId),
          decision(served, 'not-a-variant'),
          decision(heldOut, entry.variants[0].documentId),
          decision(served, null, 'nobody'),
          { ...decision(served, null), locale: 123 },
        ],
      });
    expect(response.status).toBe(200);
    expect(response.body.data.accepted).toBe(1);
    expect(response.body.data.rejected).toEqual([
      {
        index: 1,
        error: 'the variant "not-a-variant" is not published for that entry and locale',
      },
      { index: 2, error: 'the visitor is in the holdout: no variant is served to them' },
      { index: 3, error: 'no persona has the slug "nobody"' },
      { index: 4, error: expect.stringContaining('locale') },
    ]);
  });
});
