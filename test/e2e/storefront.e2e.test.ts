/**
 * The demo storefront (playground/public/storefront/) in Chromium: a visitor switches persona and
 * journey stage and sees the seeded variants; a CTA click is the experiment's conversion. Then the
 * same page served from another origin, against the playground's default CORS settings.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { launchBrowser, screenshot } from '../helpers/browser';
import { systemAccess } from '../helpers/personalize';
import { PLAYGROUND_DIR, startPlayground, type Playground } from '../helpers/playground';

const HEADLINES = {
  base: 'Cars that fit the life you live',
  family: 'Room for everyone, and for the dog',
  fleet: 'Lower running costs for your whole fleet',
  'fact-seeker': 'Aurora EV: 540 km WLTP, 10–80 % in 24 minutes, from €42,900',
  fleetReadyToOrder: 'Your fleet offer, ready in 48 hours',
} as const;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(() => browser?.close());

/** A new browser profile (empty localStorage) on the storefront. */
const openStorefront = async (url: string) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('requestfailed', (request) => problems.push(`${request.url()} failed`));
  await page.goto(url);
  await page.locator('body[data-ready]').waitFor();
  return { page, problems };
};

const headline = (page: Page, text: string) =>
  page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();

const applied = (page: Page, field: string) =>
  page.locator(`#applied [data-field="${field}"]`).textContent();

const heroFile = async (page: Page) =>
  path.basename(new URL((await page.locator('#hero-image').getAttribute('src'))!).pathname);

/** The conversions the playground stored for the demo experiment. */
const conversions = async (app: Playground) => {
  const experiment = await app.strapi
    .documents('plugin::personalize.experiment')
    .findFirst({ filters: { key: 'homepage-cta' } });
  return app.strapi.db
    .connection('personalize_conversions')
    .where({ experiment: experiment!.documentId, goal: 'cta_click' })
    .select('arm', 'visitor_hash', 'day');
};

