import { createApiToken, loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, createVariant, experimentBody } from '../helpers/personalize';

// Rigging an experiment from one place is expensive (one event budget per client address) and
// visible (where each arm's events came from), and trusted backends count the goals that matter.

const ARTICLE = 'api::article.article';
/** The smallest budget allowed (a full batch); requests carry their address in X-Forwarded-For (PROXY). */
const BUDGET = 500;

let app: Playground;
let admin: string;

let adminApi: PluginApi;

/** A running 50/50 experiment between an article and a variant with the same title. */
const flatExperiment = async (name: string) => {
  const article = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: name } }))
    .documentId;
  const offer = await createVariant(app, {
    name: `${name} offer`,
    targetUid: ARTICLE,
    targetDocumentId: article,
    locale: 'en',
    rule: false,
    overrides: { title: name },
  });
  const created = await adminApi.post(
    '/experiments',
    experimentBody(article, offer.documentId as string, { name, goal: `${name}_goal` })
  );
  expect(created.status).toBe(201);
  const id = created.body.data.documentId as string;
  expect((await adminApi.post(`/experiments/${id}/start`)).status).toBe(200);
  return { article, id, key: created.body.data.key as string, goal: `${name}_goal` };
};

const decide = (article: string, visitorId: string, address: string) =>
  app
    .http()
    .post('/api/personalize/decide')
    .set('X-Forwarded-For', address)
    .send({ targetUid: ARTICLE, targetDocumentId: article, locale: 'en', context: { visitorId } });

const sendEvents = (events: object[], address: string, token?: string) => {
  const request = app
    .http()
    .post('/api/personalize/events')
    .set('X-Forwarded-For', address)
    .send({ events });
  return token ? request.set('Authorization', `Bearer ${token}`) : request;
};

const results = async (id: string, query = '') => {
  const response = await adminApi.get(`/experiments/${id}/results${query}`);
  expect(response.status).toBe(200);
  return response.body.data;
};

interface ArmIntegrity {
  key: string;
  exposures: { events: number; top1PercentShare: number | null; dominated: boolean };
  conversions: { events: number; top1PercentShare: number | null; dominated: boolean };
  burst: { conversions: number; pValue: number } | null;
}

const armOf = (data: { integrity: { arms: ArmIntegrity[] } }, key: string) =>
  data.integrity.arms.find((arm) => arm.key === key) as ArmIntegrity;

beforeAll(async () => {
  app = await startPlayground({
    env: {
      PROXY: 'true',
      PERSONALIZE_EVENT_BUDGET: String(BUDGET),
      PERSONALIZE_EVENTS_RATE_LIMIT: '1000',
    },
  });
  admin = await loginAdmin(app);
  adminApi = pluginApi(app, admin);
});

afterAll(() => app.stop());

