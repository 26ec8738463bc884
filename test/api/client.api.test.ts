import {
  PersonalizeError,
  browserContext,
  createPersonalizeClient,
  rememberEvent,
  toQueryString,
} from '../../client/src';
import { profileContext, trackEvent, trackView } from '../../client/src/profiles';
import { contextFromRequest } from '../../client/src/server';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { MemoryStorage } from '../helpers/memory-storage';
import { systemAccess } from '../helpers/personalize';
import { startPlayground, type Playground } from '../helpers/playground';

// The frontend client (issue 6) against the real playground with the demo story: no mocks.

let app: Playground;

beforeAll(async () => {
  app = await startPlayground({ seed: true });
  // These tests are of the client, with visitor ids it draws at random: the demo's 10 % holdout
  // (test/api/holdout-impact.api.test.ts tests it) would keep some of them from the experiment.
  await app.strapi
    .plugin('personalize')
    .service('settings')
    .update(systemAccess(app), { holdout: { share: 0 } });
});

afterAll(() => app.stop());

const client = (options: Partial<Parameters<typeof createPersonalizeClient>[0]> = {}) =>
  createPersonalizeClient({ baseUrl: app.url, flushIntervalMs: 0, ...options });

describe('toQueryString', () => {
  it('writes nested objects and lists in the bracket notation Strapi reads', () => {
    expect(toQueryString({ populate: { cover: { fields: ['url'] } }, locale: 'de' })).toBe(
      'populate%5Bcover%5D%5Bfields%5D%5B0%5D=url&locale=de'
    );
  });
});

describe('reads', () => {
  it('getSingle personalizes the homepage for a context', async () => {
    const { data, personalization } = await client().getSingle<{ headline: string }>('homepage', {
      context: { persona: 'family' },
    });
    expect(data.headline).toBe('Room for everyone, and for the dog');
    expect(personalization).toMatchObject({ persona: 'family', reason: 'persona' });
  });

  it('getEntries passes core REST query parameters and returns one decision per entry', async () => {
    const { data, personalization, meta } = await client().getEntries<{ title: string }>(
      'articles',
      {
        locale: 'de',
        fields: ['title'],
        pagination: { pageSize: 2 },
        context: { persona: 'fact-seeker' },
      }
    );
    expect(data).toHaveLength(2);
    expect(Object.keys(data[0]).sort()).toEqual(['documentId', 'id', 'title']);
    expect(personalization).toHaveLength(2);
    expect(meta).toMatchObject({ pagination: { pageSize: 2 } });
    // Typed: core REST's pagination.
    const pageSize: number | undefined = meta.pagination?.pageSize;
    expect(pageSize).toBe(2);
    const segment: string | undefined = meta.segment;
    expect(segment).toMatch(/^(base|s[0-9a-f]{8})$/);
  });

  it('getEntry populates and personalizes one entry', async () => {
    const aurora = await app.strapi
      .documents('api::article.article')
      .findFirst({ locale: 'en', filters: { slug: 'aurora-ev-range' } } as never);
    const { data, personalization } = await client().getEntry<{
      summary: string;
      cover: { url: string };
    }>('articles', aurora!.documentId, {
      populate: { cover: { fields: ['url'] } },
      context: { persona: 'fact-seeker' },
    });
    expect(data.summary).toMatch(/^86 kWh/);
    expect(Object.keys(data.cover).sort()).toEqual(['documentId', 'id', 'url']);
    expect(personalization.variant?.name).toBe('Aurora EV: fact seeker');
  });

  it('decide returns the decision, with the experiment arm for a visitor in it', async () => {
    const decision = await client().decide({
      targetUid: 'api::homepage.homepage',
      locale: 'en',
      context: { visitorId: 'client-visitor', visits: 1 },
    });
    expect(decision.reason).toBe('experiment');
    expect(decision.experiment?.key).toBe('homepage-cta');
  });

  it("throws the HTTP status and Strapi's message", async () => {
    const notFound = client().getEntry('articles', 'no-such-document');
    await expect(notFound).rejects.toBeInstanceOf(PersonalizeError);
    await expect(notFound).rejects.toMatchObject({ status: 404 });
    await expect(client().getSingle('homepage', { context: { visits: -1 } })).rejects.toMatchObject(
      { status: 400, message: expect.stringMatching(/visits/) }
    );
  });
});

/**
 * A proxy in front of the playground that misbehaves as told: it answers 503 a number of times
 * first, answers an HTML page with 200 (a captive portal, a CDN's error page), or never answers.
 */
