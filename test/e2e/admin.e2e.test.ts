import type { Browser, Page } from 'playwright-core';

import { DEMO_ADMIN } from '../helpers/admin';
import { launchBrowser, screenshot } from '../helpers/browser';
import { startPlayground, type Playground } from '../helpers/playground';

let app: Playground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startPlayground({ seed: true, serveAdminPanel: true });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const tableRows = async () =>
  page
    .locator('table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('td'), (cell) => cell.textContent?.trim() ?? '')
      )
    );

describe('the admin panel with the plugin', () => {
  it('logs in with the demo credentials', async () => {
    await page.goto(`${app.url}/admin/auth/login`);
    await page.getByLabel(/email/i).fill(DEMO_ADMIN.email);
    await page
      .getByLabel(/password/i)
      .first()
      .fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: /login/i }).click();
    await page.waitForURL(/\/admin\/?$/);
    await screenshot(page, '01-home');
  });

  it('opens the Personalize menu page with its variants and experiments', async () => {
    await page.getByRole('link', { name: 'Personalize' }).click();
    await page.waitForURL(/\/admin\/plugins\/personalize$/);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Personalize' }).isVisible()
    ).resolves.toBe(true);
    // The demo seeds variants of the homepage; the highest priority comes first.
    await page.getByText('Homepage: fleet manager ready to order').first().waitFor();
    await page.getByText('No experiments yet.').waitFor();
    await screenshot(page, '02-menu-page');
  });

  it('lists the seeded personas in Settings → Personalize → Personas, highest priority first', async () => {
    await page.getByRole('link', { name: 'Personas' }).first().click();
    await page.waitForURL(/\/admin\/settings\/personalize\/personas$/);
    await page.locator('table tbody tr').first().waitFor();
    const rows = await tableRows();
    // Columns: name (with description), slug, priority, rule, sample context.
    expect(rows.map((row) => row.slice(1, 3))).toEqual([
      ['fleet', '30'],
      ['performance', '20'],
      ['family', '10'],
      ['fact-seeker', '0'],
    ]);
    expect(rows[0][0]).toMatch(/^Fleet manager\s*Buys or leases cars/);
    expect(rows[0][3]).toContain('traits.customerType');
    await screenshot(page, '03-settings-personas');
  });

  it('lists the journey stages in journey order from the settings menu', async () => {
    await page.getByRole('link', { name: 'Journey stages' }).click();
    await page.waitForURL(/\/admin\/settings\/personalize\/stages$/);
    await page.locator('table tbody tr').first().waitFor();
    // Columns: order, name (with description), slug, rule, sample context.
    expect((await tableRows()).map((row) => [row[0], row[2]])).toEqual([
      ['1', 'awareness'],
      ['2', 'consideration'],
      ['3', 'purchase-intent'],
      ['4', 'customer'],
      ['5', 'loyalty'],
    ]);
    await screenshot(page, '04-settings-stages');
  });

  it('speaks German when the admin language is German', async () => {
    await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'de'));
    await page.goto(`${app.url}/admin/settings/personalize/stages`);
    await page.getByRole('heading', { level: 1, name: 'Journey-Phasen' }).waitFor();
    await page.getByRole('link', { name: 'Personalisierung' }).first().waitFor();
    await page.getByText('Reihenfolge').waitFor();
    await screenshot(page, '05-settings-stages-de');
  });
});
