/**
 * Experiments planned ahead and shared, in the browser: a scheduled experiment created in the
 * editor (start ahead → Schedule → scheduled), a bandit's results (weights over time, probability
 * to be best, no p-values, a secondary goal for information), and preview links created in the
 * admin and opened in the demo storefront, which shows the forced arm or persona.
 */
import type { Browser, Page } from 'playwright-core';

import { loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { LAYOUTS, logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';

const ARTICLE = 'api::article.article';
const EXPERIMENT = 'plugin::personalize.experiment';

const session = useAdminSession();

let api: PluginApi;
let aurora: string;

beforeAll(async () => {
  api = pluginApi(session.app, await loginAdmin(session.app));
  const article = await session.app.strapi
    .documents(ARTICLE)
    .findFirst({ locale: 'en', filters: { slug: 'aurora-ev-range' } } as never);
  aurora = article!.documentId;
  await logIn(session.page, session.app.url);
});

afterEach(async () => {
  await setLanguage(session.page, 'en');
  await session.page.setViewportSize({ width: 1440, height: 1000 });
});

const adminUrl = (path: string) => `${session.app.url}/admin/plugins/personalize${path}`;

/** The variants of the Aurora article by name. */
const auroraVariants = async () => {
  const variants = (
    await api.get('/variants', { targetUid: ARTICLE, targetDocumentId: aurora, locale: 'en' })
  ).body.data as { documentId: string; name: string }[];
  return new Map(variants.map((variant) => [variant.name, variant.documentId]));
};

/** Fills a date-time picker (its group is named by the field's label) with a day and a time. */
const pickDateTime = async (page: Page, label: string, day: string, time: string) => {
  const group = page.getByRole('group', { name: label });
  const date = group.getByRole('combobox', { name: 'Date' });
  await date.fill(day);
  // Leaving the field commits the typed day (Escape would clear it).
  await date.press('Tab');
  const clock = group.getByRole('combobox', { name: 'Time' });
  await clock.click();
  await clock.fill(time);
  await clock.press('Enter');
  await page.getByRole('heading', { name: 'Schedule' }).click();
};

describe('a scheduled experiment', () => {
  it('is created in the editor with a start ahead, and scheduled', async () => {
    const { page } = session;
    await page.goto(
      adminUrl(`/experiments/new?targetUid=${ARTICLE}&targetDocumentId=${aurora}&locale=en`)
    );
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Range story in spring');
    await page.getByRole('textbox', { name: /^Goal/ }).fill('test_drive_booked');
    await page.getByRole('combobox', { name: 'Content' }).nth(1).click();
    await page.getByRole('option', { name: 'Aurora EV: fact seeker' }).click();
    await page.getByRole('button', { name: 'Add a secondary goal' }).click();
    await page.getByRole('textbox', { name: 'Secondary goal 1' }).fill('brochure_download');
    await pickDateTime(page, 'Start', '03/15/2031', '09:30');
    await pickDateTime(page, 'End', '04/15/2031', '18:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/plugins\/personalize\/experiments\/(?!new)[a-z0-9]+$/);

    // The times were picked in the admin's time zone (the browser's).
    const [startAt, endAt] = await page.evaluate(() => [
      new Date(2031, 2, 15, 9, 30).toISOString(),
      new Date(2031, 3, 15, 18, 0).toISOString(),
    ]);
    const saved = await session.app.strapi
      .documents(EXPERIMENT)
      .findFirst({ filters: { name: 'Range story in spring' } });
    expect(saved).toMatchObject({ status: 'draft', mode: 'fixed' });
    expect(saved!.secondaryGoals).toEqual(['brochure_download']);
    expect(new Date(saved!.startAt as string).toISOString()).toBe(startAt);
    expect(new Date(saved!.endAt as string).toISOString()).toBe(endAt);

    // A start ahead: Start is Schedule.
    await expect(page.getByRole('button', { name: 'Start', exact: true }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page
      .getByRole('alertdialog')
      .getByText(/starts by itself on/)
      .waitFor();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status', { name: 'Scheduled' }).waitFor();
    await page
      .getByTestId('scheduled-start')
      .getByText(/^Starts on .*2031/)
      .waitFor();
    const scheduled = await session.app.strapi
      .documents(EXPERIMENT)
      .findFirst({ filters: { name: 'Range story in spring' } });
    expect(scheduled!.status).toBe('scheduled');

    // Nobody takes part yet: everything may still change, and it can be cancelled.
    await expect(page.getByRole('textbox', { name: /^Goal/ }).isDisabled()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Cancel the schedule' }).waitFor();

    for (const [language, width] of LAYOUTS) {
      await setLanguage(page, language);
      await page.setViewportSize({ width, height: 1000 });
      await page.reload();
      await page.getByTestId('experiment-schedule').waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, `plans-01-scheduled-editor-${language}-${width}`);
      // The page scrolls inside the admin's layout: the schedule, in view.
      await page.getByTestId('experiment-schedule').scrollIntoViewIfNeeded();
      await screenshot(page, `plans-01-scheduled-editor-schedule-${language}-${width}`);
    }
    // In German too, the status and the schedule.
    await page.getByRole('status', { name: 'Eingeplant' }).waitFor();
    await page.getByText('Zeitplan', { exact: true }).waitFor();
  });
});

describe("a bandit's results", () => {
  it('show the weights over time and each arm’s chance to be best, without p-values', async () => {
    const { page, app } = session;
    const variants = await auroraVariants();
    const created = await api.post('/experiments', {
      name: 'Range story bandit',
      targetUid: ARTICLE,
      targetDocumentId: aurora,
      locale: 'en',
      goal: 'test_drive_booked',
      secondaryGoals: ['brochure_download'],
      mode: 'bandit',
      endAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      arms: [
        { key: 'control', variant: null, weight: 1 },
        { key: 'facts', variant: variants.get('Aurora EV: fact seeker'), weight: 1 },
        { key: 'alps', variant: variants.get('Aurora EV: Austria and Switzerland'), weight: 1 },
      ],
    });
    expect(created.status).toBe(201);
    const { documentId, key } = created.body.data as { documentId: string; key: string };
    expect((await api.post(`/experiments/${documentId}/start`)).status).toBe(200);

    // Visitors are assigned (but those in the holdout); those of "facts" convert more often.
    const events: object[] = [];
    let assigned = 0;
    for (let index = 0; index < 45; index += 1) {
      const visitorId = `bandit-e2e-${index}`;
      const decision = await app
        .http()
        .post('/api/personalize/decide')
        .send({ targetUid: ARTICLE, targetDocumentId: aurora, context: { visitorId } });
      const experiment = decision.body.data.experiment as { key: string; arm: string } | undefined;
      if (!experiment) continue;
      expect(experiment.key).toBe(key);
      assigned += 1;
      if (index % (experiment.arm === 'facts' ? 2 : 5) === 0) {
        events.push({ type: 'conversion', goal: 'test_drive_booked', visitorId });
      }
      if (index % 4 === 0)
        events.push({ type: 'conversion', goal: 'brochure_download', visitorId });
    }
    expect(assigned).toBeGreaterThan(30);
    expect((await app.http().post('/api/personalize/events').send({ events })).status).toBe(200);

    const stats = await api.get(`/experiments/${documentId}/results`);
    expect({ status: stats.status, mode: stats.body.data?.mode }).toEqual({
      status: 200,
      mode: 'bandit',
    });
    expect(stats.body.data.weights.length).toBeGreaterThan(0);

    await page.goto(adminUrl(`/experiments/${documentId}/results`));
    const results = page.getByTestId('experiment-results');
    await results.waitFor();
    const primary = results.getByRole('grid').first();
    await primary.locator('thead').getByText('Probability to be best', { exact: true }).waitFor();
    const headers = await primary.locator('thead th').allTextContents();
    expect(headers).not.toContain('p-value');
    expect(headers).not.toContain('Sequential p-value');
    expect(headers).toContain('Weight now');
    // Each arm's chance to be best, summing to 100 %.
    const chances = await primary
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => parseFloat(row.querySelector('td:last-child')!.textContent ?? ''))
      );
    expect(chances).toHaveLength(3);
    expect(chances.reduce((sum, chance) => sum + chance, 0)).toBeCloseTo(100, 0);
    await results
      .getByTestId('results-method')
      .getByText(/a bandit reports none/)
      .waitFor();
    // The weights over time: one line per arm.
    await expect(
      results.getByTestId('bandit-weights').locator('.recharts-line').count()
    ).resolves.toBe(3);
    // The secondary goal, for information, with its own table.
    const secondary = results.getByTestId('secondary-brochure_download');
    await secondary.getByText('Secondary goal: brochure_download (for information)').waitFor();
    const secondaryHeaders = await secondary.locator('thead th').allTextContents();
    expect(secondaryHeaders).toContain('Rate');
    for (const decisive of ['p-value', 'Sequential p-value', 'Significant']) {
      expect(secondaryHeaders).not.toContain(decisive);
    }
    // The planned end, and what the rate so far reaches by then.
    await results
      .getByTestId('experiment-horizon')
      .getByText(/^Ends on /)
      .waitFor();

    for (const [language, width] of LAYOUTS) {
      await setLanguage(page, language);
      await page.setViewportSize({ width, height: 1000 });
      await page.reload();
      // (A line of constant weights is flat: zero high, never "visible".)
      await page
        .getByTestId('bandit-weights')
        .locator('.recharts-line')
        .first()
        .waitFor({ state: 'attached' });
      await page.waitForLoadState('networkidle');
      await screenshot(page, `plans-02-bandit-results-${language}-${width}`);
      await page.getByTestId('secondary-brochure_download').scrollIntoViewIfNeeded();
      await screenshot(page, `plans-02-bandit-weights-${language}-${width}`);
    }
    await page.getByText('Wahrscheinlichkeit, die beste zu sein').first().waitFor();
  });
});

describe('preview links', () => {
  /** A page of the storefront (a new browser profile) at the admin-made link. */
  const openLink = async (browser: Browser, url: string) => {
    const storefront = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await storefront.goto(url);
    await storefront.locator('body[data-ready]').waitFor();
    return storefront;
  };

  /** Creates the link in the open dialog (valid `days` days) and returns what it shows. */
  const createLink = async (page: Page, days: number) => {
    const dialog = page.getByTestId('preview-link-dialog');
    await dialog.getByRole('textbox', { name: /^(Works for|Gültig für)$/ }).fill(String(days));
    await page.getByRole('button', { name: /^(Create link|Link erstellen)$/ }).click();
    const value = dialog.getByTestId('preview-link-value');
    await value.waitFor();
    return value.inputValue();
  };

  it("force an experiment's arm, made on its results page and opened in the storefront", async () => {
    const { page, app, browser } = session;
    const demo = await app.strapi
      .documents(EXPERIMENT)
      .findFirst({ filters: { key: 'homepage-cta' } });
    await page.goto(adminUrl(`/experiments/${demo!.documentId}/results`));
    await page.getByRole('button', { name: 'Preview link' }).click();
    await page.getByRole('menuitem', { name: /^Arm personal-offer:/ }).click();
    const dialog = page.getByTestId('preview-link-dialog');
    await dialog.getByText(/arm personal-offer/).waitFor();
    const url = await createLink(page, 2);
    expect(url.startsWith(`${app.url}/`)).toBe(true);
    expect(new URL(url).searchParams.get('personalize_preview')).toBeTruthy();
    // Two days from now, in the admin's words.
    const expiry = await dialog.getByTestId('preview-link-expiry').textContent();
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000);
    expect(expiry).toContain(String(inTwoDays.getFullYear()));
    expect(expiry).toContain(inTwoDays.toLocaleDateString('en', { month: 'long' }));
    await page.getByRole('button', { name: 'Copy' }).waitFor();

    const storefront = await openLink(browser, url);
    await storefront.locator('#preview-banner[data-state="forced"]').waitFor();
    await expect(storefront.locator('#applied [data-field="reason"]').textContent()).resolves.toBe(
      'preview'
    );
    await expect(
      storefront.locator('#applied [data-field="experiment"]').textContent()
    ).resolves.toBe('homepage-cta: personal-offer');
    await storefront.getByRole('link', { name: 'Get your personal offer' }).waitFor();
    await screenshot(storefront, 'plans-03-storefront-forced-arm');
    await storefront.close();

    // The dialog in both languages and widths.
    for (const [language, width] of LAYOUTS) {
      await setLanguage(page, language);
      await page.setViewportSize({ width, height: 1000 });
      await page.reload();
      await page.getByRole('button', { name: /^(Preview link|Vorschau-Link)$/ }).click();
      await page.getByRole('menuitem', { name: /^(Arm|Variante) personal-offer:/ }).click();
      await createLink(page, 7);
      await screenshot(page, `plans-04-preview-link-dialog-${language}-${width}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('preview-link-dialog').waitFor({ state: 'detached' });
    }
  });

  it("force a variant's persona, made in the variant editor", async () => {
    const { page, browser } = session;
    const homepage = (
      await api.get('/variants', { targetUid: 'api::homepage.homepage', locale: 'en' })
    ).body.data as { documentId: string; name: string }[];
    const family = homepage.find((variant) => variant.name === 'Homepage: family')!;
    await page.goto(adminUrl(`/variants/${family.documentId}`));
    await page.getByRole('button', { name: 'Preview link' }).click();
    await page.getByTestId('preview-link-dialog').getByText('Persona "Family buyer"').waitFor();
    const url = await createLink(page, 1);

    const storefront = await openLink(browser, url);
    await storefront
      .locator('#preview-banner[data-state="forced"]')
      .getByText(/persona family/)
      .waitFor();
    await storefront
      .getByRole('heading', { level: 1, name: 'Room for everyone, and for the dog', exact: true })
      .waitFor();
    await expect(storefront.locator('#applied [data-field="reason"]').textContent()).resolves.toBe(
      'preview'
    );
    await storefront.close();
  });
});
