/**
 * The preview of an entry as a visitor, opened from the Content Manager's side panel: the entry
 * rendered for reading (pictures, rich text), the variant's fields marked, and a link that opens
 * the demo storefront as that visitor.
 */
import type { Page } from 'playwright-core';

import { previewContext } from '../../client/src';
import { logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';

const ARTICLE = 'api::article.article';
const FACT_SEEKER_SUMMARY =
  '86 kWh (net), 540 km WLTP, 150 kW DC peak, 10–80 % in 24 min, heat pump standard, 1,900 kg.';
const BODY_TEXT = 'The Aurora EV combines an 86 kWh battery';

const session = useAdminSession();

let aurora: string;

beforeAll(async () => {
  await logIn(session.page, session.app.url);
  const article = await session.app.strapi
    .documents(ARTICLE)
    .findFirst({ filters: { slug: 'aurora-ev-range' }, locale: 'en' });
  aurora = String(article?.documentId);
});

afterEach(() => setLanguage(session.page, 'en'));

const editView = () =>
  `${session.app.url}/admin/content-manager/collection-types/${ARTICLE}/${aurora}?plugins[i18n][locale]=en`;

/** From the article's side panel to its preview, as the fact seeker. */
const previewAsFactSeeker = async (page: Page, labels: { preview: string; stage: string }) => {
  await page.goto(editView());
  await page
    .getByTestId('personalize-panel')
    .getByRole('link', { name: labels.preview, exact: true })
    .click();
  await page.waitForURL(/\/plugins\/personalize\/preview\?/);
  const preview = page.getByTestId('preview');
  await preview.getByTestId('preview-variant').waitFor();
  await page.getByRole('combobox', { name: 'Persona' }).click();
  await page.getByRole('option', { name: 'Fact seeker' }).click();
  await preview
    .getByTestId('preview-variant')
    .filter({ hasText: 'Aurora EV: fact seeker' })
    .waitFor();
  // The stage select is there too, with its own label.
  await page.getByRole('combobox', { name: labels.stage }).waitFor();
  return preview;
};

describe('the preview of an entry', () => {
  it('opens from the side panel and shows the entry as the visitor reads it', async () => {
    const { page } = session;
    const preview = await previewAsFactSeeker(page, { preview: 'Preview', stage: 'Journey stage' });

    // The cover: a thumbnail that loads, marked as the variant's.
    const cover = preview.getByTestId('preview-field-cover');
    await expect(cover.getAttribute('data-overridden')).resolves.toBe('true');
    const image = cover.locator('img');
    await expect(image.getAttribute('src')).resolves.toMatch(/\/uploads\/.+/);
    await expect(
      image.evaluate((element: HTMLImageElement) =>
        element.decode().then(() => element.naturalWidth)
      )
    ).resolves.toBeGreaterThan(0);

    // The summary: the variant's text, marked with the variant's name.
    const summary = preview.getByTestId('preview-field-summary');
    await expect(summary.getAttribute('data-overridden')).resolves.toBe('true');
    await expect(summary.textContent()).resolves.toContain(FACT_SEEKER_SUMMARY);
    await expect(summary.textContent()).resolves.toContain('From variant "Aurora EV: fact seeker"');

    // The body (Blocks): paragraphs of text, from the base entry, not marked.
    const body = preview.getByTestId('preview-field-body');
    await expect(body.getAttribute('data-overridden')).resolves.toBe('false');
    await expect(body.locator('p').first().textContent()).resolves.toContain(BODY_TEXT);
    await expect(
      preview.getByTestId('preview-field-title').getAttribute('data-overridden')
    ).resolves.toBe('false');
    await expect(preview.textContent()).resolves.not.toMatch(/"type":\s*"paragraph"/);
    await expect(preview.getByTestId('preview-reason').textContent()).resolves.toBe(
      'The variant for this persona'
    );

    // For developers: the answer as JSON, on request.
    await preview.getByRole('button', { name: 'Show JSON' }).click();
    await expect(preview.textContent()).resolves.toMatch(/"type":\s*"paragraph"/);
    await preview.getByRole('button', { name: 'Hide JSON' }).click();
    await expect(preview.textContent()).resolves.not.toMatch(/"type":\s*"paragraph"/);
  });

  it('links to the storefront as this visitor, which then shows the variant', async () => {
    const { page } = session;
    const preview = await previewAsFactSeeker(page, { preview: 'Preview', stage: 'Journey stage' });
    const link = preview.getByRole('link', { name: 'Open in storefront as this visitor' });
    const href = await link.evaluate((anchor: HTMLAnchorElement) => anchor.href);
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    expect(new URL(href).origin).toBe(session.app.url);
    expect(previewContext(href)).toMatchObject({ persona: 'fact-seeker' });

    const [storefront] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    try {
      await storefront.locator('body[data-ready]').waitFor();
      await storefront.locator('#preview-notice').waitFor();
      await expect(
        storefront.locator('#applied [data-field="persona"]').textContent()
      ).resolves.toBe('fact-seeker (explicit)');
      const card = storefront.locator('#articles li').filter({ hasText: 'Aurora EV' });
      await expect(card.locator('p').textContent()).resolves.toBe(FACT_SEEKER_SUMMARY);
      await expect(storefront.locator('#persona').inputValue()).resolves.toBe('fact-seeker');
      await screenshot(storefront, 'preview-storefront');
    } finally {
      await storefront.close();
    }
  });

  it.each([
    ['en', 1280, { preview: 'Preview', stage: 'Journey stage' }],
    ['en', 1440, { preview: 'Preview', stage: 'Journey stage' }],
    ['de', 1280, { preview: 'Vorschau', stage: 'Journey-Phase' }],
    ['de', 1440, { preview: 'Vorschau', stage: 'Journey-Phase' }],
  ] as const)('fits the page (%s, %i px)', async (language, width, labels) => {
    const { page } = session;
    await setLanguage(page, language);
    await page.setViewportSize({ width, height: 1000 });
    try {
      const preview = await previewAsFactSeeker(page, labels);
      const link = preview.getByTestId('preview-storefront');
      const box = await link.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
      await screenshot(page, `preview-${language}-${width}`);
      // The end of the page: the trace and the JSON toggle, below the fields.
      await preview.getByRole('button', { name: 'JSON' }).scrollIntoViewIfNeeded();
      await screenshot(page, `preview-${language}-${width}-end`);
    } finally {
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  });

  it('refreshes the side panel when the entry is saved (the variants tell of the change)', async () => {
    const { page } = session;
    await page.goto(editView());
    const panel = page.getByTestId('personalize-panel');
    await panel.getByText('Aurora EV: fact seeker').waitFor();
    await expect(panel.getByText('Entry changed').count()).resolves.toBe(0);
    const summary = page.getByRole('textbox', { name: 'summary' });
    await summary.fill('A summary edited after the variants were written.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByText('Entry changed').first().waitFor();
  });
});
