import type { Page } from 'playwright-core';

import { loginAdmin } from '../helpers/admin';
import { LAYOUTS, logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';

/**
 * The overview's lists as the Content Manager's: search, filters and sort in the URL, so that a
 * reload keeps them; one menu entry for the plugin, highlighted on its pages; and the number of
 * variants of each entry in the Content Manager's list view.
 */
const session = useAdminSession();

let adminToken: string;

beforeAll(async () => {
  await logIn(session.page, session.app.url);
  adminToken = await loginAdmin(session.app);
});

afterEach(() => setLanguage(session.page, 'en'));

/** The first cell (the name) of every row of the page's table, in order. */
const rowNames = async (page: Page) => {
  await page.locator('tbody tr').first().waitFor();
  return page
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.querySelector('td')?.textContent?.trim() ?? ''));
};

/** A column's header (the design system gives header cells the role gridcell). */
const header = (page: Page, label: string) =>
  page.locator('thead th').filter({ hasText: new RegExp(`^${label}$`, 'i') });

/** Waits until the table shows exactly `count` rows (a new query answered). */
const waitForRows = (page: Page, count: number) =>
  page.waitForFunction(
    (expected) => document.querySelectorAll('tbody tr').length === expected,
    count
  );

describe('the overview lists', () => {
  it('are searched, filtered and sorted through the URL, and keep it all on reload', async () => {
    const { page, app } = session;
    await page.goto(`${app.url}/admin/plugins/personalize`);
    // The demo's 9 variants in English and German, 20 to a page.
    await waitForRows(page, 18);

    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search variants' }).fill('homepage');
    await page.keyboard.press('Enter');
    await waitForRows(page, 14);
    expect((await rowNames(page)).every((name) => name.startsWith('Homepage'))).toBe(true);

    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByRole('combobox', { name: 'Select field' }).click();
    await page.getByRole('option', { name: 'Persona' }).click();
    await page.getByRole('combobox', { name: 'Persona' }).click();
    await page.getByRole('option', { name: 'Fleet manager' }).click();
    await page.getByRole('button', { name: 'Add filter' }).click();
    await waitForRows(page, 4);
    // The filter's tag names the persona, not its slug.
    await page.getByText('Persona is Fleet manager').waitFor();

    await header(page, 'Name').click();
    await page.waitForURL(/sort=name:ASC/);
    const ascending = [
      'Homepage: fleet manager',
      'Homepage: fleet manager',
      'Homepage: fleet manager ready to order',
      'Homepage: fleet manager ready to order',
    ];
    await page.waitForFunction(
      (first) => document.querySelector('tbody tr td')?.textContent?.trim() === first,
      ascending[0]
    );
    expect(await rowNames(page)).toEqual(ascending);
    await header(page, 'Name').click();
    await page.waitForURL(/sort=name:DESC/);
    await page.waitForFunction(
      (first) => document.querySelector('tbody tr td')?.textContent?.trim() === first,
      ascending[3]
    );
    expect(await rowNames(page)).toEqual([...ascending].reverse());
    await screenshot(page, 'overview-filtered-en-1440');

    const filtered = page.url();
    expect(decodeURIComponent(filtered)).toContain('filters[$and][0][persona][$eq]=fleet');
    await page.reload();
    await waitForRows(page, 4);
    expect(page.url()).toBe(filtered);
    expect(await rowNames(page)).toEqual([...ascending].reverse());
    await page.getByText('Persona is Fleet manager').waitFor();
    await expect(
      page.getByRole('searchbox', { name: 'Search variants' }).inputValue()
    ).resolves.toBe('homepage');

    // The other tab starts with its own, empty query.
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await page.waitForURL(/\/plugins\/personalize\/experiments$/);
    expect(await rowNames(page)).toEqual(['Homepage CTA: test drive or personal offer']);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search experiments' }).fill('no such test');
    await page.keyboard.press('Enter');
    await page.getByText('Nothing matches the search and filters.').waitFor();
  });

  it.each(LAYOUTS)('fit the page (%s, %i px)', async (language, width) => {
    const { page, app } = session;
    await setLanguage(page, language);
    await page.setViewportSize({ width, height: 1000 });
    await page.goto(`${app.url}/admin/plugins/personalize?sort=priority:DESC`);
    await waitForRows(page, 18);
    await screenshot(page, `overview-${language}-${width}`);
    // Nothing is wider than the window: no column or control is out of reach.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('the main menu', () => {
  /** The labels of the main menu's highlighted entries. */
  const activeEntries = (page: Page) =>
    page
      .locator('nav a.active[aria-label]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('aria-label')));

  it('has one entry for the plugin, the only one highlighted on each of its pages', async () => {
    const { page, app } = session;
    const experiment = await app.strapi
      .documents('plugin::personalize.experiment')
      .findFirst({ filters: { key: 'homepage-cta' } });
    const variant = await app.strapi
      .documents('plugin::personalize.variant')
      .findFirst({ locale: 'en', filters: { name: 'Homepage: family' } } as never);
    const base = `${app.url}/admin/plugins/personalize`;
    for (const path of [
      '',
      '/experiments',
      `/experiments/${experiment!.documentId}/results`,
      `/experiments/${experiment!.documentId}`,
      `/variants/${variant!.documentId}`,
    ]) {
      await page.goto(`${base}${path}`);
      await page.locator('main h1').waitFor();
      expect([path, await activeEntries(page)]).toEqual([path, ['Personalize']]);
    }
    await page.goto(`${app.url}/admin/content-manager`);
    await page.locator('main h1').waitFor();
    expect(await activeEntries(page)).not.toContain('Personalize');
    expect(await page.locator('nav a[aria-label="Experiments"]').count()).toBe(0);
  });
});

describe("the Content Manager's list view", () => {
  it.each(LAYOUTS)(
    "shows each article's variants in the list's locale, from one request (%s, %i px)",
    async (language, width) => {
      const { page, app } = session;
      await setLanguage(page, language);
      await page.setViewportSize({ width, height: 1000 });
      const counts: string[] = [];
      const record = (request: { url(): string }) => {
        if (request.url().includes('/personalize/variants/counts')) counts.push(request.url());
      };
      page.on('request', record);
      try {
        await page.goto(
          `${app.url}/admin/content-manager/collection-types/api::article.article?plugins[i18n][locale]=${language}`
        );
        const column = header(page, language === 'de' ? 'Varianten' : 'Variants');
        await column.waitFor();
        const aurora = page.getByRole('row').filter({ hasText: 'Aurora EV' });
        await aurora.getByText(language === 'de' ? '2 Varianten' : '2 variants').waitFor();
        const configurator = page
          .getByRole('row')
          .filter({ hasText: /in five minutes|in fünf Minuten/ });
        await expect(configurator.getByRole('gridcell', { name: '–' }).count()).resolves.toBe(1);
        // The list scrolls sideways to the plugins' columns, after the entry's own.
        await column.scrollIntoViewIfNeeded();
        await screenshot(page, `cm-list-${language}-${width}`);
        expect(counts).toHaveLength(1);
        expect(decodeURIComponent(counts[0])).toContain(`locale=${language}`);
      } finally {
        page.off('request', record);
        await page.setViewportSize({ width: 1440, height: 1000 });
      }
    }
  );

  it('has no variants column for a type whose variants are switched off', async () => {
    const { page, app } = session;
    const settings = (enabledContentTypes: string[]) =>
      app
        .http()
        .put('/personalize/settings')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ enabledContentTypes });
    const list = `${app.url}/admin/content-manager/collection-types/api::article.article`;
    expect((await settings(['api::homepage.homepage'])).status).toBe(200);
    try {
      await page.goto(list);
      await header(page, 'Title').waitFor();
      expect(await header(page, 'Variants').count()).toBe(0);
    } finally {
      expect((await settings(['api::article.article', 'api::homepage.homepage'])).status).toBe(200);
    }
    await page.goto(list);
    await header(page, 'Variants').waitFor();
  });
});
