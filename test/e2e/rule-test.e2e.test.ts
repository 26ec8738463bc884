import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { logIn, SCREENSHOT_DIR, setLanguage, useAdminSession } from '../helpers/browser';

/**
 * The rule editor's test box: a test visitor built with a form (in sync with its JSON), which
 * conditions of the rule match it, and a test visitor that outlasts saving; the field picker
 * grouped and searchable, with CRM traits of any name.
 */
const session = useAdminSession();

beforeAll(() => logIn(session.page, session.app.url));

afterEach(() => setLanguage(session.page, 'en'));

/**
 * What the editor sees with the test box scrolled into view (a viewport, not a full page: the
 * admin scrolls inside its layout, and resizing would close an open list).
 */
const screenshot = async (page: Page, name: string, scrollTo = 'rule-test') => {
  await page.getByTestId(scrollTo).scrollIntoViewIfNeeded();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
};

/** Picks `option` in the design-system select labelled `label` inside `scope`. */
const choose = async (scope: Locator, label: string, option: string) => {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await scope.page().getByRole('option', { name: option, exact: true }).click();
};

/** The conditions listed under the result, as read out: "Matches: Visits is at least 2". */
const conditions = (page: Page) =>
  page
    .getByTestId('rule-test-conditions')
    .locator('li')
    .evaluateAll((items) => items.map((item) => item.firstElementChild?.textContent ?? ''));

const visitorJson = async (page: Page) =>
  JSON.parse(
    await page
      .getByTestId('rule-test')
      .getByRole('textbox', { name: 'Visitor context (JSON)' })
      .inputValue()
  ) as unknown;