describe("the review's attack", () => {
  it('shows in the results: one address behind an arm, and a burst of conversions', async () => {
    const { article, id, goal } = await flatExperiment('rigged');
    // Honest traffic: 200 visitors from 100 addresses, in either arm; 8 of them convert (so
    // few that, arriving within the test's minute, they make no burst of their own).
    for (let i = 0; i < 200; i += 1) {
      expect((await decide(article, `honest-${i}`, `198.51.100.${i % 100}`)).status).toBe(200);
    }
    for (let i = 0; i < 200; i += 25) {
      expect(
        (
          await sendEvents(
            [{ type: 'conversion', goal, visitorId: `honest-${i}` }],
            `198.51.100.${i % 100}`
          )
        ).status
      ).toBe(200);
    }
    // The attacker: 151 ids from one address, then conversions for those in the arm it wants.
    const attacker = '203.0.113.66';
    const attackerArms = new Map<string, string>();
    for (let i = 0; i < 151; i += 1) {
      const response = await decide(article, `attack-${i}`, attacker);
      expect(response.status).toBe(200);
      attackerArms.set(`attack-${i}`, response.body.data.experiment.arm);
    }
    const chosen = [...attackerArms]
      .filter(([, arm]) => arm === 'offer')
      .map(([visitor]) => visitor);
    const converted = await sendEvents(
      chosen.map((visitorId) => ({ type: 'conversion', goal, visitorId })),
      attacker
    );
    expect(converted.status).toBe(200);
    expect(converted.body.data.accepted).toBe(chosen.length);

    const data = await results(id);
    const offer = armOf(data, 'offer');
    const control = armOf(data, 'control');
    expect(offer.conversions.dominated).toBe(true);
    expect(offer.conversions.top1PercentShare).toBeGreaterThan(0.8);
    expect(offer.exposures.dominated).toBe(true);
    // The burst's minute holds the attacker's conversions (and any honest ones of that minute).
    expect(offer.burst!.conversions).toBeGreaterThanOrEqual(chosen.length);
    expect(offer.burst!.pValue).toBeLessThan(1e-6);
    // The honest arm's conversions spread over many addresses.
    expect(control.conversions.dominated).toBe(false);
    expect(control.burst).toBeNull();
  });

  it('becomes expensive: past its budget an address gets content but records nothing', async () => {
    const { article, id, goal } = await flatExperiment('budget');
    const address = '203.0.113.99';
    let served = 0;
    for (let i = 0; i < BUDGET + 20; i += 1) {
      const response = await decide(article, `spender-${i}`, address);
      expect(response.status).toBe(200);
      if (response.body.data.experiment) served += 1;
    }
    expect(served).toBe(BUDGET + 20);
    const data = await results(id);
    expect(data.totalVisitors).toBe(BUDGET);
    expect(data.integrity.withheldExposures).toBe(20);
    // The delivery's content too: the page is served, the exposure is not recorded.
    const page = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .set('X-Forwarded-For', address)
      .set(contextHeader({ visitorId: 'spender-extra' }));
    expect(page.status).toBe(200);
    expect((await results(id)).integrity.withheldExposures).toBe(21);

    // The events route answers 429 with Retry-After, while another address is still welcome.
    const refused = await sendEvents(
      [{ type: 'conversion', goal, visitorId: 'spender-1' }],
      address
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.error.name).toBe('RateLimitError');
    expect(
      (await sendEvents([{ type: 'conversion', goal, visitorId: 'x' }], '198.51.100.250')).status
    ).toBe(200);

    // An API token that is not read-only (a backend, an SSR app) has no budget; a read-only one
    // (often shipped to browsers) does.
    const fullAccess = await createApiToken(app, admin, 'full-access');
    const readOnly = await createApiToken(app, admin, 'read-only');
    const backend = await sendEvents(
      [{ type: 'conversion', goal, visitorId: 'spender-1' }],
      address,
      fullAccess
    );
    expect(backend.status).toBe(200);
    expect(backend.body.data.accepted).toBe(1);
    expect(
      (await sendEvents([{ type: 'conversion', goal, visitorId: 'spender-2' }], address, readOnly))
        .status
    ).toBe(429);
    // The same address's IPv6 neighbours share the budget of their /64 network.
    for (const host of ['2001:db8:1:2::a', '2001:db8:1:2::b']) {
      expect((await decide(article, `v6-${host}`, host)).status).toBe(200);
    }
    await app.strapi.plugin('personalize').service('events').flush();
    const sources = await app.strapi.db
      .connection('personalize_exposures')
      .distinct('source')
      .whereIn('visitor_hash', [
        app.strapi.plugin('personalize').service('events').hashVisitor('v6-2001:db8:1:2::a'),
        app.strapi.plugin('personalize').service('events').hashVisitor('v6-2001:db8:1:2::b'),
      ]);
    expect(sources).toHaveLength(1);
    expect((await sendEvents([{ type: 'conversion', goal }], address, 'not-a-token')).status).toBe(
      401
    );
  });
});

describe('trusted conversions', () => {
  it('results can count only the conversions trusted backends sent', async () => {
    const { article, id, goal } = await flatExperiment('orders');
    for (let i = 0; i < 20; i += 1) await decide(article, `buyer-${i}`, `198.51.100.${i}`);
    const backend = await createApiToken(app, admin, 'full-access');
    // The shop's backend confirms 5 purchases; browsers report 15 more "purchases".
    const conversion = (i: number) => ({ type: 'conversion', goal, visitorId: `buyer-${i}` });
    const confirmed = await sendEvents(
      Array.from({ length: 5 }, (_, i) => conversion(i)),
      '10.0.0.5',
      backend
    );
    expect(confirmed.body.data.accepted).toBe(5);
    await sendEvents(
      Array.from({ length: 15 }, (_, i) => conversion(i + 5)),
      '198.51.100.201'
    );
    const sum = (data: { arms: { conversions: number }[] }) =>
      data.arms.reduce((total, arm) => total + arm.conversions, 0);
    const all = await results(id);
    expect(sum(all)).toBe(20);
    expect(all.integrity.conversionsCounted).toBe('all');
    const trusted = await results(id, '?conversions=trusted');
    expect(sum(trusted)).toBe(5);
    expect(trusted.integrity.conversionsCounted).toBe('trusted');
    expect((await adminApi.get(`/experiments/${id}/results?conversions=some`)).status).toBe(400);
  });
});

