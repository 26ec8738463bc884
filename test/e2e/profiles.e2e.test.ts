/**
 * Visitor profiles in the admin: an interest created in Settings → Interests (beside the demo's),
 * an article's signals given in its side panel, a visitor's profile (built from the events they send) looked
 * up on the Visitor lookup tab with the variant an entry gives them, and erased. Screens at 1280
 * and 1440 px in English and German, kept in /tmp/screens/ as well.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { loginAdmin, pluginApi } from '../helpers/admin';
import { LAYOUTS, logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';

const ARTICLE = 'api::article.article';
const INTEREST = 'Electric driving';
const SLUG = 'electric-driving';
const VISITOR = 'e2e-visitor-7f3a';
const SCREENS = '/tmp/screens';

const session = useAdminSession();

let aurora: string;

/** A full-page screenshot in the e2e artifacts and in /tmp/screens/. */
const keep = async (page: Page, name: string) => {
  await screenshot(page, `profiles-${name}`);
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });
};

/** What a frontend sends for a consenting visitor: page views of `documentId`, and named events. */
const sendEvents = async (
  visitorId: string,
  views: number,
  documentId: string,
  named: string[] = []
) => {
  const consent = { personalization: true };
  const response = await session.app
    .http()
    .post('/api/personalize/events')
    .send({
      events: [
        ...Array.from({ length: views }, () => ({
          type: 'view',
          visitorId,
          target: { uid: ARTICLE, documentId },
          consent,
        })),
        ...named.map((name) => ({ type: 'event', visitorId, name, consent })),
      ],
    });
  expect(response.status).toBe(200);
  expect(response.body.data.rejected).toEqual([]);
};

const editView = () =>
  `${session.app.url}/admin/content-manager/collection-types/${ARTICLE}/${aurora}?plugins[i18n][locale]=en`;

const lookupUrl = (visitorId: string) =>
  `${session.app.url}/admin/plugins/personalize/visitors?visitorId=${encodeURIComponent(visitorId)}`;

/** Whether every element of `locator` lies within the viewport's width, else which do not. */
const outOfView = (locator: Locator) =>
  locator.evaluateAll((elements) =>
    elements
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && (box.left < 0 || box.right > window.innerWidth);
      })
      .map((element) => element.textContent?.slice(0, 40))
  );

/** Texts whose content is wider than their box (cut off), within `locator`. */
const clipped = (locator: Locator) =>
  locator.evaluate((root) =>
    Array.from(root.querySelectorAll('label, button, span, p, h2, h3, th, td'))
      .filter((element) => {
        const style = getComputedStyle(element);
        // Visually hidden texts (1 px wide, for screen readers) are meant to be cut.
        return (
          (element.children.length === 0 || style.textOverflow === 'ellipsis') &&
          element.clientWidth > 1 &&
          style.overflow !== 'visible' &&
          element.scrollWidth > element.clientWidth + 1
        );
      })
      .map((element) => element.textContent)
  );

beforeAll(async () => {
  await logIn(session.page, session.app.url);
  const article = await session.app.strapi
    .documents(ARTICLE)
    .findFirst({ filters: { slug: 'aurora-ev-range' }, locale: 'en' });
  aurora = String(article?.documentId);
});

afterEach(async () => {
  await setLanguage(session.page, 'en');
  await session.page.setViewportSize({ width: 1440, height: 1000 });
});

