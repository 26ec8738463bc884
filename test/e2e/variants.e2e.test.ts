import type { Page } from 'playwright-core';

import { loginAdmin } from '../helpers/admin';
import { LAYOUTS, logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';

/**
 * Copies of variants in the browser: *Duplicate* and *Copy to another locale…* in the variant
 * editor, *Copy here* in the side panel of an entry whose variants are all in another locale, and
 * the server's refusal of an override shown at that override's field.
 */
const session = useAdminSession();

const ARTICLE = 'api::article.article';
const CM = `/content-manager/collection-types/${ARTICLE}`;

let adminToken: string;

/** The admin API (the plugin's and the Content Manager's), as the demo admin. */
const admin = async (method: 'get' | 'post' | 'put', path: string, body?: object) => {
  const response = await session.app
    .http()
    [method](path)
    .set('Authorization', `Bearer ${adminToken}`)
    .send(body);
  expect(response.status).toBeLessThan(300);
  return response.body.data as Record<string, unknown> & { documentId: string };
};

/** An article in English and German, as an editor writes it in the Content Manager. */
const createArticle = async (title: string, body?: unknown) => {
  const { documentId } = await admin('post', `${CM}?locale=en`, { title, body });
  await admin('put', `${CM}/${documentId}?locale=de`, { title: `${title} (DE)`, body });
  return documentId;
};

/** An English variant of `article` for the demo's family persona. */
const createVariant = (article: string, name: string) =>
  admin('post', '/personalize/variants', {
    name,
    targetUid: ARTICLE,
    targetDocumentId: article,
    locale: 'en',
    persona: 'family',
    priority: 3,
    overrides: { title: `${name}: for families` },
  });

const variantsOf = async (article: string, locale: string) =>
  (
    await session.app
      .http()
      .get(
        `/personalize/variants?targetUid=${ARTICLE}&targetDocumentId=${article}&locale=${locale}`
      )
      .set('Authorization', `Bearer ${adminToken}`)
  ).body.data as Record<string, unknown>[];

const editorUrl = (documentId: string) =>
  `${session.app.url}/admin/plugins/personalize/variants/${documentId}`;

/** Waits until the editor shows another variant than `documentId`; returns its documentId. */
const openedCopy = async (page: Page, documentId: string) => {
  await page.waitForURL(new RegExp(`/variants/(?!${documentId})[a-z0-9]{20,}$`));
  return page.url().split('/').pop() as string;
};

beforeAll(async () => {
  await logIn(session.page, session.app.url);
  adminToken = await loginAdmin(session.app);
});

afterEach(async () => {
  await setLanguage(session.page, 'en');
  await session.page.setViewportSize({ width: 1440, height: 1000 });
});

describe('the variant editor', () => {
  it('duplicates a variant as a draft on the same entry and opens the copy', async () => {
    const { page } = session;
    const article = await createArticle('Duplicated range');
    const original = await createVariant(article, 'Range');
    await admin('post', `/personalize/variants/${original.documentId}/publish`);
    await page.goto(editorUrl(original.documentId));
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    const copy = await openedCopy(page, original.documentId);
    await expect(page.getByRole('textbox', { name: 'Name' }).inputValue()).resolves.toBe(
      'Range (copy)'
    );
    const english = await variantsOf(article, 'en');
    expect(english.find((variant) => variant.documentId === copy)).toMatchObject({
      name: 'Range (copy)',
      status: 'draft',
      persona: 'family',
      priority: 3,
      overrides: { title: 'Range: for families' },
    });
  });

  it('copies a variant to German: the copy opens, and the German entry shows it in its side panel', async () => {
    const { page, app } = session;
    const article = await createArticle('Copied range');
    const original = await createVariant(article, 'Range abroad');
    await page.goto(editorUrl(original.documentId));
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Copy to another locale…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Texts are copied as they are', { exact: false }).waitFor();
    await expect(dialog.getByRole('combobox', { name: 'Locale' }).textContent()).resolves.toMatch(
      /German/
    );
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    const copy = await openedCopy(page, original.documentId);
    await expect(page.getByRole('textbox', { name: 'Name' }).inputValue()).resolves.toBe(
      'Range abroad'
    );

    await page.goto(`${app.url}/admin${CM}/${article}?plugins[i18n][locale]=de`);
    const panel = page.getByTestId('personalize-panel');
    await panel.getByText('Range abroad', { exact: true }).waitFor();
    await expect(
      panel.getByRole('link', { name: 'Edit' }).first().getAttribute('href')
    ).resolves.toMatch(new RegExp(`/variants/${copy}$`));
    expect(await variantsOf(article, 'de')).toEqual([
      expect.objectContaining({
        documentId: copy,
        locale: 'de',
        status: 'draft',
        persona: 'family',
        overrides: { title: 'Range abroad: for families' },
      }),
    ]);
  });

  it.each(LAYOUTS)('shows its copy actions in reach (%s, %i px)', async (language, width) => {
    const { page } = session;
    const article = await createArticle(`Looked at ${language} ${width}`);
    const variant = await createVariant(article, 'Family offer with a longer name');
    await setLanguage(page, language);
    await page.setViewportSize({ width, height: 900 });
    await page.goto(editorUrl(variant.documentId));
    const more = page.getByRole('button', {
      name: language === 'de' ? 'Weitere Aktionen' : 'More actions',
    });
    const box = await more.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
    await more.click();
    const copyToLocale = page.getByRole('menuitem', {
      name: language === 'de' ? 'In eine andere Sprache kopieren…' : 'Copy to another locale…',
    });
    await copyToLocale.waitFor();
    await screenshot(page, `variants-actions-${language}-${width}`);
    // A full-page screenshot resizes the page, which may close the menu: open it afresh.
    await page.keyboard.press('Escape');
    await more.click();
    await copyToLocale.click();
    await page
      .getByRole('dialog')
      .getByText(language === 'de' ? 'Texte werden unverändert kopiert' : 'Texts are copied', {
        exact: false,
      })
      .waitFor();
    await page.waitForTimeout(300); // the dialog fades in
    await screenshot(page, `variants-copy-dialog-${language}-${width}`);
  });

  it("shows the server's refusal of an override under that override's field, not as a toast", async () => {
    const { page, app } = session;
    // Bold text: the body is edited as JSON, where an editor can write what the server refuses.
    const article = await createArticle('Refused body', [
      { type: 'paragraph', children: [{ type: 'text', text: 'Bold claim', bold: true }] },
    ]);
    await page.goto(
      `${app.url}/admin/plugins/personalize/variants/new?targetUid=${ARTICLE}&targetDocumentId=${article}&locale=en`
    );
    await page.getByRole('textbox', { name: 'Name' }).fill('Refused body');
    const body = page.getByTestId('override-body');
    await body.getByRole('switch').click();
    await body.locator('textarea').fill('{"type": "paragraph"}');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = body.getByRole('alert');
    await alert.waitFor();
    const refusal = (await alert.textContent()) ?? '';
    expect(refusal).toMatch(/list|array/);
    await screenshot(page, 'variants-refused-override');
    // Said once, at the field: no notification repeats it.
    await expect(page.getByText(refusal).count()).resolves.toBe(1);
    expect(await variantsOf(article, 'en')).toEqual([]);
    expect(page.url()).toMatch(/\/variants\/new\?/);
  });
});

describe('the side panel of an entry whose variants are in another locale', () => {
  it('says how many there are and copies them here', async () => {
    const { page, app } = session;
    const article = await createArticle('Panel copies');
    await createVariant(article, 'Panel family');
    await createVariant(article, 'Panel second');
    await page.goto(`${app.url}/admin${CM}/${article}?plugins[i18n][locale]=de`);
    const panel = page.getByTestId('personalize-panel');
    const notice = panel.getByTestId('personalize-other-locale');
    await notice.getByText('2 variants in English').waitFor();
    await screenshot(page, 'variants-panel-other-locale');
    await notice.getByRole('button', { name: 'Copy here' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog
      .getByText('Copy the 2 variants from English to German?', { exact: false })
      .waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await panel.getByText('Panel family', { exact: true }).waitFor();
    await panel.getByText('Panel second', { exact: true }).waitFor();
    await expect(notice.count()).resolves.toBe(0);
    const german = await variantsOf(article, 'de');
    expect(german.map((variant) => variant.name).sort()).toEqual(['Panel family', 'Panel second']);
    expect(german.every((variant) => variant.status === 'draft')).toBe(true);
  });
});