describe('API tokens', () => {
  it('exempt an SSR app from the budget, but what it delivers is not trusted: the visitor chose the id', async () => {
    const { article, id, goal } = await flatExperiment('ssr');
    const ssr = await createApiToken(app, admin, 'full-access');
    const ssrServer = '192.0.2.10';
    for (let i = 0; i < BUDGET + 10; i += 1) {
      const response = await app
        .http()
        .get(`/api/personalize/content/articles/${article}`)
        .set('X-Forwarded-For', ssrServer)
        .set('Authorization', `Bearer ${ssr}`)
        .set(contextHeader({ visitorId: `ssr-${i}` }));
      expect(response.status).toBe(200);
    }
    const data = await results(id);
    expect(data.totalVisitors).toBe(BUDGET + 10);
    expect(data.integrity.withheldExposures).toBe(0);
    // Recorded with the SSR server's source, not as trusted: one address behind every exposure.
    expect(armOf(data, 'control').exposures.dominated).toBe(true);
    expect(armOf(data, 'offer').exposures.dominated).toBe(true);
    expect(armOf(data, 'offer').exposures.events + armOf(data, 'control').exposures.events).toBe(
      BUDGET + 10
    );
    expect(goal).toBe('ssr_goal');
  });

  it('a backend confirming a conversion a browser reported first makes it trusted', async () => {
    const { article, id, goal } = await flatExperiment('confirmed');
    await decide(article, 'buyer', '198.51.100.30');
    const browser = await sendEvents(
      [{ type: 'conversion', goal, visitorId: 'buyer' }],
      '198.51.100.30'
    );
    expect(browser.body.data.accepted).toBe(1);
    const sum = (data: { arms: { conversions: number }[] }) =>
      data.arms.reduce((total, arm) => total + arm.conversions, 0);
    expect(sum(await results(id, '?conversions=trusted'))).toBe(0);
    const backend = await createApiToken(app, admin, 'full-access');
    const confirmed = await sendEvents(
      [{ type: 'conversion', goal, visitorId: 'buyer' }],
      '10.0.0.5',
      backend
    );
    expect(confirmed.body.data.duplicates).toBe(1);
    expect(sum(await results(id, '?conversions=trusted'))).toBe(1);
    expect(sum(await results(id))).toBe(1);
  });
});

describe('event times', () => {
  it('refuses events dated before the experiment started', async () => {
    const { article, key, goal } = await flatExperiment('timing');
    await decide(article, 'early-bird', '198.51.100.7');
    const before = Date.now() - 60 * 60_000;
    const response = await sendEvents(
      [
        { type: 'exposure', experiment: key, visitorId: 'early-2', timestamp: before },
        { type: 'conversion', goal, visitorId: 'early-bird', timestamp: before },
        { type: 'conversion', goal, visitorId: 'early-bird' },
      ],
      '198.51.100.7'
    );
    expect(response.status).toBe(200);
    expect(response.body.data.rejected).toEqual([
      { index: 0, error: expect.stringMatching(/before the experiment "timing" started/) },
      { index: 1, error: expect.stringMatching(/before the experiment "timing" started/) },
    ]);
    expect(response.body.data.accepted).toBe(1);
  });
});

describe('privacy', () => {
  it('stores a 6-digit daily hash prefix of the address, never the address, and retention deletes it', async () => {
    const { article } = await flatExperiment('privacy');
    await decide(article, 'private-1', '192.0.2.44');
    await app.strapi.plugin('personalize').service('events').flush();
    const knex = app.strapi.db.connection;
    const rows = (await knex('personalize_exposures').select('*')) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toMatch(/192\.0\.2\.44|203\.0\.113|198\.51\.100/);
      if (row.source !== null) expect(row.source).toMatch(/^[0-9a-f]{6}$/);
    }
    const withheld = await knex('personalize_withheld_exposures').count({ n: '*' });
    expect(Number(withheld[0].n)).toBeGreaterThan(0);
    // The retention job, a year from now: every event and withheld count of before is gone.
    const later = new Date(Date.now() + 365 * 24 * 60 * 60_000);
    await app.strapi.plugin('personalize').service('events').purgeExpired(later);
    for (const table of [
      'personalize_exposures',
      'personalize_conversions',
      'personalize_withheld_exposures',
    ]) {
      expect(Number((await knex(table).count({ n: '*' }))[0].n)).toBe(0);
    }
  });
});