describe('visitor profiles in the admin', () => {
  it('creates an interest in Settings → Interests', async () => {
    const { page, app } = session;
    await page.goto(`${app.url}/admin/settings/personalize/interests`);
    // The demo's interests are listed.
    await page.getByRole('row').filter({ hasText: 'Sustainability' }).waitFor();
    await page.getByRole('link', { name: 'Create an interest' }).click();
    await page.waitForURL(/\/plugins\/personalize\/interests\/new$/);
    await page.getByRole('textbox', { name: 'Name' }).fill(INTEREST);
    await page.getByRole('textbox', { name: 'Description' }).fill('Range, charging and EV costs.');
    const halfLife = page.getByRole('textbox', { name: 'Half-life in days' });
    await halfLife.fill('14');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/plugins\/personalize\/interests\/(?!new)[a-z0-9]+$/);
    await page.getByRole('heading', { name: INTEREST }).waitFor();

    const stored = await app.strapi
      .documents('plugin::personalize.interest')
      .findFirst({ filters: { name: INTEREST } });
    expect(stored).toMatchObject({ slug: SLUG, halfLifeDays: 14 });

    await page.goto(`${app.url}/admin/settings/personalize/interests`);
    const row = page.getByRole('row').filter({ hasText: INTEREST });
    await row.getByText(SLUG).waitFor();
    await row.getByText('14 days').waitFor();
  });

  it('gives the article signals in its side panel', async () => {
    const { page, app } = session;
    await page.goto(editView());
    const signals = page.getByTestId('personalize-signals');
    await signals.getByText('Interest signals').waitFor();
    const points = signals.getByRole('textbox', { name: INTEREST });
    await points.fill('25');
    await signals.getByRole('button', { name: 'Save signals' }).click();
    await page.getByText('Signals saved').waitFor();

    const token = await loginAdmin(app);
    const saved = await pluginApi(app, token).get('/signals', {
      targetUid: ARTICLE,
      targetDocumentId: aurora,
    });
    // With the demo's signals of the article, which stay as they were.
    expect(saved.body.data.signals).toEqual([
      { interest: SLUG, points: 25 },
      { interest: 'performance', points: 3 },
      { interest: 'sustainability', points: 8 },
    ]);
    // Opened again, the panel shows what was saved.
    await page.reload();
    await expect(
      page.getByTestId('personalize-signals').getByRole('textbox', { name: INTEREST }).inputValue()
    ).resolves.toBe('25');
  });

  it("shows a visitor's profile, built from their events, and what they get", async () => {
    const { page, app } = session;
    await sendEvents(VISITOR, 2, aurora, ['brochure_download']);

    await page.goto(`${app.url}/admin/plugins/personalize`);
    await page.getByRole('tab', { name: 'Visitor lookup' }).click();
    await page.waitForURL(/\/plugins\/personalize\/visitors$/);
    await page.getByRole('textbox', { name: 'Visitor id' }).fill(VISITOR);
    await page.getByRole('button', { name: 'Look up' }).click();
    const profile = page.getByTestId('visitor-profile');
    await profile.waitFor();
    await expect(profile.getByTestId('visitor-fact-visits').textContent()).resolves.toBe('1');
    await expect(profile.getByTestId('visitor-fact-pageViews').textContent()).resolves.toBe('2');
    await expect(profile.getByTestId('visitor-fact-topInterest').textContent()).resolves.toBe(
      INTEREST
    );
    // Two views of 25 points, barely decayed; the demo's signals of the article count too.
    const score = profile.getByTestId(`visitor-interest-${SLUG}`);
    await expect(score.textContent()).resolves.toMatch(new RegExp(`^${INTEREST}(49\\.9|50)$`));
    await expect(
      profile.getByTestId('visitor-interest-sustainability').textContent()
    ).resolves.toMatch(/^Sustainability(15\.9|16)$/);
    await profile.getByTestId('visitor-event-brochure_download').getByText('1').first().waitFor();

    // With an entry: the variant this visitor gets, and the trace.
    await page.getByRole('button', { name: 'Choose an entry' }).click();
    await page.getByRole('combobox', { name: 'Content type' }).click();
    await page.getByRole('option', { name: 'Article', exact: true }).click();
    await page.getByRole('combobox', { name: 'Entry' }).click();
    await page
      .getByRole('option', { name: /^Aurora EV/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Use this entry' }).click();
    await page.waitForURL(/targetUid=api%3A%3Aarticle\.article/);
    const decision = page.getByTestId('visitor-decision');
    await decision.getByTestId('visitor-variant').waitFor();
    await decision.getByText('Decision trace').waitFor();
    await expect(page.getByTestId('visitor-entry').textContent()).resolves.toMatch(/Aurora EV/);
  });

  it('erases the visitor, and then says there is no profile', async () => {
    const { page } = session;
    await page.goto(lookupUrl(VISITOR));
    await page.getByTestId('visitor-profile').waitFor();
    await page.getByRole('button', { name: 'Erase visitor' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog
      .getByText(`Erase everything stored about "${VISITOR}"`, { exact: false })
      .waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByTestId('visitor-erased').textContent()).resolves.toMatch(
      /1 profile, 0 exposures and 0 conversions/
    );
    const none = page.getByTestId('visitor-no-profile');
    await none.getByText('No profile for this visitor.').waitFor();
    await none.getByText('consented to personalization', { exact: false }).waitFor();
    await expect(page.getByTestId('visitor-profile').count()).resolves.toBe(0);
    await keep(page, 'visitor-erased-en-1440');
    // Looked up again later: still none.
    await page.goto(lookupUrl(VISITOR));
    await page.getByTestId('visitor-no-profile').waitFor();
  });
});

describe('the screens fit', () => {
  const LOOKED_AT = 'e2e-visitor-screens';

  beforeAll(() =>
    sendEvents(LOOKED_AT, 3, aurora, [
      'brochure_download',
      'test_drive_booked',
      'test_drive_booked',
    ])
  );

  it.each(LAYOUTS)('Settings → Interests (%s, %i px)', async (language, width) => {
    const { page, app } = session;
    await setLanguage(page, language);
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${app.url}/admin/settings/personalize/interests`);
    await page.getByRole('row').filter({ hasText: INTEREST }).waitFor();
    expect(await outOfView(page.locator('thead th'))).toEqual([]);
    await keep(page, `interests-${language}-${width}`);
    // Its editor, opened from the list.
    await page.getByRole('gridcell', { name: new RegExp(`^${INTEREST}`) }).click();
    await page.waitForURL(/\/plugins\/personalize\/interests\/(?!new)[a-z0-9]+$/);
    await page.getByRole('heading', { name: INTEREST }).waitFor();
    expect(await clipped(page.locator('main'))).toEqual([]);
    await keep(page, `interest-editor-${language}-${width}`);
  });

  it.each(LAYOUTS)('the Visitor lookup with a profile (%s, %i px)', async (language, width) => {
    const { page } = session;
    await setLanguage(page, language);
    await page.setViewportSize({ width, height: 1000 });
    await page.goto(
      `${lookupUrl(LOOKED_AT)}&targetUid=${ARTICLE}&targetDocumentId=${aurora}&locale=en`
    );
    const profile = page.getByTestId('visitor-profile');
    await profile.waitFor();
    await page.getByTestId('visitor-decision').getByTestId('visitor-variant').waitFor();
    await expect(profile.getByTestId('visitor-fact-pageViews').textContent()).resolves.toBe('3');
    expect(await outOfView(page.locator('main button, main th, main h2'))).toEqual([]);
    expect(await clipped(page.locator('main'))).toEqual([]);
    await keep(page, `visitor-lookup-${language}-${width}`);
    // The page scrolls inside the admin's layout: the decision, further down.
    await page.getByTestId('visitor-decision').scrollIntoViewIfNeeded();
    await keep(page, `visitor-lookup-${language}-${width}-decision`);
  });

  it.each(LAYOUTS)('the signals in the side panel (%s, %i px)', async (language, width) => {
    const { page } = session;
    await setLanguage(page, language);
    await page.setViewportSize({ width, height: 1000 });
    await page.goto(editView());
    const signals = page.getByTestId('personalize-signals');
    await signals.getByRole('textbox', { name: INTEREST }).waitFor();
    await signals.scrollIntoViewIfNeeded();
    expect(await outOfView(signals.locator('label, input, button'))).toEqual([]);
    expect(await clipped(signals)).toEqual([]);
    await keep(page, `signals-${language}-${width}`);
    mkdirSync(SCREENS, { recursive: true });
    await page
      .getByTestId('personalize-panel')
      .locator('xpath=..')
      .screenshot({ path: path.join(SCREENS, `signals-${language}-${width}-panel.png`) });
  });
});
