/**
 * What personalization adds, in the browser: the holdout in Settings, the overview's Impact tab
 * (personalized visitors against the holdout per goal, per persona and per stage, from the demo's
 * traffic), its empty state with the holdout off, and each variant's reach in the grid and the
 * Content Manager's side panel.
 */
import type { ImpactReport, Settings, VariantReach } from '../../admin/src/api/types';
import { loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { LAYOUTS, logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';

const ARTICLE = 'api::article.article';

const session = useAdminSession();

let api: PluginApi;

/**
 * Traffic with a holdout when the demo story has none: visitors read the homepage (each is
 * personalized or held out), and a third of them convert on `cta_click`.
 */
const ensureHoldoutTraffic = async () => {
  const report = (await api.get('/impact')).body.data as ImpactReport;
  if (report.goals.some((goal) => goal.goal === 'cta_click' && goal.holdout.visitors > 0)) return;
  expect((await api.put('/settings', { holdout: { share: 0.2 } })).status).toBe(200);
  const visitors = Array.from({ length: 150 }, (_, index) => `impact-e2e-${index}`);
  for (const visitorId of visitors) {
    const page = await session.app
      .http()
      .get('/api/personalize/content/homepage')
      .set('X-Personalize-Context', JSON.stringify({ visitorId, persona: 'family' }));
    expect(page.status).toBe(200);
  }
  const sent = await session.app
    .http()
    .post('/api/personalize/events')
    .send({
      events: visitors
        .filter((_, index) => index % 3 === 0)
        .map((visitorId) => ({ type: 'conversion', goal: 'cta_click', visitorId })),
    });
  expect(sent.status).toBeLessThan(300);
};

beforeAll(async () => {
  api = pluginApi(session.app, await loginAdmin(session.app));
  await ensureHoldoutTraffic();
  await logIn(session.page, session.app.url);
});

afterEach(() => setLanguage(session.page, 'en'));

/** Save on the settings page, once its request is answered. */
const saveSettings = async () => {
  const { page } = session;
  const saved = page.waitForResponse(
    (response) =>
      response.url().endsWith('/personalize/settings') && response.request().method() === 'PUT'
  );
  await page.getByRole('button', { name: 'Save' }).click();
  expect((await saved).status()).toBe(200);
};

const impactUrl = (query = '') => `${session.app.url}/admin/plugins/personalize/impact${query}`;

describe('the personalization impact page', () => {
  it('compares personalized visitors with the holdout per goal, persona and stage', async () => {
    const { page } = session;
    const report = (await api.get('/impact')).body.data as ImpactReport;
    const goal = report.goals.find((item) => item.goal === 'cta_click')!;
    expect(goal.holdout.visitors).toBeGreaterThan(0);
    expect(goal.personalized.visitors).toBeGreaterThan(goal.holdout.visitors);

    // From the overview, by its tab.
    await page.goto(`${session.app.url}/admin/plugins/personalize`);
    await page.getByRole('tab', { name: 'Impact' }).click();
    await page.waitForURL(/\/plugins\/personalize\/impact$/);
    const card = page.getByTestId('impact-goal-cta_click');
    await card.getByRole('heading', { name: 'Goal: cta_click' }).waitFor();

    // The rates and the visitors as the report has them, in the admin's format.
    const percent = (value: number) =>
      new Intl.NumberFormat('en', {
        style: 'percent',
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(value);
    await card.getByText(percent(goal.personalized.rate!), { exact: true }).waitFor();
    await card.getByText(percent(goal.holdout.rate!), { exact: true }).waitFor();
    await card
      .getByText(
        `${goal.holdout.visitors.toLocaleString('en')} visitors · ${goal.holdout.conversions.toLocaleString('en')} conversions`
      )
      .waitFor();
    await card.getByText(/^Sequential p-value: /).waitFor();
    await card.getByText(/^95 % interval: .+ pp … .+ pp$/).waitFor();
    // The daily chart: one line per population.
    await expect(card.locator('.recharts-line').count()).resolves.toBe(2);

    // Per persona and per stage: a row per segment of the report, named as the admin names it.
    const byPersona = page.getByTestId('impact-by-persona');
    const personaRows = report.byPersona.filter((row) => row.goal === 'cta_click');
    expect(personaRows.length).toBeGreaterThan(0);
    // Header row included; with several goals each goal has its rows.
    await expect(byPersona.getByRole('row').count()).resolves.toBe(report.byPersona.length + 1);
    if (personaRows.some((row) => row.slug === 'family')) {
      await byPersona
        .getByRole('gridcell', { name: 'Family buyer', exact: true })
        .first()
        .waitFor();
    }
    await page.getByTestId('impact-by-stage').getByRole('grid').waitFor();
    await page
      .getByTestId('impact-explanation')
      .getByText(/may check it every day/)
      .waitFor();

    // One goal at a time: the other goals' cards leave.
    await page.getByRole('combobox', { name: 'Goal' }).click();
    await page.getByRole('option', { name: 'cta_click' }).click();
    await page.waitForURL(/goal=cta_click/);
    await expect(page.locator('[data-testid^="impact-goal-"]').count()).resolves.toBe(1);
  });

  it('draws the page at 1280 and 1440 px in English and German', async () => {
    const { page } = session;
    try {
      for (const [language, width] of LAYOUTS) {
        await setLanguage(page, language);
        await page.setViewportSize({ width, height: 1000 });
        await page.goto(impactUrl('?goal=cta_click'));
        await page.getByTestId('impact-goal-cta_click').locator('.recharts-line').first().waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(page, `impact-01-report-${language}-${width}`);
        // The page scrolls inside the admin's layout: the tables below, in view.
        await page.getByTestId('impact-by-stage').scrollIntoViewIfNeeded();
        await screenshot(page, `impact-01-tables-${language}-${width}`);
      }
      // The German page says it in German.
      await page.getByRole('heading', { name: 'Wirkung der Personalisierung' }).waitFor();
      await page.getByText('Nach Journey-Phase').waitFor();
    } finally {
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  });
});

describe('variant reach', () => {
  it('shows the visitors each variant reached in the grid and in the side panel', async () => {
    const { page, app } = session;
    const article = await app.strapi
      .documents(ARTICLE)
      .findFirst({ locale: 'en', filters: { slug: 'aurora-ev-range' } } as never);
    const aurora = article!.documentId;
    // Fact seekers read the article: those not held out are served its fact-seeker variant.
    for (let index = 0; index < 12; index += 1) {
      const read = await app
        .http()
        .get(`/api/personalize/content/articles/${aurora}`)
        .set(
          'X-Personalize-Context',
          JSON.stringify({ visitorId: `reach-e2e-${index}`, persona: 'fact-seeker' })
        );
      expect(read.status).toBe(200);
    }
    const variants = (
      await api.get('/variants', { targetUid: ARTICLE, targetDocumentId: aurora, locale: 'en' })
    ).body.data as { documentId: string; name: string }[];
    const factSeeker = variants.find((variant) => variant.name === 'Aurora EV: fact seeker')!;
    const reach = (
      await api.get('/variants/reach', {
        targetUid: ARTICLE,
        documentIds: variants.map((variant) => variant.documentId),
      })
    ).body.data as VariantReach;
    expect(reach[factSeeker.documentId]).toBeGreaterThan(0);
    const expected = `${reach[factSeeker.documentId]} visitors in 30 days`;

    await page.goto(
      `${app.url}/admin/plugins/personalize/grid?targetUid=${ARTICLE}&targetDocumentId=${aurora}&locale=en`
    );
    await page
      .getByTestId('cell-fact-seeker-awareness')
      .getByTestId(`reach-${factSeeker.documentId}`)
      .filter({ hasText: expected })
      .waitFor();
    await screenshot(page, 'impact-02-grid-reach');
    // The homepage's grid (long variant names, a link per cell) fits 1280 px.
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(
      `${app.url}/admin/plugins/personalize/grid?targetUid=api::homepage.homepage&targetDocumentId=&locale=en`
    );
    await page
      .getByTestId('cell-fleet-purchase-intent')
      .getByText(/in 30 days$/)
      .waitFor();
    const overflow = await page
      .getByRole('grid')
      .evaluate((grid) => grid.parentElement!.scrollWidth - grid.parentElement!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'impact-02-grid-homepage-1280');
    await page.setViewportSize({ width: 1440, height: 1000 });

    await page.goto(
      `${app.url}/admin/content-manager/collection-types/${ARTICLE}/${aurora}?plugins[i18n][locale]=en`
    );
    await page
      .getByTestId('personalize-panel')
      .getByTestId(`reach-${factSeeker.documentId}`)
      .filter({ hasText: expected })
      .waitFor();
  });
});

describe('the holdout setting', () => {
  it('switches the holdout off (empty report) and on again, and draws a new holdout', async () => {
    const { page } = session;
    const before = (await api.get('/settings')).body.data as Settings;
    expect(before.holdout.share).toBeGreaterThan(0);
    const settingsUrl = `${session.app.url}/admin/settings/personalize/content-types`;
    await page.goto(settingsUrl);
    const holdout = page.getByTestId('holdout');
    const share = holdout.getByRole('textbox', { name: 'Visitors held out (%)' });
    await expect(share.inputValue()).resolves.toBe(String(before.holdout.share * 100));
    await expect(holdout.getByRole('textbox', { name: 'Seed' }).inputValue()).resolves.toBe(
      before.holdout.seed
    );
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 1000 });
      await screenshot(page, `impact-03-holdout-setting-en-${width}`);
    }

    // Off: 0 %, saved with the page.
    await share.fill('0');
    await saveSettings();
    const off = (await api.get('/settings')).body.data as Settings;
    expect(off.holdout).toEqual({ share: 0, seed: before.holdout.seed });

    // A range without any held-out visitor, with the holdout off: nothing to compare.
    await page.goto(impactUrl('?from=2020-01-01&to=2020-01-31'));
    const empty = page.getByTestId('impact-holdout-off');
    await empty.getByText(/The holdout is off/).waitFor();
    await screenshot(page, 'impact-04-holdout-off');
    await empty.getByRole('link', { name: 'Set up the holdout' }).click();
    await page.waitForURL(/\/settings\/personalize\/content-types$/);

    // On again at 5 %, then a new seed drawn (confirmed, saved at once).
    await share.fill('5');
    await saveSettings();
    expect(((await api.get('/settings')).body.data as Settings).holdout.share).toBe(0.05);
    await holdout.getByRole('button', { name: 'Draw a new holdout' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('A new holdout is drawn').waitFor();
    const redrawn = (await api.get('/settings')).body.data as Settings;
    expect(redrawn.holdout.share).toBe(0.05);
    expect(redrawn.holdout.seed).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(redrawn.holdout.seed).not.toBe(before.holdout.seed);
    await expect(holdout.getByRole('textbox', { name: 'Seed' }).inputValue()).resolves.toBe(
      redrawn.holdout.seed
    );
  });
});
