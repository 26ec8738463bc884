import type { Page } from 'playwright-core';

import { logIn, screenshot, useAdminSession } from '../helpers/browser';

const ARTICLE = 'api::article.article';

const session = useAdminSession();

beforeAll(() => logIn(session.page, session.app.url));

describe('an A/B tester runs an experiment', () => {
  it('creates an experiment from the panel of an entry, starts it and opens its results', async () => {
    const { page, app } = session;
    const article = await app.strapi
      .documents(ARTICLE)
      .findFirst({ locale: 'en', filters: { slug: 'aurora-ev-range' } } as never);
    await page.goto(
      `${app.url}/admin/content-manager/collection-types/${ARTICLE}/${article!.documentId}?plugins[i18n][locale]=en`
    );
    await page.getByRole('link', { name: 'New experiment' }).click();
    await page.waitForURL(/\/plugins\/personalize\/experiments\/new\?/);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Fact tone');
    await page.getByRole('textbox', { name: /^Goal/ }).fill('test_drive_booked');
    await page.getByRole('combobox', { name: 'Content' }).nth(1).click();
    await page.getByRole('option', { name: 'Aurora EV: fact seeker' }).click();
    await screenshot(page, 'experiments-01-form');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/plugins\/personalize\/experiments\/(?!new)[a-z0-9]+$/);

    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Running').first().waitFor();
    const stored = await app.strapi
      .documents('plugin::personalize.experiment')
      .findFirst({ filters: { name: 'Fact tone' } });
    expect(stored).toMatchObject({
      status: 'running',
      goal: 'test_drive_booked',
      targetDocumentId: article!.documentId,
      locale: 'en',
    });
    const variant = await app.strapi
      .documents('plugin::personalize.variant')
      .findFirst({ locale: 'en', filters: { name: 'Aurora EV: fact seeker' } } as never);
    expect(stored?.arms).toEqual([
      { key: 'control', variant: null, weight: 0.5 },
      { key: 'b', variant: variant!.documentId, weight: 0.5 },
    ]);

    // A visitor is served an arm and exposed; the results page shows it.
    const served = await app
      .http()
      .get(`/api/personalize/content/articles/${article!.documentId}`)
      .set('X-Personalize-Context', JSON.stringify({ visitorId: 'e2e-visitor' }));
    expect(served.body.meta.personalization.experiment.key).toBe(stored!.key);

    await page.getByRole('link', { name: 'Results' }).click();
    await page.waitForURL(/\/experiments\/[a-z0-9]+\/results$/);
    const results = page.getByTestId('experiment-results');
    await results.getByText('Chance to beat control').waitFor();
    await results.getByRole('gridcell', { name: '1', exact: true }).first().waitFor();
    await screenshot(page, 'experiments-02-results');
  });

  it('lists the demo experiment in the Experiments menu and shows its results and charts', async () => {
    const { page, app } = session;
    await page.goto(`${app.url}/admin/plugins/personalize/experiments`);
    await page.getByText('Homepage CTA: test drive or personal offer').click();
    await page.waitForURL(/\/results$/);
    const results = page.getByTestId('experiment-results');
    // The arm appears in the statistics and in where the events came from.
    await results.getByRole('gridcell', { name: 'personal-offer' }).first().waitFor();
    // Two recharts charts: the rates with intervals and the daily cumulative lines.
    await expect(results.locator('.recharts-wrapper').count()).resolves.toBe(2);
    await expect(results.locator('.recharts-bar-rectangle').count()).resolves.toBe(2);
    await expect(results.locator('.recharts-errorBar').count()).resolves.toBe(2);
    await expect(results.locator('.recharts-line').count()).resolves.toBe(2);
    await results.getByRole('button', { name: 'Compute' }).click();
    await results.getByText(/visitors per arm/).waitFor();
    await screenshot(page, 'experiments-03-demo-results');
  });
});

