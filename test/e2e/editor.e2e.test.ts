import type { Browser, Page } from 'playwright-core';

import { launchBrowser, logIn, screenshot } from '../helpers/browser';
import { startPlayground, type Playground } from '../helpers/playground';

const ARTICLE = 'api::article.article';

let app: Playground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startPlayground({ seed: true, serveAdminPanel: true });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await logIn(page, app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Picks `option` in the first design-system select labelled `label`. */
const choose = async (label: string | RegExp, option: string | RegExp) => {
  await page.getByRole('combobox', { name: label }).first().click();
  await page.getByRole('option', { name: option }).first().click();
};

describe('an editor personalizes an article', () => {
  it('creates a persona with a rule built in the visual builder', async () => {
    await page.goto(`${app.url}/admin/settings/personalize/personas`);
    await page.getByRole('link', { name: 'Create a persona' }).click();
    await page.waitForURL(/\/plugins\/personalize\/personas\/new$/);
    await page.getByRole('textbox', { name: 'Name' }).fill('Commuter');
    await page.getByRole('button', { name: 'Condition' }).first().click();
    await choose('Field', 'utm.source');
    await page.getByRole('textbox', { name: 'Value' }).fill('commute');
    await screenshot(page, 'editor-01-persona-builder');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/plugins\/personalize\/personas\/(?!new)[a-z0-9]+$/);
    const persona = await app.strapi
      .documents('plugin::personalize.persona')
      .findFirst({ filters: { slug: 'commuter' } });
    expect(persona?.rule).toEqual({ and: [{ '==': [{ var: 'utm.source' }, 'commute'] }] });
  });
});

/** Adds a variant from the entry's edit view: persona, new title and a cover from the library. */
const addVariant = async (
  editView: string,
  {
    name,
    textField,
    text,
    mediaField,
  }: { name: string; textField: string; text: string; mediaField: string }
) => {
  await page.goto(editView);
  await page.getByText('Personalization').first().waitFor();
  await page.getByRole('link', { name: 'Add a variant' }).click();
  await page.waitForURL(/\/plugins\/personalize\/variants\/new\?/);
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await choose('Persona', 'Commuter');
  await page.getByRole('checkbox', { name: `Override ${textField}` }).click();
  await page.getByRole('textbox', { name: textField, exact: true }).fill(text);
  await page.getByRole('checkbox', { name: `Override ${mediaField}` }).click();
  await page.getByRole('button', { name: 'Choose in the Media Library' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('aurora-ev.jpg').first().waitFor();
  await screenshot(page, `editor-${name}-media-library`);
  await dialog
    .getByRole('checkbox', { name: /aurora-ev/ })
    .first()
    .check();
  await dialog.getByRole('button', { name: 'Finish' }).click();
  await page.getByTestId('override-media').getByText('aurora-ev.jpg').waitFor();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/plugins\/personalize\/variants\/(?!new)[a-z0-9]+$/);
  await screenshot(page, `editor-${name}-saved`);
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Published').first().waitFor();
  await screenshot(page, `editor-${name}-published`);
};

const auroraId = async () =>
  (await app.strapi.db.query('plugin::upload.file').findOne({ where: { name: 'aurora-ev.jpg' } }))
    .id as number;

describe('an editor personalizes an article', () => {
  it('adds a persona variant with a new title and cover, and the delivery serves it', async () => {
    const article = await app.strapi
      .documents(ARTICLE)
      .findFirst({ locale: 'en', filters: { slug: 'configurator-guide' } } as never);
    await addVariant(
      `${app.url}/admin/content-manager/collection-types/${ARTICLE}/${article!.documentId}?plugins[i18n][locale]=en`,
      {
        name: 'Commuter article',
        textField: 'title',
        text: 'Configure it on the train',
        mediaField: 'cover',
      }
    );
    const response = await app
      .http()
      .get(`/api/personalize/content/articles/${article!.documentId}`)
      .query({ populate: 'cover' })
      .set('X-Personalize-Context', JSON.stringify({ utm: { source: 'commute' } }));
    expect(response.status).toBe(200);
    expect(response.body.meta.personalization).toMatchObject({
      persona: 'commuter',
      reason: 'persona',
    });
    expect(response.body.data.title).toBe('Configure it on the train');
    expect(response.body.data.cover.id).toBe(await auroraId());
  });

  it('does the same on the homepage single type', async () => {
    await addVariant(
      `${app.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`,
      {
        name: 'Commuter homepage',
        textField: 'headline',
        text: 'Your commute, electrified',
        mediaField: 'hero',
      }
    );
    const response = await app
      .http()
      .get('/api/personalize/content/homepage')
      .query({ populate: 'hero' })
      .set('X-Personalize-Context', JSON.stringify({ persona: 'commuter' }));
    expect(response.status).toBe(200);
    expect(response.body.meta.personalization).toMatchObject({
      persona: 'commuter',
      reason: 'persona',
    });
    expect(response.body.data.headline).toBe('Your commute, electrified');
    expect(response.body.data.hero.id).toBe(await auroraId());
  });

  it('shows the persona × stage grid and the content-type settings', async () => {
    await page.goto(
      `${app.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`
    );
    await page.getByRole('link', { name: 'Persona × stage grid' }).click();
    await page.waitForURL(/\/plugins\/personalize\/grid\?/);
    // The demo's fleet persona in purchase intent gets its own homepage; the new persona its one.
    await expect(page.getByTestId('cell-fleet-purchase-intent').textContent()).resolves.toContain(
      'Homepage: fleet manager ready to order'
    );
    await expect(page.getByTestId('cell-commuter-awareness').textContent()).resolves.toContain(
      'Commuter homepage'
    );
    await screenshot(page, 'editor-grid');

    await page.goto(`${app.url}/admin/settings/personalize/content-types`);
    await page.getByRole('heading', { name: 'Article' }).waitFor();
    await expect(
      page.getByRole('checkbox', { name: 'Variants for Homepage' }).isChecked()
    ).resolves.toBe(true);
    await screenshot(page, 'editor-content-types');
  });

  it('shows the panel in German when the admin speaks German', async () => {
    const homepage = `${app.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`;
    await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'de'));
    await page.goto(homepage);
    await page.getByText('Personalisierung').first().waitFor();
    const panel = page.getByTestId('personalize-panel');
    await panel.getByRole('link', { name: 'Variante hinzufügen' }).waitFor();
    await panel.getByRole('link', { name: 'Persona × Phase-Raster' }).waitFor();
    await expect(panel.getByText('Veröffentlicht').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'editor-panel-de');
    await page.evaluate(() => localStorage.setItem('strapi-admin-language', 'en'));
  });
});
