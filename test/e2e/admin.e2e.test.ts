import { logIn, screenshot, useAdminSession } from '../helpers/browser';

const session = useAdminSession({ width: 1440, height: 900 });

const tableRows = async () =>
  session.page
    .locator('table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('td'), (cell) => cell.textContent?.trim() ?? '')
      )
    );

describe('the admin panel with the plugin', () => {
  it('logs in with the demo credentials', async () => {
    await logIn(session.page, session.app.url);
    await screenshot(session.page, '01-home');
  });

  it('opens the Personalize menu page with its variants and experiments', async () => {
    await session.page.getByRole('link', { name: 'Personalize' }).click();
    await session.page.waitForURL(/\/admin\/plugins\/personalize$/);
    await expect(
      session.page.getByRole('heading', { level: 1, name: 'Personalize' }).isVisible()
    ).resolves.toBe(true);
    // The demo seeds variants of the homepage; the highest priority comes first.
    await session.page.getByText('Homepage: fleet manager ready to order').first().waitFor();
    await screenshot(session.page, '02-menu-page');
    // And the demo's running experiment, on the Experiments tab.
    await session.page.getByRole('tab', { name: 'Experiments' }).click();
    await session.page.waitForURL(/\/admin\/plugins\/personalize\/experiments$/);
    await session.page.getByText('Homepage CTA: test drive or personal offer').first().waitFor();
  });

  it('lists the seeded personas in Settings → Personalize → Personas, highest priority first', async () => {
    await session.page.getByRole('link', { name: 'Personas' }).first().click();
    await session.page.waitForURL(/\/admin\/settings\/personalize\/personas$/);
    await session.page.locator('table tbody tr').first().waitFor();
    const rows = await tableRows();
    // Columns: name (with description), slug, priority, rule, sample context.
    expect(rows.map((row) => row.slice(1, 3))).toEqual([
      ['fleet', '30'],
      ['performance', '20'],
      ['family', '10'],
      ['fact-seeker', '0'],
    ]);
    expect(rows[0][0]).toMatch(/^Fleet manager\s*Buys or leases cars/);
    expect(rows[0][3]).toContain('Trait customerType equals "business" or UTM medium');
    await screenshot(session.page, '03-settings-personas');
  });

  it('lists the journey stages in journey order from the settings menu', async () => {
    await session.page.getByRole('link', { name: 'Journey stages' }).click();
    await session.page.waitForURL(/\/admin\/settings\/personalize\/stages$/);
    await session.page.locator('table tbody tr').first().waitFor();
    // Columns: order, name (with description), slug, rule, sample context.
    expect((await tableRows()).map((row) => [row[0], row[2]])).toEqual([
      ['1', 'awareness'],
      ['2', 'consideration'],
      ['3', 'purchase-intent'],
      ['4', 'customer'],
      ['5', 'loyalty'],
    ]);
    await screenshot(session.page, '04-settings-stages');
  });

  it('speaks German when the admin language is German', async () => {
    await session.page.evaluate(() => localStorage.setItem('strapi-admin-language', 'de'));
    await session.page.goto(`${session.app.url}/admin/settings/personalize/stages`);
    await session.page.getByRole('heading', { level: 1, name: 'Journey-Phasen' }).waitFor();
    await session.page.getByRole('link', { name: 'Personalisierung' }).first().waitFor();
    await session.page.getByText('Reihenfolge').waitFor();
    await screenshot(session.page, '05-settings-stages-de');
  });
});
