import type { Dialog, Page } from 'playwright-core';

import { bucketArm, type ExperimentDefinition } from '../../server/src/engine';
import { createApiToken, loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { experimentBody } from '../helpers/personalize';

import { LAYOUTS, logIn, screenshot, setLanguage, useAdminSession } from '../helpers/browser';

/**
 * The rough edges an editor walkthrough found, one test each: the side panel's actions out of
 * reach, edits lost without a word, a verdict that changed on pause, a winner declared on no data,
 * rules and names that were saved or refused silently.
 */
const session = useAdminSession();

let adminToken: string;

beforeAll(async () => {
  await logIn(session.page, session.app.url);
  adminToken = await loginAdmin(session.app);
});

/** The plugin's admin API, as the demo admin. */
const admin = async (method: 'get' | 'post', path: string, body?: object) => {
  const response = await session.app
    .http()
    [method](`/personalize${path}`)
    .set('Authorization', `Bearer ${adminToken}`)
    .send(body);
  expect(response.status).toBeLessThan(300);
  return response.body.data as Record<string, unknown> & { documentId: string };
};

afterEach(() => setLanguage(session.page, 'en'));

/**
 * Every link and button inside `selector` that is not fully inside the viewport, not the element
 * a click at its centre reaches, or whose label is cut off ("Bearb…").
 */
const unreachableActions = (page: Page, selector: string) =>
  page.evaluate((root) => {
    const problems: string[] = [];
    const container = document.querySelector(root);
    if (!container) return [`${root} not found`];
    for (const action of Array.from(container.querySelectorAll('a, button'))) {
      const label = action.textContent?.trim() || action.getAttribute('aria-label') || '?';
      action.scrollIntoView({ block: 'center', inline: 'nearest' });
      const box = action.getBoundingClientRect();
      if (box.left < 0 || box.right > window.innerWidth) {
        problems.push(`${label}: x ${Math.round(box.left)}–${Math.round(box.right)}`);
        continue;
      }
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (!hit || !action.contains(hit)) problems.push(`${label}: covered`);
      for (const part of [action, ...Array.from(action.querySelectorAll('*'))]) {
        if (part.scrollWidth > part.clientWidth + 1 && part.clientWidth > 0) {
          problems.push(`${label}: cut off`);
          break;
        }
      }
    }
    return problems;
  }, selector);

describe('the Personalization side panel', () => {
  it.each(LAYOUTS)(
    'has every action inside the viewport and clickable (%s, %i px)',
    async (language, width) => {
      const { page, app } = session;
      await setLanguage(page, language);
      await page.setViewportSize({ width, height: 1000 });
      await page.goto(
        `${app.url}/admin/content-manager/single-types/api::homepage.homepage?plugins[i18n][locale]=en`
      );
      const panel = page.getByTestId('personalize-panel');
      await panel.getByRole('link').first().waitFor();
      // The demo homepage has variants and an experiment: Edit and Results links are there.
      expect(await panel.getByRole('link').count()).toBeGreaterThan(4);
      await screenshot(page, `guards-panel-${language}-${width}`);
      expect(await unreachableActions(page, '[data-testid="personalize-panel"]')).toEqual([]);
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  );
});

const UNSAVED = {
  en: 'Are you sure you want to leave this page? All your modifications will be lost.',
  de: 'Seite wirklich verlassen? Alle Änderungen gehen hierdurch verloren.',
};

describe('the journey stages list', () => {
  it('cannot move the first stage up or the last one down', async () => {
    const { page, app } = session;
    await page.goto(`${app.url}/admin/settings/personalize/stages`);
    const up = page.getByRole('button', { name: 'Move up' });
    const down = page.getByRole('button', { name: 'Move down' });
    await up.first().waitFor();
    const count = await up.count();
    expect(count).toBeGreaterThan(2);
    await expect(up.first().isDisabled()).resolves.toBe(true);
    await expect(down.last().isDisabled()).resolves.toBe(true);
    await expect(up.nth(1).isDisabled()).resolves.toBe(false);
    await expect(down.first().isDisabled()).resolves.toBe(false);
  });
});

describe('editors keep unsaved changes until the editor says to leave', () => {
  it('asks before Back or a menu item leaves an edited persona, and before a reload', async () => {
    const { page, app } = session;
    await page.goto(`${app.url}/admin/settings/personalize/personas`);
    await page
      .getByRole('gridcell', { name: /^Family/ })
      .first()
      .click();
    await page.waitForURL(/\/plugins\/personalize\/personas\/(?!new)[a-z0-9]+$/);
    const editor = page.url();
    const name = page.getByRole('textbox', { name: 'Name' });
    await name.fill('Families with kids');

    await page.getByRole('link', { name: 'Back' }).click();
    const dialog = page.getByRole('alertdialog').filter({ hasText: UNSAVED.en });
    await dialog.waitFor();
    await screenshot(page, 'guards-unsaved-en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(page.url()).toBe(editor);
    await expect(name.inputValue()).resolves.toBe('Families with kids');

    // A reload asks the browser's own question (no page can draw a dialog while unloading).
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (question) => {
        resolve(question.type());
        void question.dismiss().catch(() => undefined);
      })
    );
    void page.reload({ timeout: 2_000 }).catch(() => undefined);
    await expect(asked).resolves.toBe('beforeunload');
    await expect(name.inputValue()).resolves.toBe('Families with kids');

    await page.getByRole('link', { name: 'Content Manager' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL(/\/content-manager/);
    const family = await app.strapi
      .documents('plugin::personalize.persona')
      .findFirst({ filters: { slug: 'family' } });
    expect(family?.name).toBe('Family buyer');
  });

  it('leaves an untouched variant without asking, and asks in German for an edited experiment', async () => {
    const { page, app } = session;
    const variant = await app.strapi
      .documents('plugin::personalize.variant')
      .findFirst({ locale: 'en', filters: { name: 'Homepage: family' } } as never);
    await page.goto(`${app.url}/admin/plugins/personalize/variants/${variant!.documentId}`);
    await page.getByRole('textbox', { name: 'Name' }).waitFor();
    await page.getByRole('link', { name: 'Back' }).click();
    await page.waitForURL(/\/content-manager\/single-types\/api::homepage\.homepage/);

    // A rule the builder writes another way ({"and": [...]} around one condition) is no edit.
    const mobile = await admin('post', '/personas', {
      name: 'Mobile visitors',
      rule: { '==': [{ var: 'utm.source' }, 'mobile-ads'] },
    });
    await page.goto(`${app.url}/admin/settings/personalize/personas`);
    await page.goto(`${app.url}/admin/plugins/personalize/personas/${mobile.documentId}`);
    await page.getByRole('textbox', { name: 'Value' }).waitFor(); // the builder shows the rule
    await page.waitForTimeout(500); // and has reported it
    await page.getByRole('link', { name: 'Back' }).click();
    await page.waitForURL(/\/settings\/personalize\/personas$/);

    await setLanguage(page, 'de');
    const experiment = await app.strapi
      .documents('plugin::personalize.experiment')
      .findFirst({ filters: { key: 'homepage-cta' } });
    await page.goto(`${app.url}/admin/plugins/personalize/experiments/${experiment!.documentId}`);
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('Umbenannt');
    await page.getByRole('link', { name: 'Zurück' }).click();
    await page.getByRole('alertdialog').filter({ hasText: UNSAVED.de }).waitFor();
    await screenshot(page, 'guards-unsaved-de');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Abbrechen' }).click();
    await expect(name.inputValue()).resolves.toBe('Umbenannt');
  });
});

describe("every editor shows the server's refusal at its field", () => {
  const blankName = async (page: Page, url: string, language: 'en' | 'de') => {
    await setLanguage(page, language);
    await page.goto(url);
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('   ');
    await page.getByRole('button', { name: language === 'de' ? 'Speichern' : 'Save' }).click();
    await name.and(page.locator('[aria-invalid="true"]')).waitFor();
    const described = await name.getAttribute('aria-describedby');
    const message = await page.locator(`[id="${described?.split(' ').pop()}"]`).textContent();
    return message?.trim();
  };

  it.each(['en', 'de'] as const)('a blank name in every editor (%s)', async (language) => {
    const { page, app } = session;
    // Each editor is left with its blank name unsaved: the browser asks, the test says leave.
    const leave = (question: Dialog) => void question.accept().catch(() => undefined);
    page.on('dialog', leave);
    const article = await app.strapi
      .documents('api::article.article')
      .findFirst({ locale: 'en', filters: { slug: 'aurora-ev-range' } } as never);
    const target = `targetUid=api::article.article&targetDocumentId=${article!.documentId}&locale=en`;
    const base = `${app.url}/admin/plugins/personalize`;
    try {
      for (const url of [
        `${base}/personas/new`,
        `${base}/stages/new`,
        `${base}/variants/new?${target}`,
        `${base}/experiments/new?${target}`,
      ]) {
        // The server's refusal, in the editor's language.
        await expect(blankName(page, url, language)).resolves.toBe(
          language === 'de' ? 'darf nicht leer sein' : 'must not be empty'
        );
        await screenshot(page, `guards-blank-name-${language}-${url.split('/')[6].split('?')[0]}`);
      }
    } finally {
      page.off('dialog', leave);
    }
  });

  it.each([
    [
      'en',
      '{"in": ["eco", {"var": "utm.campain"}]}',
      'the visitor context has no field "utm.campain"',
    ],
    ['de', '{">": [{"var": "visits"}, ""]}', 'der Vergleichswert ist leer'],
    [
      'de',
      '{"in": ["eco", {"var": "utm.campain"}]}',
      'der Besucherkontext hat kein Feld "utm.campain"',
    ],
  ] as const)(
    'a rule with an unknown field or an empty value (%s: %s)',
    async (language, rule, problem) => {
      const { page, app } = session;
      await setLanguage(page, language);
      await page.goto(`${app.url}/admin/plugins/personalize/personas/new`);
      await page.getByRole('textbox', { name: 'Name' }).fill('Eco fans');
      await page.getByRole('tab', { name: 'JSON' }).click();
      await page.getByRole('textbox', { name: 'JSON', exact: true }).fill(rule);
      await page.getByText(problem, { exact: false }).first().waitFor();
      await expect(
        page.getByRole('button', { name: language === 'de' ? 'Speichern' : 'Save' }).isDisabled()
      ).resolves.toBe(true);
      const kind = rule.includes('campain') ? 'unknown-field' : 'empty-value';
      await screenshot(page, `guards-rule-${language}-${kind}`);
      const stored = await app.strapi
        .documents('plugin::personalize.persona')
        .findFirst({ filters: { name: 'Eco fans' } });
      expect(stored).toBeNull();
    }
  );

  it('an empty value left in the visual builder', async () => {
    const { page, app } = session;
    await page.goto(`${app.url}/admin/plugins/personalize/stages/new`);
    await page.getByRole('button', { name: 'Condition' }).first().click();
    await page.getByText('the value to compare with is empty').first().waitFor();
    await expect(page.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
  });
});

describe('experiments: a verdict that holds, a winner that is chosen, one running at a time', () => {
  const ARTICLE = 'api::article.article';
  let experiment: { documentId: string; key: string };
  let article: string;

  /** The article's experiment: the base entry against arm `key` showing `variant`. */
  const guardedExperiment = (name: string, key: string, variant: string | null) =>
    experimentBody(article, variant, {
      name,
      goal: 'guarded_click',
      arms: [
        { key: 'control', variant: null, weight: 1 },
        { key, variant, weight: 1 },
      ],
    });

  beforeAll(async () => {
    const { app } = session;
    article = (
      await createEntry(app, ARTICLE, {
        locale: 'en',
        data: { title: 'Guarded offer', slug: 'guarded-offer' },
      })
    ).documentId;
    const offer = await admin('post', '/variants', {
      name: 'Guarded offer: b',
      targetUid: ARTICLE,
      targetDocumentId: article,
      locale: 'en',
      rule: false,
      overrides: { title: 'A better offer' },
    });
    await admin('post', `/variants/${offer.documentId}/publish`);
    const created = await admin(
      'post',
      '/experiments',
      guardedExperiment('Guarded offer test', 'b', offer.documentId)
    );
    const started = await admin('post', `/experiments/${created.documentId}/start`);
    experiment = { documentId: started.documentId, key: String(started.key) };

    // 1,000 visitors per arm, 100 and 130 conversions: significant by the fixed-horizon test
    // (p = 0.035), not by the sequential one. Sent by a trusted backend (a full-access token).
    const token = await createApiToken(app, adminToken, 'full-access');
    const visitors = (arm: string) => {
      const ids: string[] = [];
      for (let index = 0; ids.length < 1_000; index += 1) {
        const id = `guard-${index}`;
        if (bucketArm(started as unknown as ExperimentDefinition, id)?.key === arm) ids.push(id);
      }
      return ids;
    };
    const control = visitors('control');
    const b = visitors('b');
    const events = [
      ...[...control, ...b].map((visitorId) => ({
        type: 'exposure',
        experiment: experiment.key,
        visitorId,
      })),
      ...[...control.slice(0, 100), ...b.slice(0, 130)].map((visitorId) => ({
        type: 'conversion',
        goal: 'guarded_click',
        visitorId,
      })),
    ];
    for (let start = 0; start < events.length; start += 500) {
      const sent = await app
        .http()
        .post('/api/personalize/events')
        .set('Authorization', `Bearer ${token}`)
        .send({ events: events.slice(start, start + 500) });
      expect(sent.status).toBe(200);
    }
  });

  /** The Significant cell of arm b on the results page. */
  const significance = async (page: Page) => {
    const row = page
      .getByTestId('experiment-results')
      .getByRole('grid')
      .first()
      .getByRole('row')
      .filter({ has: page.getByRole('gridcell', { name: 'b', exact: true }) });
    await row.waitFor();
    return row.getByRole('gridcell').last().textContent();
  };

  it.each(['en', 'de'] as const)(
    'keeps the sequential verdict when paused (%s)',
    async (language) => {
      const { page, app } = session;
      await setLanguage(page, language);
      const results = `${app.url}/admin/plugins/personalize/experiments/${experiment.documentId}/results`;
      await page.goto(results);
      const running = await significance(page);
      if (language === 'en') {
        await admin('post', `/experiments/${experiment.documentId}/pause`);
        await page.reload();
      }
      await page
        .getByText(language === 'de' ? 'Pausiert' : 'Paused')
        .first()
        .waitFor();
      await expect(significance(page)).resolves.toBe(running);
      await page
        .getByText(
          language === 'de'
            ? 'Bis das Experiment abgeschlossen ist (laufend oder pausiert)'
            : 'Until the experiment is completed (running or paused)'
        )
        .waitFor();
      await screenshot(page, `guards-paused-${language}`);
    }
  );

  it('declares a winner only when chosen, and warns when the results do not show it', async () => {
    const { page, app } = session;
    await page.goto(
      `${app.url}/admin/plugins/personalize/experiments/${experiment.documentId}/results`
    );
    const declare = page.getByRole('button', { name: /Declare winner|Complete without a winner/ });
    await declare.first().waitFor();
    await expect(declare.first().isDisabled()).resolves.toBe(true);
    await page.getByRole('combobox', { name: 'Winner' }).click();
    await page.getByRole('option', { name: 'b', exact: true }).click();
    await page.getByRole('button', { name: 'Declare winner' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/not significant/).waitFor();
    await page.waitForTimeout(300); // the dialog fades in
    await screenshot(page, 'guards-winner-warning');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const stored = await app.strapi
      .documents('plugin::personalize.experiment')
      .findOne({ documentId: experiment.documentId });
    expect(stored?.status).toBe('paused');
  });

  it('says before starting that another experiment runs on the entry, with a link to it', async () => {
    const { page, app } = session;
    await admin('post', `/experiments/${experiment.documentId}/start`);
    const second = await admin(
      'post',
      '/experiments',
      guardedExperiment('Guarded offer second test', 'c', null)
    );
    await page.goto(`${app.url}/admin/plugins/personalize/experiments/${second.documentId}`);
    const blocked = page.getByTestId('start-blocked');
    await blocked.getByText('"Guarded offer test" is already running').waitFor();
    await expect(page.getByRole('button', { name: 'Start', exact: true }).count()).resolves.toBe(0);
    await screenshot(page, 'guards-start-blocked');
    await blocked.getByRole('link', { name: 'Open the running experiment' }).click();
    await page.waitForURL(new RegExp(`/experiments/${experiment.documentId}/results$`));
  });

  it("preselects the entry's variant for the second arm of a new experiment", async () => {
    const { page, app } = session;
    await page.goto(
      `${app.url}/admin/plugins/personalize/experiments/new?targetUid=${ARTICLE}&targetDocumentId=${article}&locale=en`
    );
    await page.getByRole('combobox', { name: 'Content' }).nth(1).waitFor();
    await expect(
      page.getByRole('combobox', { name: 'Content' }).nth(1).textContent()
    ).resolves.toContain('Guarded offer: b');
  });
});