const startProxy = async () => {
  const state = { unavailable: 0, html: false, hang: false, requests: 0, methods: [] as string[] };
  const server: Server = createServer(async (incoming, outgoing) => {
    state.requests += 1;
    state.methods.push(incoming.method ?? '');
    if (state.hang) return;
    if (state.unavailable > 0) {
      state.unavailable -= 1;
      outgoing.writeHead(503, { 'Content-Type': 'text/html' }).end('<h1>Service Unavailable</h1>');
      return;
    }
    if (state.html) {
      outgoing
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<html>Sign in to the Wi-Fi</html>');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const answer = await fetch(`${app.url}${incoming.url}`, {
      method: incoming.method,
      headers: { 'Content-Type': 'application/json' },
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    outgoing
      .writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? '' })
      .end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

describe('robust reads', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    proxy = await startProxy();
  });
  afterAll(() => proxy.stop());
  beforeEach(() => Object.assign(proxy.state, { unavailable: 0, html: false, hang: false }));

  const viaProxy = (options: Partial<Parameters<typeof createPersonalizeClient>[0]> = {}) =>
    client({ baseUrl: proxy.url, ...options });

  it('tries a read again after a 503, and gives up after readRetries', async () => {
    proxy.state.unavailable = 2;
    const { data } = await viaProxy().getSingle<{ headline: string }>('homepage', {
      context: { persona: 'family' },
    });
    expect(data.headline).toBe('Room for everyone, and for the dog');

    proxy.state.unavailable = 5;
    proxy.state.requests = 0;
    const refused = viaProxy({ readRetries: 1 }).getSingle('homepage');
    await expect(refused).rejects.toMatchObject({
      name: 'PersonalizeError',
      status: 503,
      kind: 'http',
    });
    expect(proxy.state.requests).toBe(2);
  });

  it('says an HTML page is not the API, also when it comes with a 200', async () => {
    proxy.state.html = true;
    const read = viaProxy().getSingle('homepage');
    await expect(read).rejects.toBeInstanceOf(PersonalizeError);
    await expect(read).rejects.toMatchObject({
      kind: 'invalid-response',
      status: 200,
      message: expect.stringMatching(/text\/html, not the plugin's JSON/),
    });
  });

  it('rejects with a timeout within timeoutMs, and with aborted when the signal aborts', async () => {
    proxy.state.hang = true;
    const started = Date.now();
    await expect(viaProxy().getSingle('homepage', { timeoutMs: 300 })).rejects.toMatchObject({
      name: 'PersonalizeError',
      kind: 'timeout',
    });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_000);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = Date.now();
    await expect(
      viaProxy().decide({ targetUid: 'homepage' }, { signal: controller.signal })
    ).rejects.toMatchObject({ kind: 'aborted' });
    expect(Date.now() - aborted).toBeLessThan(1_000);
    // An already aborted signal does not even send.
    proxy.state.requests = 0;
    await expect(
      viaProxy().getEntries('articles', { signal: controller.signal })
    ).rejects.toMatchObject({ kind: 'aborted' });
    expect(proxy.state.requests).toBe(0);
  });

  it("sends a read whose URL Node would refuse (431) in the read's POST form", async () => {
    // 30 traits of 300 spaces: 9.5 KB of JSON (the server takes 16 KB), 27 KB URL-encoded.
    const traits = Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [`t${index}`, ' '.repeat(300)])
    );
    const context = { persona: 'family', traits };
    expect(JSON.stringify(context).length).toBeLessThan(16_384);
    // Sent in a URL, Node answers a bare 431 before Strapi reads it.
    const query = encodeURIComponent(JSON.stringify(context));
    const sent = await fetch(`${app.url}/api/personalize/content/homepage?context=${query}`);
    expect(sent.status).toBe(431);

    proxy.state.methods = [];
    const { data, personalization } = await viaProxy().getSingle<{ headline: string }>('homepage', {
      context,
      locale: 'en',
    });
    expect(data.headline).toBe('Room for everyone, and for the dog');
    expect(personalization).toMatchObject({ persona: 'family', reason: 'persona' });
    // A small context still goes in the URL (GET: cacheable, no preflight).
    await viaProxy().getSingle('homepage', { context: { persona: 'family' } });
    expect(proxy.state.methods).toEqual(['POST', 'GET']);
  });

  it('names an unknown type in its 404, decide takes the names the reads take, and typos do not compile', async () => {
    const unknownType = client().getSingle('homepages');
    await expect(unknownType).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/^Unknown content type "homepages"/),
    });
    await expect(client().getEntry('homepage', 'x')).rejects.toMatchObject({
      status: 404,
      message: '"homepage" is a single type: read it without an id',
    });
    const byName = await client().decide({ targetUid: 'homepage', context: { persona: 'family' } });
    const byUid = await client().decide({
      targetUid: 'api::homepage.homepage',
      context: { persona: 'family' },
    });
    expect(byName).toEqual(byUid);
    expect(byName.variant?.name).toBe('Homepage: family');
    // An option the client does not know is a type error (npm run typecheck), not a key sent
    // along and ignored.
    const typo = () =>
      // @ts-expect-error `contxt` is no option of a read
      client().getSingle('homepage', { contxt: { persona: 'family' } });
    expect(typo).toBeInstanceOf(Function);
    // Each kind of event has its own required fields.
    const exposureWithoutExperiment = () =>
      // @ts-expect-error an exposure names its experiment
      client().track({ type: 'exposure', visitorId: 'x' });
    expect(exposureWithoutExperiment).toBeInstanceOf(Function);
  });
});