describe('the storefront', () => {
  let app: Playground;

  beforeAll(async () => {
    app = await startPlayground({ seed: true });
    // The visitors here get random ids: the demo's 10 % holdout (test/e2e/impact.e2e.test.ts and
    // test/api/holdout-impact.api.test.ts test it) would keep some from every variant and arm.
    await app.strapi
      .plugin('personalize')
      .service('settings')
      .update(systemAccess(app), { holdout: { share: 0 } });
  });

  afterAll(() => app?.stop());

  it('shows each persona and journey stage its variant, and counts a CTA click', async () => {
    const { page, problems } = await openStorefront(`${app.url}/`);

    // No consent answer yet: the base content, nothing stored, no experiment.
    await headline(page, HEADLINES.base);
    expect(await heroFile(page)).toMatch(/^hero_default/);
    expect(await applied(page, 'experiment')).toBe('—');
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(await page.locator('#articles li').count()).toBe(5);
    await screenshot(page, 'storefront-01-first-visit');

    // Consent given: a first-time visitor without a persona is in the homepage-cta experiment.
    const before = await conversions(app);
    await page.getByRole('checkbox', { name: /Personalization/ }).check();
    await page.getByRole('checkbox', { name: /Analytics/ }).check();
    await page.locator('#applied [data-field="experiment"]', { hasText: 'homepage-cta' }).waitFor();
    const arm = (await applied(page, 'experiment'))!.split(': ')[1];
    const ctaLabel = arm === 'control' ? 'Book a test drive' : 'Get your personal offer';
    await page.getByRole('link', { name: ctaLabel }).click();
    await page.getByRole('status').getByText('Conversion counted.').waitFor();
    const after = await conversions(app);
    expect(after).toHaveLength(before.length + 1);
    const stored = after.find(
      (row) => !before.some((old) => old.visitor_hash === row.visitor_hash)
    );
    expect(stored).toMatchObject({ arm, day: new Date().toISOString().slice(0, 10) });
    await screenshot(page, 'storefront-02-experiment-conversion');

    // Three self-declared personas: their headline and hero image.
    const personas = [
      ['Buying for my family', 'family', HEADLINES.family, /^safety/],
      ['Managing a company fleet', 'fleet', HEADLINES.fleet, /^fleet/],
      ['After the facts', 'fact-seeker', HEADLINES['fact-seeker'], /^configurator/],
    ] as const;
    for (const [label, persona, text, hero] of personas) {
      await page.getByLabel('I am…').selectOption({ label });
      await headline(page, text);
      expect(await heroFile(page)).toMatch(hero);
      expect(await applied(page, 'persona')).toBe(`${persona} (explicit)`);
      expect(await applied(page, 'experiment')).toBe('—');
      await screenshot(page, `storefront-03-persona-${persona}`);
    }

    // A journey stage: the fleet manager completes the configurator.
    await page.getByLabel('I am…').selectOption({ label: 'Managing a company fleet' });
    await headline(page, HEADLINES.fleet);
    await page.getByRole('button', { name: 'Complete the configurator' }).click();
    await headline(page, HEADLINES.fleetReadyToOrder);
    expect(await heroFile(page)).toMatch(/^fleet/);
    expect(await applied(page, 'stage')).toBe('purchase-intent (rule)');
    expect(await applied(page, 'variant')).toBe('Homepage: fleet manager ready to order');
    await screenshot(page, 'storefront-04-stage-purchase-intent');

    // A returning visit is counted in this browser.
    await page.getByRole('button', { name: 'Come back tomorrow' }).click();
    await page.getByText(/visit 2$/).waitFor();

    // Consent to personalization withdrawn: the base content, and what was stored is erased.
    await page.getByRole('checkbox', { name: /Personalization/ }).uncheck();
    await headline(page, HEADLINES.base);
    expect(await applied(page, 'reason')).toBe('no-consent');
    expect(await page.evaluate(() => localStorage.getItem('personalize:visitor'))).toBeNull();
    await screenshot(page, 'storefront-05-consent-withdrawn');

    expect(problems).toEqual([]);
    await page.close();
  });

  it('remembers a visitor who sends only their id: two safety stories bring the family homepage', async () => {
    const { page, problems } = await openStorefront(`${app.url}/`);
    await page.getByRole('checkbox', { name: /Personalization/ }).check();
    await page.getByRole('checkbox', { name: /Let the server remember me/ }).check();
    const sent = async () =>
      JSON.parse((await page.locator('#context-json').textContent()) ?? '{}') as object;
    await page.locator('#context-json', { hasText: 'visitorId' }).waitFor({ state: 'attached' });
    // Only the id, the consent and the page's language: the server remembers the rest.
    expect(Object.keys(await sent()).sort()).toEqual(['consent', 'locale', 'visitorId']);
    const profileFact = (field: string) => page.locator(`#profile [data-field="${field}"]`);
    await page.getByRole('link', { name: 'Five stars for every seat' }).click();
    await page.getByText('Read: Five stars for every seat').waitFor();
    await profileFact('pageViews')
      .filter({ hasText: /^[3-9]$/ })
      .waitFor();
    expect(await profileFact('topInterest').textContent()).toBe('—');
    await page.getByRole('link', { name: 'Child seats done right' }).click();
    await headline(page, HEADLINES.family);
    expect(await profileFact('topInterest').textContent()).toBe('safety');
    expect(await applied(page, 'persona')).toBe('family (rule)');
    expect(await applied(page, 'variant')).toBe('Homepage: family');
    await screenshot(page, 'storefront-06-profile-family');
    // Still only the id was sent.
    expect(Object.keys(await sent()).sort()).toEqual(['consent', 'locale', 'visitorId']);
    expect(problems).toEqual([]);
    await page.close();
  });
});

/**
 * Serves playground/public/ on its own port, the storefront at `/` and the client's published ESM
 * build (dist/client/, made by `npm run build`) at `/client.mjs`: a site on another origin.
 */
const serveStorefront = async (): Promise<{ url: string; server: Server }> => {
  const root = path.join(PLAYGROUND_DIR, 'public');
  const client = readFileSync(path.resolve(__dirname, '../../dist/client/index.mjs'), 'utf8');
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.map': 'application/json',
  };
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/client.mjs') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(client);
      return;
    }
    if (pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const file = path.join(root, pathname === '/' ? 'storefront/index.html' : pathname);
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'text/plain' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
};