describe('an A/B tester checks where the events came from', () => {
  it('sees a rigged arm flagged, counts only backend conversions, in English and German', async () => {
    const { page, app } = session;
    const stored = await app.strapi
      .documents('plugin::personalize.experiment')
      .findFirst({ filters: { name: 'Fact tone' } });
    const article = stored!.targetDocumentId as string;
    // One address (this test's) asks for 40 visitors' decisions and converts those in arm b.
    const arms = new Map<string, string>();
    for (let i = 0; i < 40; i += 1) {
      const decision = await app
        .http()
        .post('/api/personalize/decide')
        .send({
          targetUid: ARTICLE,
          targetDocumentId: article,
          context: { visitorId: `rig-${i}` },
        });
      // The demo's holdout keeps some visitors out of every experiment.
      if (decision.body.data.experiment) arms.set(`rig-${i}`, decision.body.data.experiment.arm);
    }
    const rigged = [...arms].filter(([, arm]) => arm === 'b').map(([visitorId]) => visitorId);
    const sent = await app
      .http()
      .post('/api/personalize/events')
      .send({
        events: rigged.map((visitorId) => ({ type: 'conversion', goal: stored!.goal, visitorId })),
      });
    expect(sent.body.data.accepted).toBe(rigged.length);

    await page.goto(
      `${app.url}/admin/plugins/personalize/experiments/${stored!.documentId}/results`
    );
    const sources = page.getByTestId('experiment-sources');
    await sources
      .getByText(/Arm b: one address sent/)
      .first()
      .waitFor();
    await sources.getByText(/conversions arrived within the minute/).waitFor();
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 1000 });
      await sources.scrollIntoViewIfNeeded();
      await screenshot(page, `experiments-04-sources-en-${width}`);
    }

    // Backend only: the browser's conversions no longer count.
    const toggle = { name: 'Count only conversions your backend sent' };
    await sources.getByRole('checkbox', toggle).click();
    // The results load again; then the switch is on.
    await page
      .getByTestId('experiment-sources')
      .getByRole('checkbox', { ...toggle, checked: true })
      .waitFor();
    const armRow = page
      .getByTestId('experiment-results')
      .getByRole('grid')
      .first()
      .getByRole('row')
      .filter({ has: page.getByRole('gridcell', { name: 'b', exact: true }) });
    // Arm, content, weight, visitors, conversions: arm b has no backend conversion.
    await expect(armRow.getByRole('gridcell').nth(4).textContent()).resolves.toBe('0');
    await sources.scrollIntoViewIfNeeded();
    await screenshot(page, 'experiments-06-sources-backend-only');
    await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'de'));
    await page.reload();
    const german = page.getByTestId('experiment-sources');
    await german.getByText('Woher die Ereignisse kommen').waitFor();
    await german
      .getByText(/Variante b: Eine einzige Adresse hat/)
      .first()
      .waitFor();
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 1000 });
      await german.scrollIntoViewIfNeeded();
      await screenshot(page, `experiments-05-sources-de-${width}`);
    }
    await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'en'));
    await page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('experiment pages name the entry and load what they show once', () => {
  /** The results requests the page sends, counted from here on. */
  const countResultsRequests = (page: Page) => {
    const seen: string[] = [];
    page.on('request', (request) => {
      // The admin API's route, not the page's own URL (/admin/plugins/personalize/…).
      if (/^\/personalize\/experiments\/[^/]+\/results$/.test(new URL(request.url()).pathname)) {
        seen.push(request.url());
      }
    });
    return seen;
  };

  it('lists experiments and variants with the entry’s title and type, not its uid and id', async () => {
    const { page, app } = session;
    const article = await app.strapi
      .documents(ARTICLE)
      .findFirst({ locale: 'en', filters: { slug: 'aurora-ev-range' } } as never);
    await page.goto(`${app.url}/admin/plugins/personalize/experiments`);
    const factTone = page.getByRole('row').filter({ hasText: 'Fact tone' });
    await factTone.getByText(article!.title as string).waitFor();
    await factTone.getByText('Article', { exact: true }).waitFor();
    const list = await page.locator('main').textContent();
    expect(list).not.toContain('api::');
    expect(list).not.toContain(article!.documentId);

    await page.goto(`${app.url}/admin/plugins/personalize`);
    const variant = page.getByRole('row').filter({ hasText: 'Aurora EV: fact seeker' }).first();
    await variant.getByText(article!.title as string).waitFor();
    // The persona by its name, and the status as the Content Manager shows it.
    await variant.getByText('Fact seeker', { exact: true }).waitFor();
    await variant.getByRole('status').first().waitFor();
    expect(await page.locator('main').textContent()).not.toContain('api::');
  });

  it('asks for the results once, and again only when a lifecycle action changed them', async () => {
    const { page, app } = session;
    const stored = await app.strapi
      .documents('plugin::personalize.experiment')
      .findFirst({ filters: { name: 'Fact tone' } });
    const results = countResultsRequests(page);
    await page.goto(
      `${app.url}/admin/plugins/personalize/experiments/${stored!.documentId}/results`
    );
    const view = page.getByTestId('experiment-results');
    await view.getByText('Chance to beat control').waitFor();
    await page.waitForLoadState('networkidle');
    expect(results).toHaveLength(1);
    // The entry by its title in the header.
    await page.getByText('Aurora EV: 540 km of range for real life').first().waitFor();

    // Pausing refreshes the experiment and its results through the cache, without a reload.
    const refreshed = page.waitForResponse((response) =>
      /^\/personalize\/experiments\/[^/]+\/results$/.test(new URL(response.url()).pathname)
    );
    await view.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await refreshed;
    await view.getByRole('status', { name: 'Paused' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(results).toHaveLength(2);

    await view.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await view.getByRole('status', { name: 'Running' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(results).toHaveLength(3);
  });

  it('draws the list, an editor and a results page at 1280 and 1440 px in English and German', async () => {
    const { page, app } = session;
    const stored = await app.strapi
      .documents('plugin::personalize.experiment')
      .findFirst({ filters: { key: 'homepage-cta' } });
    const base = `${app.url}/admin/plugins/personalize/experiments`;
    const pages = [
      ['list', base, 'Homepage CTA: test drive or personal offer'],
      ['editor', `${base}/${stored!.documentId}`, 'Homepage CTA: test drive or personal offer'],
      ['results', `${base}/${stored!.documentId}/results`, 'personal-offer'],
    ] as const;
    try {
      for (const language of ['en', 'de'] as const) {
        await page.evaluate(
          (value) => localStorage.setItem('strapi-admin-language', value),
          language
        );
        for (const [name, url, shown] of pages) {
          await page.goto(url);
          await page.getByText(shown).first().waitFor();
          await page.waitForLoadState('networkidle');
          for (const width of [1280, 1440]) {
            await page.setViewportSize({ width, height: 1000 });
            await screenshot(page, `experiments-07-${name}-${language}-${width}`);
          }
        }
      }
    } finally {
      await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'en'));
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  }, 180_000);
});
