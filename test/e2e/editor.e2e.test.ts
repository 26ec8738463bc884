import { logIn, screenshot, useAdminSession } from '../helpers/browser';

const ARTICLE = 'api::article.article';

const session = useAdminSession();

beforeAll(() => logIn(session.page, session.app.url));

/** Picks `option` in the first design-system select labelled `label`. */
const choose = async (label: string | RegExp, option: string | RegExp) => {
  await session.page.getByRole('combobox', { name: label }).first().click();
  await session.page.getByRole('option', { name: option }).first().click();
};

describe('an editor personalizes an article', () => {
  it('creates a persona with a rule built in the visual builder', async () => {
    await session.page.goto(`${session.app.url}/admin/settings/personalize/personas`);
    await session.page.getByRole('link', { name: 'Create a persona' }).click();
    await session.page.waitForURL(/\/plugins\/personalize\/personas\/new$/);
    await session.page.getByRole('textbox', { name: 'Name' }).fill('Commuter');
    await session.page.getByRole('button', { name: 'Condition' }).first().click();
    await choose('Field', 'UTM source');
    await session.page.getByRole('textbox', { name: 'Value' }).fill('commute');
    await screenshot(session.page, 'editor-01-persona-builder');
    // The JSON tab shows the same rule, and the builder takes it back.
    await session.page.getByRole('tab', { name: 'JSON' }).click();
    await expect(
      session.page.getByRole('textbox', { name: 'JSON' }).first().inputValue()
    ).resolves.toContain('"utm.source"');
    await session.page.getByRole('tab', { name: 'Visual builder' }).click();
    await session.page.getByRole('textbox', { name: 'Value' }).waitFor();
    await session.page.getByRole('button', { name: 'Save' }).click();
    await session.page.waitForURL(/\/plugins\/personalize\/personas\/(?!new)[a-z0-9]+$/);
    const persona = await session.app.strapi
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
  await session.page.goto(editView);
  await session.page.getByText('Personalization').first().waitFor();
  await session.page.getByRole('link', { name: 'Add a variant' }).click();
  await session.page.waitForURL(/\/plugins\/personalize\/variants\/new\?/);
  await session.page.getByRole('textbox', { name: 'Name' }).fill(name);
  await choose('Persona', 'Commuter');
  await session.page.getByRole('switch', { name: `Override ${textField}` }).click();
  await session.page.getByRole('textbox', { name: textField, exact: true }).fill(text);
  await session.page.getByRole('switch', { name: `Override ${mediaField}` }).click();
  await session.page.getByRole('button', { name: 'Choose in the Media Library' }).click();
  const dialog = session.page.getByRole('dialog');
  await dialog.getByText('aurora-ev.jpg').first().waitFor();
  await screenshot(session.page, `editor-${name}-media-library`);
  await dialog
    .getByRole('checkbox', { name: /aurora-ev/ })
    .first()
    .check();
  await dialog.getByRole('button', { name: 'Finish' }).click();
  await session.page.getByTestId('override-media').getByText('aurora-ev.jpg').waitFor();
  await session.page.getByRole('button', { name: 'Save' }).click();
  await session.page.waitForURL(/\/plugins\/personalize\/variants\/(?!new)[a-z0-9]+$/);
  await screenshot(session.page, `editor-${name}-saved`);
  await session.page.getByRole('button', { name: 'Publish' }).click();
  await session.page.getByText('Published').first().waitFor();
  await screenshot(session.page, `editor-${name}-published`);
};

const auroraId = async () =>
  (
    await session.app.strapi.db
      .query('plugin::upload.file')
      .findOne({ where: { name: 'aurora-ev.jpg' } })
  ).id as number;

/** What the delivery serves `context` at `path`: the commuter's text and the Aurora picture. */
const expectCommuterVersion = async (
  path: string,
  context: object,
  { textField, text, mediaField }: { textField: string; text: string; mediaField: string }
) => {
  const response = await session.app
    .http()
    .get(path)
    .query({ populate: mediaField })
    .set('X-Personalize-Context', JSON.stringify(context));
  expect(response.status).toBe(200);
  expect(response.body.meta.personalization).toMatchObject({
    persona: 'commuter',
    reason: 'persona',
  });
  expect(response.body.data[textField]).toBe(text);
  expect(response.body.data[mediaField].id).toBe(await auroraId());
};

describe('an editor personalizes an article', () => {
  it('adds a persona variant with a new title and cover, and the delivery serves it', async () => {
    const article = await session.app.strapi
      .documents(ARTICLE)
      .findFirst({ locale: 'en', filters: { slug: 'configurator-guide' } } as never);
    await addVariant(
      `${session.app.url}/admin/content-manager/collection-types/${ARTICLE}/${article!.documentId}?plugins[i18n][locale]=en`,
      {
        name: 'Commuter article',
        textField: 'title',
        text: 'Configure it on the train',
        mediaField: 'cover',
      }
    );
    await expectCommuterVersion(
      `/api/personalize/content/articles/${article!.documentId}`,
      { utm: { source: 'commute' } },
      { textField: 'title', text: 'Configure it on the train', mediaField: 'cover' }
    );
  });

  it('does the same on the homepage single type', async () => {
    await addVariant(
      `${session.app.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`,
      {
        name: 'Commuter homepage',
        textField: 'headline',
        text: 'Your commute, electrified',
        mediaField: 'hero',
      }
    );
    await expectCommuterVersion(
      '/api/personalize/content/homepage',
      { persona: 'commuter' },
      { textField: 'headline', text: 'Your commute, electrified', mediaField: 'hero' }
    );
  });

  it('shows the persona × stage grid and the content-type settings', async () => {
    await session.page.goto(
      `${session.app.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`
    );
    await session.page.getByRole('link', { name: 'Persona × stage grid' }).click();
    await session.page.waitForURL(/\/plugins\/personalize\/grid\?/);
    // The demo's fleet persona in purchase intent gets its own homepage; the new persona its one.
    await expect(
      session.page.getByTestId('cell-fleet-purchase-intent').textContent()
    ).resolves.toContain('Homepage: fleet manager ready to order');
    await expect(
      session.page.getByTestId('cell-commuter-awareness').textContent()
    ).resolves.toContain('Commuter homepage');
    await screenshot(session.page, 'editor-grid');

    await session.page.goto(`${session.app.url}/admin/settings/personalize/content-types`);
    await session.page.getByRole('heading', { name: 'Article' }).waitFor();
    await expect(
      session.page.getByRole('checkbox', { name: 'Variants for Homepage' }).isChecked()
    ).resolves.toBe(true);
    await screenshot(session.page, 'editor-content-types');
  });

  it('shows the panel in German when the admin speaks German', async () => {
    const homepage = `${session.app.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`;
    await session.page.evaluate(() => localStorage.setItem('strapi-admin-language', 'de'));
    await session.page.goto(homepage);
    await session.page.getByText('Personalisierung').first().waitFor();
    const panel = session.page.getByTestId('personalize-panel');
    await panel.getByRole('link', { name: 'Variante hinzufügen' }).waitFor();
    await panel.getByRole('link', { name: 'Persona × Phase-Raster' }).waitFor();
    await expect(panel.getByText('Veröffentlicht').count()).resolves.toBeGreaterThan(0);
    await screenshot(session.page, 'editor-panel-de');
    await session.page.evaluate(() => localStorage.setItem('strapi-admin-language', 'en'));
  });
});