describe('server-side helpers', () => {
  it("a page request's campaign link gets the fleet homepage", async () => {
    const request = new Request('https://shop.example/?utm_source=linkedin&utm_medium=linkedin', {
      headers: { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)' },
    });
    const context = contextFromRequest(request);
    expect(context).toMatchObject({ device: 'desktop', utm: { medium: 'linkedin' } });
    const { personalization } = await client().getSingle('homepage', { context });
    expect(personalization).toMatchObject({ persona: 'fleet', reason: expect.any(String) });
    expect(personalization.variant).not.toBeNull();
  });
});

describe('track in Node', () => {
  it('never keeps the process alive: a queued event waits for flush()', () => {
    // The built client, as an app installs it; its timer would fire after 5 s.
    const script = `
      const { createPersonalizeClient } = require(${JSON.stringify(path.resolve(__dirname, '../../dist/client/index.js'))});
      const client = createPersonalizeClient({ baseUrl: ${JSON.stringify(app.url)}, flushIntervalMs: 5000 });
      client.track({ type: 'conversion', goal: 'cta_click', visitorId: 'serverless' });
      console.log(client.queued);`;
    const started = Date.now();
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(run.stdout.trim()).toBe('1');
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('browser context', () => {
  const consent = { personalization: true, analytics: true };
  const homepage = async (context: Parameters<typeof browserContext>[0]) =>
    client().getSingle<{ headline: string }>('homepage', { context: browserContext(context) });

  it('a campaign link, a completed configurator and a second visit reach the rules', async () => {
    const storage = new MemoryStorage();
    const landing = {
      storage,
      consent,
      url: 'https://www.nordwind.example/?utm_source=newsletter&utm_campaign=family-suv',
      referrer: 'https://mail.example.com/',
      width: 800,
      now: Date.UTC(2026, 10, 25, 9),
    };
    // A first visit: classified, but served the homepage-cta experiment (audience `visits <= 1`).
    const first = await homepage(landing);
    expect(first.personalization).toMatchObject({
      persona: 'family',
      personaSource: 'rule',
      stage: 'awareness',
      reason: 'experiment',
    });

    // The next day, through the same campaign link: a second visit.
    const nextDay = { ...landing, now: landing.now + 86_400_000 };
    const second = await homepage(nextDay);
    expect(second.data.headline).toBe('Room for everyone, and for the dog');
    expect(second.personalization).toMatchObject({ persona: 'family', stage: 'consideration' });

    expect(rememberEvent('configurator_completed', { storage, consent })).toBe(true);
    const ready = await homepage(nextDay);
    expect(ready.data.headline).toBe('Book a test drive at a dealer near you');
    expect(ready.personalization).toMatchObject({ stage: 'purchase-intent' });
  });

  it('a first-time visitor who consented is in the experiment; without consent there is no arm', async () => {
    const url = 'https://www.nordwind.example/';
    const consented = await homepage({ storage: new MemoryStorage(), consent, url });
    expect(consented.personalization.experiment).toMatchObject({ key: 'homepage-cta' });
    const anonymous = await homepage({ storage: new MemoryStorage(), url });
    expect(anonymous.personalization.experiment).toBeUndefined();
    expect(anonymous.personalization.reason).toBe('default');
  });
});

describe('track', () => {
  const exposure = { type: 'exposure' as const, experiment: 'homepage-cta', visitorId: 'client-1' };

  it('sends queued events on flush, and a retry with the same ids counts nothing twice', async () => {
    const tracker = client();
    tracker.track([exposure, { type: 'conversion', goal: 'cta_click', visitorId: 'client-1' }]);
    expect(tracker.queued).toBe(2);
    expect(await tracker.flush()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    tracker.track({ ...exposure, id: 'fixed-id' });
    expect((await tracker.flush()).duplicates).toBe(1);
  });

  it('sends a batch as soon as it is full', async () => {
    const tracker = client({ batchSize: 2 });
    tracker.track({ ...exposure, visitorId: 'client-2' });
    expect(tracker.queued).toBe(1);
    tracker.track({ ...exposure, visitorId: 'client-3' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tracker.queued).toBe(0);
  });

  it('retries a batch after a network error with the same event ids', async () => {
    const bodies: string[] = [];
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      bodies.push(String(init?.body));
      calls += 1;
      if (calls === 1) throw new TypeError('network down');
      return fetch(input, init);
    };
    const tracker = client({ fetch: flaky });
    tracker.track({ ...exposure, visitorId: 'client-4' });
    expect((await tracker.flush()).accepted).toBe(1);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
  });

  it('sends nothing when the visitor refused analytics', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const tracker = client({ fetch: counting, consent: { analytics: false } });
    tracker.track({ ...exposure, visitorId: 'client-5' });
    expect(tracker.queued).toBe(0);
    await tracker.flush();
    expect(calls).toBe(0);
  });

  it('sends each event once, none lost, when batches are sent while more are queued', async () => {
    let sent = 0;
    const counting: typeof fetch = (input, init) => {
      sent += (JSON.parse(String(init?.body)) as { events: unknown[] }).events.length;
      return fetch(input, init);
    };
    const tracker = client({ batchSize: 5, fetch: counting });
    const events = Array.from({ length: 60 }, (_, index) => ({
      ...exposure,
      visitorId: `overlap-${index}`,
      id: `overlap-${index}`,
    }));
    // Full batches start sending while the next ones are queued.
    for (let start = 0; start < events.length; start += 5) {
      tracker.track(events.slice(start, start + 5));
      if (start % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await tracker.flush();
    expect(tracker.queued).toBe(0);
    expect(sent).toBe(60);
    // Every event was stored: sent again, each one is a duplicate.
    const again = client();
    again.track(events);
    expect(await again.flush()).toEqual({ accepted: 0, duplicates: 60, rejected: [] });
  });

  it('setConsent empties the queue on refusal, and close stops the timer', async () => {
    const tracker = client({ flushIntervalMs: 50 });
    tracker.track({ ...exposure, visitorId: 'client-6' });
    expect(tracker.queued).toBe(1);
    tracker.setConsent({ analytics: false });
    expect(tracker.queued).toBe(0);

    tracker.setConsent({ analytics: true });
    tracker.track({ ...exposure, visitorId: 'client-7' });
    tracker.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(tracker.queued).toBe(1); // the timer did not send it
    expect(await tracker.flush()).toMatchObject({ accepted: 1 });
  });
});

describe('visitor profiles', () => {
  it('a site that sends only profileContext() learns from trackView and trackEvent (/profiles)', async () => {
    const storage = new MemoryStorage();
    const consent = { personalization: true };
    const context = profileContext({ consent, storage });
    expect(Object.keys(context).sort()).toEqual(['consent', 'visitorId']);
    // The same id on the next page.
    expect(profileContext({ consent, storage }).visitorId).toBe(context.visitorId);
    const visitorId = context.visitorId as string;
    const articles = await app.http().get('/api/articles?locale=en');
    const bySlug = (slug: string) =>
      (articles.body.data as { slug: string; documentId: string }[]).find(
        (article) => article.slug === slug
      )?.documentId as string;
    const personalize = client({ consent });
    for (const slug of ['safety-ratings', 'child-seats']) {
      trackView(personalize, context, { uid: 'api::article.article', documentId: bySlug(slug) });
    }
    trackEvent(personalize, context, 'brochure_downloaded');
    expect(await personalize.flush()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    // A returning visit (decide tracks nothing here): the family homepage, from the profile.
    const decision = await personalize.decide({
      targetUid: 'homepage',
      context: { ...context, visits: 2 },
      track: false,
    });
    expect(decision).toMatchObject({
      persona: 'family',
      profile: { topInterest: 'safety', pageViews: 2 },
    });
    // Without consent to personalization nothing is queued, nor an id kept.
    const refused = client();
    const withoutConsent = { visitorId, consent: { personalization: false } };
    trackView(refused, withoutConsent);
    trackEvent(refused, withoutConsent, 'brochure_downloaded');
    expect(refused.queued).toBe(0);
    expect(profileContext({ consent: { personalization: false }, storage })).toEqual({
      consent: { personalization: false },
    });
    expect(storage.getItem('personalize:visitor')).toBeNull();
  });
});
