import type { Page } from 'playwright-core';

import { loginAdmin } from '../helpers/admin';
import { LAYOUTS, logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';
import { experimentBody } from '../helpers/personalize';

/**
 * The persona and stage pages: where each is used (its variants and their experiments, linked to
 * their editors, also in the delete dialog), the server's refusals at their fields, and lists whose
 * columns all stay in view. English and German, 1280 and 1440 px wide.
 */
const session = useAdminSession();

const EXPERIMENT = 'Aurora EV: specs for fact seekers';

beforeAll(async () => {
  const { page, app } = session;
  await logIn(page, app.url);
  const token = await loginAdmin(app);
  // The demo's fact seeker variant of the Aurora EV article, as an arm of an experiment.
  const variant = await app.strapi
    .documents('plugin::personalize.variant')
    .findFirst({ locale: 'en', filters: { name: 'Aurora EV: fact seeker' } });
  const created = await app
    .http()
    .post('/personalize/experiments')
    .set('Authorization', `Bearer ${token}`)
    .send(
      experimentBody(variant!.targetDocumentId as string, variant!.documentId, {
        name: EXPERIMENT,
        goal: 'specs_click',
      })
    );
  expect(created.status).toBe(201);
});

afterEach(async () => {
  await setLanguage(session.page, 'en');
  await session.page.setViewportSize({ width: 1440, height: 1000 });
});

const WORDS = {
  en: {
    usedBy: 'Used by',
    delete: 'Delete',
    confirm: 'Confirm',
    cancel: 'Cancel',
    refusal: '"Fact seeker" cannot be deleted while variants target it',
    save: 'Save',
  },
  de: {
    usedBy: 'Verwendet von',
    delete: 'Löschen',
    confirm: 'Bestätigen',
    cancel: 'Abbrechen',
    refusal: '„Fact seeker“ kann nicht gelöscht werden, solange sich Varianten an sie richten',
    save: 'Speichern',
  },
};

/** Opens a persona or stage from its settings list, as an editor does. */
const openFromList = async (page: Page, list: 'personas' | 'stages', name: string) => {
  await page.goto(`${session.app.url}/admin/settings/personalize/${list}`);
  await page
    .getByRole('gridcell', { name: new RegExp(`^${name}`) })
    .first()
    .click();
  await page.waitForURL(new RegExp(`/plugins/personalize/${list}/(?!new)[a-z0-9]+$`));
};

/** Whether `locator` lies within the viewport's width. */
const insideViewport = (page: Page, selector: string) =>
  page.evaluate((query) => {
    const element = document.querySelector(query);
    if (!element) return `${query} not found`;
    const box = element.getBoundingClientRect();
    return box.left >= 0 && box.right <= window.innerWidth
      ? true
      : `${Math.round(box.left)}–${Math.round(box.right)}`;
  }, selector);

describe('a persona shows where it is used', () => {
  it.each(LAYOUTS)(
    'lists its variants and experiments with links, also in the delete dialog (%s, %i px)',
    async (language, width) => {
      const { page } = session;
      const words = WORDS[language];
      await setLanguage(page, language);
      await page.setViewportSize({ width, height: 1000 });
      await openFromList(page, 'personas', 'Fact seeker');

      const usage = page.getByTestId('classification-usage');
      await usage.getByRole('heading', { name: words.usedBy }).waitFor();
      const variants = usage.getByRole('link', { name: 'Aurora EV: fact seeker' });
      await variants.first().waitFor();
      // The demo has the variant in English and German, and the homepage's.
      expect(await variants.count()).toBe(2);
      await usage.getByRole('link', { name: 'Homepage: fact seeker' }).first().waitFor();
      await usage
        .getByText('Aurora EV: 540 km of range for real life', { exact: false })
        .first()
        .waitFor();
      const experiment = usage.getByRole('link', { name: EXPERIMENT });
      await experiment.waitFor();
      await expect(insideViewport(page, '[data-testid="classification-usage"]')).resolves.toBe(
        true
      );
      // The page scrolls inside the admin's layout: a full-page screenshot stops at the viewport.
      await usage.scrollIntoViewIfNeeded();
      await screenshot(page, `classification-usage-${language}-${width}`);

      await page.getByRole('button', { name: words.delete }).click();
      const dialog = page.getByRole('alertdialog');
      await dialog.getByText(words.refusal, { exact: false }).waitFor();
      await dialog.getByRole('link', { name: EXPERIMENT }).waitFor();
      await expect(
        dialog.getByRole('link', { name: 'Aurora EV: fact seeker' }).count()
      ).resolves.toBe(2);
      await expect(dialog.getByRole('button', { name: words.confirm }).isDisabled()).resolves.toBe(
        true
      );
      await page.waitForTimeout(300); // the dialog fades in
      await screenshot(page, `classification-delete-${language}-${width}`);
      await dialog.getByRole('button', { name: words.cancel }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
  );

  it("opens a variant's editor and an experiment's results from the card", async () => {
    const { page, app } = session;
    await openFromList(page, 'personas', 'Fact seeker');
    const usage = page.getByTestId('classification-usage');
    const variant = await app.strapi
      .documents('plugin::personalize.variant')
      .findFirst({ locale: 'en', filters: { name: 'Aurora EV: fact seeker' } });
    await usage.locator(`a[href$="/plugins/personalize/variants/${variant!.documentId}"]`).click();
    await page.waitForURL(new RegExp(`/plugins/personalize/variants/${variant!.documentId}$`));
    await page.getByRole('heading', { name: 'Aurora EV: fact seeker' }).waitFor();

    await page.goBack();
    await usage.getByRole('link', { name: EXPERIMENT }).click();
    await page.waitForURL(/\/plugins\/personalize\/experiments\/[a-z0-9]+\/results$/);
    await page.getByRole('heading', { name: EXPERIMENT }).waitFor();
  });

  it('says when nothing uses it, and lets it be deleted', async () => {
    const { page, app } = session;
    const token = await loginAdmin(app);
    await app
      .http()
      .post('/personalize/personas')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Weekend browser' })
      .expect(201);
    await openFromList(page, 'personas', 'Weekend browser');
    await page
      .getByTestId('classification-usage')
      .getByText('No variant targets this persona.')
      .waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Delete "Weekend browser"? This cannot be undone.').waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL(/\/settings\/personalize\/personas$/);
    const stored = await app.strapi
      .documents('plugin::personalize.persona')
      .findFirst({ filters: { name: 'Weekend browser' } });
    expect(stored).toBeNull();
  });
});

describe("the persona and stage editors show the server's refusal at its field", () => {
  it.each([
    ['personas', 'Family buyer', 'fleet', 'en'],
    ['stages', 'Consideration', 'awareness', 'en'],
    ['stages', 'Customer', 'loyalty', 'de'],
  ] as const)('a slug already used (%s, %s, %s)', async (list, name, taken, language) => {
    const { page } = session;
    await setLanguage(page, language);
    await openFromList(page, list, name);
    const slug = page.getByRole('textbox', { name: 'Slug' });
    await slug.fill(taken);
    await page.getByRole('button', { name: WORDS[language].save }).click();
    await slug.and(page.locator('[aria-invalid="true"]')).waitFor();
    const described = await slug.getAttribute('aria-describedby');
    const error = await page.locator(`[id="${described?.split(' ').pop()}"]`).textContent();
    if (language === 'en') expect(error).toBe(`"${taken}" is already used`);
    else expect(error?.trim().length).toBeGreaterThan(0);
    await screenshot(page, `classification-slug-refused-${list}-${language}`);
    // Leaving the refused edit: the editor asks, the test says leave.
    await page.getByRole('link', { name: language === 'de' ? 'Zurück' : 'Back' }).click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: WORDS[language].confirm })
      .click();
    await page.waitForURL(new RegExp(`/settings/personalize/${list}$`));
  });
});

describe('the persona and stage lists', () => {
  it.each(
    (['personas', 'stages'] as const).flatMap((list) =>
      (['en', 'de'] as const).flatMap((language) =>
        ([1280, 1440] as const).map((width) => [list, language, width] as const)
      )
    )
  )('show every column in view (%s, %s, %i px)', async (list, language, width) => {
    const { page, app } = session;
    await setLanguage(page, language);
    await page.setViewportSize({ width, height: 1000 });
    await page.goto(`${app.url}/admin/settings/personalize/${list}`);
    const headers = page.locator('thead th');
    await headers.first().waitFor();
    expect(await headers.count()).toBeGreaterThanOrEqual(5);
    await screenshot(page, `classification-list-${list}-${language}-${width}`);
    const outOfView = await headers.evaluateAll((cells) =>
      cells
        .filter((cell) => {
          const box = cell.getBoundingClientRect();
          return box.left < 0 || box.right > window.innerWidth;
        })
        .map((cell) => cell.textContent)
    );
    expect(outOfView).toEqual([]);
  });
});