/** `fetch` from the page with the context in the `X-Personalize-Context` header (preflighted). */
const fetchWithContextHeader = (page: Page, api: string) =>
  page.evaluate(async (url) => {
    try {
      const response = await fetch(`${url}/api/personalize/content/homepage?locale=en`, {
        headers: { 'X-Personalize-Context': JSON.stringify({ persona: 'family' }) },
      });
      const body = await response.json();
      return {
        headline: body.data.headline,
        segment: response.headers.get('X-Personalize-Segment'),
      };
    } catch (error) {
      return { error: String(error) };
    }
  }, api);

describe('the storefront on another origin', () => {
  let storefront: { url: string; server: Server };

  beforeAll(async () => {
    storefront = await serveStorefront();
  });

  afterAll(() => new Promise((resolve) => storefront?.server.close(resolve)));

  it("works against Strapi's default CORS settings, where the context header does not", async () => {
    const app = await startPlayground({ seed: true });
    try {
      const { page, problems } = await openStorefront(`${storefront.url}/?api=${app.url}`);
      await headline(page, HEADLINES.base);
      await page.getByRole('checkbox', { name: /Personalization/ }).check();
      await page.getByRole('checkbox', { name: /Analytics/ }).check();
      await page
        .locator('#applied [data-field="experiment"]', { hasText: 'homepage-cta' })
        .waitFor();
      await page.locator('#cta').click();
      await page.getByRole('status').getByText('Conversion counted.').waitFor();
      await page.getByLabel('I am…').selectOption({ label: 'Buying for my family' });
      await headline(page, HEADLINES.family);
      expect(
        await page.locator('#hero-image').evaluate((image: HTMLImageElement) => image.naturalWidth)
      ).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await screenshot(page, 'storefront-06-cross-origin');

      // The reason the client sends the context as a query parameter: the preflight is refused.
      expect(await fetchWithContextHeader(page, app.url)).toEqual({
        error: 'TypeError: Failed to fetch',
      });
      await page.close();
    } finally {
      await app.stop();
    }
  });

  it('sends what the client queued with sendBeacon when the page is left', async () => {
    const app = await startPlayground({ seed: true });
    try {
      const { page } = await openStorefront(`${storefront.url}/?api=${app.url}`);
      const stored = async () => (await conversions(app)).length;
      const before = await stored();

      // The visitor is exposed by a delivery, then a conversion is queued but not flushed.
      const visitorId = 'leaves-the-page';
      // A string, not a function: jest's transform would rewrite the page's dynamic import().
      const queued = await page.evaluate(`(async () => {
        const { createPersonalizeClient } = await import('${storefront.url}/client.mjs');
        const client = createPersonalizeClient({ baseUrl: '${app.url}', flushIntervalMs: 60000 });
        const { personalization } = await client.getSingle('homepage', {
          context: { visitorId: '${visitorId}', visits: 1 },
        });
        client.track({ type: 'conversion', goal: 'cta_click', visitorId: '${visitorId}' });
        return { experiment: personalization.experiment?.key, queued: client.queued };
      })()`);
      expect(queued).toEqual({ experiment: 'homepage-cta', queued: 1 });
      await page.goto('about:blank'); // pagehide: the queue leaves with sendBeacon

      let after = before;
      for (let attempt = 0; attempt < 50 && after === before; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await stored();
      }
      expect(after).toBe(before + 1);
      await page.close();
    } finally {
      await app.stop();
    }
  });

  it('allows the context header with the documented strapi::cors setting', async () => {
    const app = await startPlayground({ seed: true, env: { CORS_ALLOW_CONTEXT_HEADER: 'true' } });
    try {
      const { page } = await openStorefront(`${storefront.url}/?api=${app.url}`);
      expect(await fetchWithContextHeader(page, app.url)).toEqual({
        headline: HEADLINES.family,
        segment: expect.stringMatching(/^s[0-9a-f]+$/),
      });
      await page.close();
    } finally {
      await app.stop();
    }
  });
});
