import type { Response } from 'supertest';

import { createApiToken, loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import {
  contextHeader,
  createPersona,
  createVariant,
  experimentBody,
  setPublicPermission,
  systemAccess,
} from '../helpers/personalize';

// A shared cache (a CDN) in front of the delivery must never give one visitor another segment's
// variant: every personalized response says which request headers it varies on, and whether a
// shared cache may keep it at all.

const ARTICLE = 'api::article.article';
const COUNTRY_HEADER = 'CF-IPCountry';
const MOBILE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0';

let app: Playground;
/** Articles whose variants depend on: the device, the country, the hour, a persona, an experiment. */
const articles: Record<'device' | 'country' | 'time' | 'persona' | 'experiment', string> = {
  device: '',
  country: '',
  time: '',
  persona: '',
  experiment: '',
};

const article = async (title: string) =>
  (await createEntry(app, ARTICLE, { locale: 'en', data: { title } })).documentId;

const variant = (target: string, name: string, body: Record<string, unknown>) =>
  createVariant(app, {
    name,
    targetUid: ARTICLE,
    targetDocumentId: target,
    locale: 'en',
    overrides: { title: name },
    ...body,
  });

beforeAll(async () => {
  app = await startPlayground({ env: { PERSONALIZE_COUNTRY_HEADER: COUNTRY_HEADER } });
  await createPersona(app, { name: 'Family', slug: 'family' });
  articles.device = await article('Device base');
  await variant(articles.device, 'Mobile title', { rule: { '==': [{ var: 'device' }, 'mobile'] } });
  articles.country = await article('Country base');
  await variant(articles.country, 'German title', {
    rule: { '==': [{ var: 'geo.country' }, 'DE'] },
  });
  articles.time = await article('Time base');
  await variant(articles.time, 'Morning title', { rule: { '<': [{ var: 'now.hour' }, 12] } });
  articles.persona = await article('Persona base');
  await variant(articles.persona, 'Family title', { persona: 'family' });
  articles.experiment = await article('Experiment base');
  const offer = await variant(articles.experiment, 'Offer title', { rule: false });
  const experiments = app.strapi.plugin('personalize').service('experiments');
  const created = await experiments.create(
    systemAccess(app),
    experimentBody(articles.experiment, offer.documentId as string)
  );
  await experiments.start(systemAccess(app), created.documentId);
});

afterAll(() => app.stop());

interface Visitor {
  userAgent: string;
  country?: string;
  context: Record<string, unknown>;
}

const deliver = (target: string, visitor: Visitor) => {
  const request = app
    .http()
    .get(`/api/personalize/content/articles/${target}`)
    .set('User-Agent', visitor.userAgent)
    .set(contextHeader(visitor.context));
  return visitor.country ? request.set(COUNTRY_HEADER, visitor.country) : request;
};

const varyOf = (response: Response) =>
  String(response.headers.vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);

describe('what a response varies on', () => {
  const desktop = { userAgent: DESKTOP_UA, context: {} };

  it('a device derived from the User-Agent: Vary: User-Agent, and private', async () => {
    const response = await deliver(articles.device, { userAgent: MOBILE_UA, context: {} });
    expect(response.body.data.title).toBe('Mobile title');
    expect(varyOf(response)).toEqual(
      expect.arrayContaining(['x-personalize-context', 'user-agent'])
    );
    expect(response.headers['cache-control']).toBe('private, no-store');
    // A device the frontend states: the context alone decides, and a CDN may keep it.
    const stated = await deliver(articles.device, {
      userAgent: DESKTOP_UA,
      context: { device: 'mobile' },
    });
    expect(stated.body.data.title).toBe('Mobile title');
    expect(varyOf(stated)).not.toContain('user-agent');
    expect(stated.headers['cache-control']).toBe('public, max-age=60');
  });

  it('a country from the CDN header: Vary on that header', async () => {
    const response = await deliver(articles.country, { ...desktop, country: 'DE' });
    expect(response.body.data.title).toBe('German title');
    expect(varyOf(response)).toContain(COUNTRY_HEADER.toLowerCase());
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('the server time: private, unless the frontend says what time it is', async () => {
    const response = await deliver(articles.time, desktop);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const stated = await deliver(articles.time, {
      ...desktop,
      context: { now: { hour: 9, weekday: 1, date: '2026-03-02' } },
    });
    expect(stated.body.data.title).toBe('Morning title');
    expect(stated.headers['cache-control']).toBe('public, max-age=60');
  });

  it('a visitor id an experiment buckets by: private', async () => {
    const response = await deliver(articles.experiment, {
      ...desktop,
      context: { visitorId: 'v-1' },
    });
    expect(response.body.meta.personalization.experiment).toBeDefined();
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('only the context: Vary on it alone, and public', async () => {
    const response = await deliver(articles.persona, {
      ...desktop,
      context: { persona: 'family' },
    });
    expect(response.body.data.title).toBe('Family title');
    expect(varyOf(response)).toContain('x-personalize-context');
    expect(varyOf(response)).not.toContain('user-agent');
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    // Credentials: never shared.
    const token = await createApiToken(app, await loginAdmin(app), 'read-only');
    const authenticated = await deliver(articles.persona, {
      ...desktop,
      context: { persona: 'family' },
    }).set('Authorization', `Bearer ${token}`);
    expect(authenticated.status).toBe(200);
    expect(authenticated.headers['cache-control']).toBe('private, no-store');
  });

  it("errors of the plugin's routes and of the drop-in say what they vary on too", async () => {
    const bad = await app
      .http()
      .get(`/api/personalize/content/articles/${articles.persona}`)
      .set('X-Personalize-Context', '{"visits": "many"}');
    expect(bad.status).toBe(400);
    expect(varyOf(bad)).toContain('x-personalize-context');
    expect(bad.headers['cache-control']).toBe('private, no-store');
    const missing = await app
      .http()
      .get('/api/personalize/content/articles/nope')
      .set(contextHeader({ persona: 'family' }));
    expect(missing.status).toBe(404);
    expect(varyOf(missing)).toContain('x-personalize-context');
    const decide = await app.http().post('/api/personalize/decide').send({ targetUid: 'nope' });
    expect(decide.status).toBe(400);
    expect(varyOf(decide)).toContain('x-personalize-context');
    const dropIn = await app
      .http()
      .get('/api/articles/nope')
      .set(contextHeader({ persona: 'family' }));
    expect(dropIn.status).toBe(404);
    expect(varyOf(dropIn)).toContain('x-personalize-context');
    expect(dropIn.headers['cache-control']).toBe('private, no-store');
    const dropInDevice = await app
      .http()
      .get(`/api/articles/${articles.device}`)
      .set('User-Agent', MOBILE_UA)
      .set(contextHeader({}));
    expect(dropInDevice.body.data.title).toBe('Mobile title');
    expect(varyOf(dropInDevice)).toContain('user-agent');
  });
});

describe('what the request alone decided, the plugin keeps until a write', () => {
  const desktop = { userAgent: DESKTOP_UA, context: { persona: 'family' } };
  /** The core read of `target` through the drop-in, with the desktop visitor's context. */
  const coreRead = (target: string) =>
    app.http().get(`/api/articles/${target}`).set(contextHeader(desktop.context));
  const decision = (target: string, context: Record<string, unknown>) =>
    app
      .http()
      .post('/api/personalize/decide')
      .send({ targetUid: 'articles', targetDocumentId: target, locale: 'en', context });
  /** Counts the decisions made (a kept answer is sent without one). */
  const decisions = () =>
    jest.spyOn(app.strapi.plugin('personalize').service('delivery'), 'personalize');
  const sameAnswer = (kept: Response, first: Response) => {
    expect(kept.status).toBe(200);
    expect(kept.body).toEqual(first.body);
    for (const header of ['cache-control', 'vary', 'x-personalize-segment', 'content-type']) {
      expect([header, kept.headers[header]]).toEqual([header, first.headers[header]]);
    }
  };

  /**
   * Two requests in a row (`again` identical to `first` as far as the answer goes), the second
   * answered with the kept answer, without a decision: returns the first. Retried a few
   * times, as a write's announcement or the registry's poll may empty the cache in between (a
   * write's aftermath, which is right).
   */
  const keptTwice = async (
    method: 'personalize' | 'decideFor',
    first: () => Promise<Response>,
    again = first
  ) => {
    const spy = jest.spyOn(app.strapi.plugin('personalize').service('delivery'), method);
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        const answer = await first();
        const decided = spy.mock.calls.length;
        const kept = await again();
        if (spy.mock.calls.length === decided) {
          sameAnswer(kept, answer);
          return answer;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error('the second of two identical requests was decided again every time');
    } finally {
      spy.mockRestore();
    }
  };

  afterEach(() => jest.restoreAllMocks());

  it('an identical request gets the same answer without a new decision, until a write', async () => {
    const target = await article('Kept base');
    // Another User-Agent: the decision read nothing but the context.
    const first = await keptTwice(
      'personalize',
      () => deliver(target, desktop),
      () => deliver(target, { ...desktop, userAgent: MOBILE_UA })
    );
    expect(first.body.data.title).toBe('Kept base');
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    // Through the drop-in too.
    const core = () => coreRead(target);
    expect((await keptTwice('personalize', core)).body.data.title).toBe('Kept base');

    // A write: the next answer is decided again, with the new variant.
    await variant(target, 'Kept family', { persona: 'family' });
    expect((await deliver(target, desktop)).body.data.title).toBe('Kept family');
    expect((await core()).body.data.title).toBe('Kept family');

    // A core read of another API than the first one the router mounted (its router's
    // `allowedMethods` comes in between): the drop-in serves it, and keeps its answer too.
    await createEntry(app, 'api::homepage.homepage', { locale: 'en', data: { headline: 'Hi' } });
    const home = () => app.http().get('/api/homepage').set(contextHeader(desktop.context));
    expect((await keptTwice('personalize', home)).body.data.headline).toBe('Hi');

    // A permission taken from the Public role is a write too: no kept answer outlives it.
    await keptTwice('personalize', core);
    await setPublicPermission(app, `${ARTICLE}.findOne`, false);
    try {
      expect((await deliver(target, desktop)).status).toBe(403);
      expect((await core()).status).toBe(403);
    } finally {
      await setPublicPermission(app, `${ARTICLE}.findOne`, true);
    }
  });

  it('a decision too: the same answer, still private, without a new decision', async () => {
    const target = await article('Kept decision');
    await variant(target, 'Decided family', { persona: 'family' });
    const decide = (context: Record<string, unknown>) => () => decision(target, context);
    const first = await keptTwice('decideFor', decide({ persona: 'family' }));
    expect(first.body.data.variant.name).toBe('Decided family');
    expect(first.headers['cache-control']).toBe('private, no-store');
    // Another body is another request; a visitor id is decided (and recorded) every time.
    expect((await decide({ persona: 'performance' })()).body.data.variant).toBeNull();
    const spy = jest.spyOn(app.strapi.plugin('personalize').service('delivery'), 'decideFor');
    await decide({ persona: 'family', visitorId: 'kept-2' })();
    await decide({ persona: 'family', visitorId: 'kept-2' })();
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('never an answer that records something, depends on the server or on credentials', async () => {
    const target = await article('Decided each time');
    await variant(target, 'Mobile kept?', { rule: { '==': [{ var: 'device' }, 'mobile'] } });
    const spy = decisions();
    const twice = async (visitor: Visitor, authorization?: string) => {
      for (let i = 0; i < 2; i++) {
        const request = deliver(target, visitor);
        const response = await (authorization
          ? request.set('Authorization', authorization)
          : request);
        expect(response.status).toBe(200);
      }
    };
    // A visitor id: its reach is recorded with every decision.
    await twice({ ...desktop, context: { persona: 'family', visitorId: 'kept-1' } });
    // The device derived from the User-Agent.
    await twice({ userAgent: MOBILE_UA, context: {} });
    // Credentials.
    const token = await createApiToken(app, await loginAdmin(app), 'read-only');
    await twice(desktop, `Bearer ${token}`);
    expect(spy).toHaveBeenCalledTimes(6);
  });

  it('a request with credentials never gets a kept answer: a bad token is still refused', async () => {
    const target = await article('Kept for the Public role');
    for (const [route, method, request] of [
      ['content', 'personalize', () => deliver(target, desktop)],
      ['drop-in', 'personalize', () => coreRead(target)],
      ['decide', 'decideFor', () => decision(target, {})],
    ] as const) {
      await keptTwice(method, request);
      const refused = await request().set('Authorization', 'Bearer not-a-token');
      expect([route, refused.status]).toEqual([route, 401]);
    }
  });
});

/**
 * A shared cache as a CDN configured to cache the API keeps it: by URL, then by the values of
 * the request headers a stored response's `Vary` names; it stores every successful GET unless
 * `Cache-Control` says private or no-store.
 */
class SharedCache {
  private stored = new Map<string, { vary: string[]; key: string; response: Response }[]>();
  hits = 0;

  private keyOf(vary: string[], headers: Record<string, string>) {
    return vary.map((name) => `${name}=${headers[name] ?? ''}`).join('|');
  }

  async get(url: string, headers: Record<string, string>, fetch: () => Promise<Response>) {
    const lower = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])
    );
    const hit = (this.stored.get(url) ?? []).find(
      (entry) => entry.key === this.keyOf(entry.vary, lower)
    );
    if (hit) {
      this.hits += 1;
      return hit.response;
    }
    const response = await fetch();
    const control = String(response.headers['cache-control'] ?? '');
    if (response.status === 200 && !/private|no-store/.test(control)) {
      const vary = varyOf(response);
      this.stored.set(url, [
        ...(this.stored.get(url) ?? []),
        { vary, key: this.keyOf(vary, lower), response },
      ]);
    }
    return response;
  }
}

/** mulberry32: a seeded PRNG, so a failure can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

it("behind a shared cache, 200 mixed visitors each get their own segment's content", async () => {
  const random = prng(20261202);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const cache = new SharedCache();
  const targets = Object.values(articles);
  for (let i = 0; i < 200; i += 1) {
    const context: Record<string, unknown> = {};
    if (random() < 0.4) context.persona = 'family';
    if (random() < 0.3) context.device = pick(['mobile', 'desktop']);
    if (random() < 0.3) context.visitorId = `visitor-${Math.floor(random() * 5)}`;
    if (random() < 0.2) context.now = { hour: pick([8, 20]), weekday: 2, date: '2026-03-03' };
    const visitor: Visitor = {
      userAgent: pick([MOBILE_UA, DESKTOP_UA]),
      country: pick(['DE', 'FR', undefined]),
      context,
    };
    const target = pick(targets);
    const url = `/api/personalize/content/articles/${target}`;
    const headers: Record<string, string> = {
      'X-Personalize-Context': JSON.stringify(context),
      'User-Agent': visitor.userAgent,
      ...(visitor.country ? { [COUNTRY_HEADER]: visitor.country } : {}),
    };
    const served = await cache.get(url, headers, () => deliver(target, visitor));
    // What the origin gives this very visitor.
    const own = await deliver(target, visitor);
    expect({
      i,
      title: served.body.data.title,
      segment: served.headers['x-personalize-segment'],
    }).toEqual({
      i,
      title: own.body.data.title,
      segment: own.headers['x-personalize-segment'],
    });
  }
  // The run must exercise the cache, or it proves nothing.
  expect(cache.hits).toBeGreaterThan(20);
});