describe('the rule test box', () => {
  it('builds a visitor with the form, says which conditions match, and keeps it after saving', async () => {
    const { page, app } = session;
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`${app.url}/admin/plugins/personalize/personas/new`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Eco driver');

    // The field picker: grouped, searchable by label, and a CRM trait of any name.
    await page.getByRole('button', { name: 'Condition' }).first().click();
    const field = page.getByRole('combobox', { name: 'Field', exact: true });
    await field.first().click();
    const listbox = page.getByRole('listbox');
    for (const group of ['Visitor', 'Campaign (UTM)', 'Device & place', 'Behaviour', 'Time']) {
      await listbox.getByText(group, { exact: true }).waitFor();
    }
    await screenshot(page, 'rule-test-field-picker-en', 'rule-builder');
    await field.first().fill('campaign');
    // The one field that matches, and the offer to read a CRM trait of that name.
    await expect(listbox.getByRole('option').allTextContents()).resolves.toEqual([
      'UTM campaign',
      'Use the CRM trait "campaign"',
    ]);
    await expect(listbox.getByText('Campaign (UTM)', { exact: true }).isVisible()).resolves.toBe(
      true
    );
    await expect(listbox.getByText('Visitor', { exact: true }).count()).resolves.toBe(0);
    await listbox.getByRole('option', { name: 'UTM campaign' }).click();
    await page.getByRole('textbox', { name: 'Value', exact: true }).first().fill('eco-week');
    await page.getByRole('button', { name: 'Condition' }).first().click();
    await field.nth(1).click();
    // While a list is open, the rest of the page is hidden from the accessibility tree.
    await page.keyboard.type('tier');
    await page.getByRole('option', { name: 'Use the CRM trait "tier"' }).click();
    await expect(field.nth(1).inputValue()).resolves.toBe('Trait tier');
    await page.getByRole('textbox', { name: 'Value', exact: true }).nth(1).fill('gold');

    // The test visitor, built with the form: the JSON follows.
    const box = page.getByTestId('rule-test');
    await choose(box, 'Persona', 'Family buyer');
    await choose(box, 'Journey stage', 'Consideration');
    await box.getByRole('textbox', { name: 'Visits', exact: true }).fill('3');
    await box.getByRole('textbox', { name: 'UTM source', exact: true }).fill('newsletter');
    await box.getByRole('textbox', { name: 'UTM campaign', exact: true }).fill('eco-week');
    await choose(box, 'Device', 'Mobile');
    await box.getByRole('textbox', { name: 'Country', exact: true }).fill('de');
    const events = box.getByRole('textbox', { name: 'Events', exact: true });
    await events.fill('brochure');
    await events.press('Enter');
    await events.fill('test_drive_booked');
    await box.getByRole('button', { name: 'Add event' }).click();
    await box.getByRole('button', { name: 'Add trait' }).click();
    await box.getByRole('textbox', { name: 'Trait name' }).fill('tier');
    await box.getByRole('textbox', { name: 'Value of tier' }).fill('silver');
    const visitor = {
      persona: 'family',
      stage: 'consideration',
      visits: 3,
      utm: { source: 'newsletter', campaign: 'eco-week' },
      device: 'mobile',
      geo: { country: 'DE' },
      events: ['brochure', 'test_drive_booked'],
      traits: { tier: 'silver' },
    };
    await expect(visitorJson(page)).resolves.toEqual(visitor);

    // Which conditions match, in the summary's words.
    const result = page.getByTestId('rule-test-result');
    await result.filter({ hasText: 'Does not match' }).waitFor();
    await expect(conditions(page)).resolves.toEqual([
      'Matches: UTM campaign equals "eco-week"',
      'Does not match: Trait tier equals "gold"',
    ]);
    await screenshot(page, 'rule-test-form-en-1280');

    // The JSON edited: the form follows, and so does the answer.
    const json = box.getByRole('textbox', { name: 'Visitor context (JSON)' });
    await json.fill(JSON.stringify({ ...visitor, traits: { tier: 'gold' } }, null, 2));
    await expect(box.getByRole('textbox', { name: 'Value of tier' }).inputValue()).resolves.toBe(
      'gold'
    );
    await result.filter({ hasText: 'Matches' }).waitFor();
    await expect(conditions(page)).resolves.toEqual([
      'Matches: UTM campaign equals "eco-week"',
      'Matches: Trait tier equals "gold"',
    ]);
    await page.setViewportSize({ width: 1440, height: 1000 });
    await screenshot(page, 'rule-test-form-en-1440');

    // Saving a new persona opens its own page: the test visitor is still there.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/plugins\/personalize\/personas\/(?!new)[a-z0-9]+$/);
    const stored = await app.strapi
      .documents('plugin::personalize.persona')
      .findFirst({ filters: { name: 'Eco driver' } });
    expect(stored?.rule).toEqual({
      and: [
        { '==': [{ var: 'utm.campaign' }, 'eco-week'] },
        { '==': [{ var: 'traits.tier' }, 'gold'] },
      ],
    });
    await result.filter({ hasText: 'Matches' }).waitFor();
    await expect(visitorJson(page)).resolves.toEqual({ ...visitor, traits: { tier: 'gold' } });
    await expect(box.getByRole('textbox', { name: 'UTM campaign' }).inputValue()).resolves.toBe(
      'eco-week'
    );

    // And after saving again, and after a reload.
    await page.getByRole('textbox', { name: 'Description' }).fill('Drives green.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    await expect(visitorJson(page)).resolves.toEqual({ ...visitor, traits: { tier: 'gold' } });
    await page.reload();
    await result.filter({ hasText: 'Matches' }).waitFor();
    await expect(box.getByRole('textbox', { name: 'Visits' }).inputValue()).resolves.toBe('3');
    await expect(conditions(page)).resolves.toEqual([
      'Matches: UTM campaign equals "eco-week"',
      'Matches: Trait tier equals "gold"',
    ]);
  });

  it.each([1280, 1440])('works in German, from a persona sample (%i px)', async (width) => {
    const { page, app } = session;
    await setLanguage(page, 'de');
    await page.setViewportSize({ width, height: 1000 });
    const family = await app.strapi
      .documents('plugin::personalize.persona')
      .findFirst({ filters: { slug: 'family' } });
    await page.goto(`${app.url}/admin/plugins/personalize/personas/${family!.documentId}`);
    const box = page.getByTestId('rule-test');
    await box.getByText('Regel testen').waitFor();
    await choose(box, 'Beispielkontext', 'Family buyer');
    await expect(box.getByRole('textbox', { name: 'UTM-Kampagne' }).inputValue()).resolves.toBe(
      'family-suv'
    );
    await page.getByTestId('rule-test-result').filter({ hasText: 'Trifft zu' }).waitFor();
    const listed = await conditions(page);
    // The sample matches the first three; the fourth reads the profile's top interest.
    expect(listed).toHaveLength(4);
    expect(listed.slice(0, 3).every((item) => item.startsWith('Trifft zu: '))).toBe(true);
    expect(listed[1]).toMatch(/^Trifft zu: UTM-Kampagne /);
    expect(listed[3]).toMatch(/^Trifft nicht zu: Stärkstes Interesse /);
    await screenshot(page, `rule-test-form-de-${width}`);
    await page.getByRole('combobox', { name: 'Feld', exact: true }).first().click();
    await page.getByRole('listbox').getByText('Kampagne (UTM)', { exact: true }).waitFor();
    await screenshot(page, `rule-test-field-picker-de-${width}`, 'rule-builder');
    await page.keyboard.press('Escape');
  });

  it('sits in the stage and variant editors too', async () => {
    const { page, app } = session;
    await page.setViewportSize({ width: 1280, height: 1000 });
    const stage = await app.strapi
      .documents('plugin::personalize.journey-stage')
      .findFirst({ filters: { slug: 'consideration' } });
    await page.goto(`${app.url}/admin/plugins/personalize/stages/${stage!.documentId}`);
    const box = page.getByTestId('rule-test');
    await box.getByRole('combobox', { name: 'Sample context', exact: true }).click();
    await screenshot(page, 'rule-test-stage-samples');
    await page.getByRole('option', { name: 'Consideration', exact: true }).click();
    await page.getByTestId('rule-test-result').filter({ hasText: 'Matches' }).waitFor();
    await screenshot(page, 'rule-test-stage-en-1280');

    const variant = await app.strapi
      .documents('plugin::personalize.variant')
      .findFirst({ locale: 'en', filters: { name: 'Homepage: family' } } as never);
    await page.goto(`${app.url}/admin/plugins/personalize/variants/${variant!.documentId}`);
    await box.getByText('Test this rule').waitFor();
    await screenshot(page, 'rule-test-variant-en-1280');
  });
});
