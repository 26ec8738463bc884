import { compareToHoldout, inHoldout } from '../../server/src/engine';
import { previewSecret, signPreviewToken } from '../../server/src/utils/preview-token';
import { loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import {
  contextHeader,
  createPersona,
  createVariant,
  experimentBody,
} from '../helpers/personalize';

// Issue 18: the global holdout, the impact report and preview links, over HTTP against a real app.

const ARTICLE = 'api::article.article';
const SEED = 'holdout-test-seed';
const SHARE = 0.2;

let app: Playground;
let admin: PluginApi;
/** An article whose one variant every visitor matches (no persona, stage or rule). */
let article: string;
/** An article with a running 50/50 experiment between the base and its variant. */
let tested: { article: string; key: string; offer: string; documentId: string };

type Row = Record<string, unknown>;

const read = (documentId: string, context: object) =>
  app.http().get(`/api/personalize/content/articles/${documentId}`).set(contextHeader(context));

const db = () => app.strapi.db.connection;

const heldOut = (visitorId: string) => inHoldout({ share: SHARE, seed: SEED }, visitorId);

beforeAll(async () => {
  app = await startPlayground({
    env: { PERSONALIZE_EVENTS_RATE_LIMIT: '1000', PERSONALIZE_EVENT_BUDGET: '0' },
  });
  admin = pluginApi(app, await loginAdmin(app));
  await createPersona(app, {
    name: 'Family',
    slug: 'family',
    rule: { '==': [{ var: 'utm.campaign' }, 'family'] },
  });
  article = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Base' } })).documentId;
  await createVariant(app, {
    name: 'everyone',
    targetUid: ARTICLE,
    targetDocumentId: article,
    overrides: { title: 'Personalized' },
  });
  const other = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Plain' } }))
    .documentId;
  const offer = await createVariant(app, {
    name: 'offer',
    targetUid: ARTICLE,
    targetDocumentId: other,
    rule: false,
    overrides: { title: 'Offer' },
  });
  const created = await admin.post(
    '/experiments',
    experimentBody(other, offer.documentId as string)
  );
  expect(created.status).toBe(201);
  expect((await admin.post(`/experiments/${created.body.data.documentId}/start`)).status).toBe(200);
  tested = {
    article: other,
    key: created.body.data.key,
    offer: offer.documentId as string,
    documentId: created.body.data.documentId,
  };
});

afterAll(() => app.stop());

describe('holdout settings', () => {
  it('is off by default, takes a share up to 20 % and keeps or draws its seed', async () => {
    const initial = await admin.get('/settings');
    expect(initial.status).toBe(200);
    expect(initial.body.data.holdout).toEqual({ share: 0, seed: '' });

    const drawn = await admin.put('/settings', { holdout: { share: 0.05 } });
    expect(drawn.status).toBe(200);
    expect(drawn.body.data.holdout.share).toBe(0.05);
    expect(drawn.body.data.holdout.seed).toMatch(/^[0-9a-f]{16}$/);
    // The types' switches are untouched by a holdout-only body.
    expect(drawn.body.data.contentTypes).toEqual(initial.body.data.contentTypes);
    const kept = await admin.put('/settings', { holdout: { share: 0.1 } });
    expect(kept.body.data.holdout).toEqual({ share: 0.1, seed: drawn.body.data.holdout.seed });

    for (const holdout of [
      { share: 0.21 },
      { share: -0.1 },
      { share: 0.1, seed: 'no spaces' },
      { share: '0.1' },
    ]) {
      const refused = await admin.put('/settings', { holdout });
      expect(refused.status).toBe(400);
      expect(refused.body.error.name).toBe('ValidationError');
    }
    const set = await admin.put('/settings', { holdout: { share: SHARE, seed: SEED } });
    expect(set.body.data.holdout).toEqual({ share: SHARE, seed: SEED });
  });
});

describe('the holdout on delivery', () => {
  it('gives held-out visitors the base entry and no arm everywhere; the others are personalized', async () => {
    const ids = Array.from({ length: 400 }, (_, index) => `visitor-${index}`);
    let held = 0;
    for (const visitorId of ids) {
      const context = { visitorId, utm: { campaign: 'family' } };
      const [personalized, experiment] = await Promise.all([
        read(article, context),
        read(tested.article, context),
      ]);
      expect(personalized.status).toBe(200);
      const meta = personalized.body.meta.personalization;
      if (heldOut(visitorId)) {
        held += 1;
        expect(personalized.body.data.title).toBe('Base');
        expect(meta).toMatchObject({ reason: 'holdout', variant: null, persona: null });
        expect(experiment.body.data.title).toBe('Plain');
        expect(experiment.body.meta.personalization.reason).toBe('holdout');
        expect(experiment.body.meta.personalization.experiment).toBeUndefined();
      } else {
        expect(personalized.body.data.title).toBe('Personalized');
        expect(meta).toMatchObject({ reason: 'rule', persona: 'family' });
        expect(experiment.body.meta.personalization.experiment?.key).toBe(tested.key);
      }
      // Decided by the visitor id: no shared cache may keep it.
      expect(personalized.headers['cache-control']).toBe('private, no-store');
    }
    // 400 draws at 20 %: within 4 standard deviations (√(400·0.2·0.8) = 8).
    expect(Math.abs(held - 80)).toBeLessThanOrEqual(32);
    // Held-out visitors have no exposure in the experiment.
    const results = await admin.get(`/experiments/${tested.documentId}/results`);
    expect(results.body.data.totalVisitors).toBe(ids.filter((id) => !heldOut(id)).length);
  });

  it("refuses a frontend's exposure of a held-out visitor: no arm was served to them", async () => {
    const ids = Array.from({ length: 50 }, (_, index) => `sent-${index}`);
    const response = await app
      .http()
      .post('/api/personalize/events')
      .send({
        events: ids.map((visitorId) => ({ type: 'exposure', experiment: tested.key, visitorId })),
      });
    const refused = response.body.data.rejected.map(({ index }: { index: number }) => ids[index]);
    expect(refused).toEqual(ids.filter(heldOut));
    expect(refused.length).toBeGreaterThan(0);
    expect(response.body.data.rejected[0].error).toBe(
      'the visitor is in the holdout: no arm is served to them'
    );
  });

  it('without a visitor id nobody is held out', async () => {
    const response = await read(article, { utm: { campaign: 'family' } });
    expect(response.body.meta.personalization.reason).toBe('rule');
  });
});

describe('the impact report', () => {
  it('equals a recomputation from the stored rows, per goal, persona and day', async () => {
    // Conversions of two goals by a fifth of the visitors; some before any exposure count too
    // (their exposure came earlier in the same day: rows compare times).
    const converters = Array.from({ length: 400 }, (_, index) => `visitor-${index}`).filter(
      (_, index) => index % 5 === 0 || index % 7 === 0
    );
    const events = [
      ...converters.map((visitorId) => ({ type: 'conversion', goal: 'signup', visitorId })),
      ...converters
        .slice(0, 20)
        .map((visitorId) => ({ type: 'conversion', goal: 'cta_click', visitorId })),
      // A goal no experiment has: accepted for the impact report while the holdout is on.
      { type: 'conversion', goal: 'newsletter', visitorId: 'visitor-1' },
    ];
    const sent = await app.http().post('/api/personalize/events').send({ events });
    expect(sent.status).toBe(200);
    expect(sent.body.data.rejected).toEqual([]);

    const response = await admin.get('/impact');
    expect(response.status).toBe(200);
    const report = response.body.data;

    const exposures = (await db()('personalize_impact_exposures').select('*')) as Row[];
    const conversions = (await db()('personalize_goal_conversions').select('*')) as Row[];
    const time = (value: unknown) =>
      value instanceof Date ? value.getTime() : new Date(value as string | number).getTime();
    const recount = (goal: string, population: string, persona?: string | null) => {
      const firsts = new Map<string, number>();
      for (const row of exposures) {
        if (row.population !== population) continue;
        if (persona !== undefined && row.persona !== persona) continue;
        const at = time(row.exposed_at);
        const hash = row.visitor_hash as string;
        if (!firsts.has(hash) || at < (firsts.get(hash) as number)) firsts.set(hash, at);
      }
      const converted = new Set(
        conversions
          .filter(
            (row) =>
              row.goal === goal &&
              firsts.has(row.visitor_hash as string) &&
              time(row.converted_at) >= (firsts.get(row.visitor_hash as string) as number)
          )
          .map((row) => row.visitor_hash)
      );
      return { visitors: firsts.size, conversions: converted.size };
    };

    expect(report.holdout).toEqual({ share: SHARE });
    expect(report.goals.map((goal: Row) => goal.goal)).toEqual([
      'cta_click',
      'newsletter',
      'signup',
    ]);
    for (const goal of report.goals) {
      const personalized = recount(goal.goal, 'personalized');
      const holdout = recount(goal.goal, 'holdout');
      expect(goal.personalized).toMatchObject(personalized);
      expect(goal.holdout).toMatchObject(holdout);
      const expected = compareToHoldout(personalized, holdout, SHARE, 5_000);
      expect(goal.uplift).toBe(expected.uplift);
      expect(goal.ci).toEqual(expected.ci);
      expect(goal.absoluteUplift).toBe(expected.absoluteUplift);
      expect(goal.pValueSequential).toBe(expected.pValueSequential);
      expect(goal.srm).toEqual(expected.srm);
    }
    const signup = report.goals.find((goal: Row) => goal.goal === 'signup');
    expect(signup.personalized.visitors + signup.holdout.visitors).toBe(400);
    expect(signup.holdout.visitors).toBeGreaterThan(0);
    expect(signup.holdout.conversions).toBeGreaterThan(0);

    // Held-out visitors are broken down by the persona they would have had.
    const family = report.byPersona.find(
      (row: Row) => row.slug === 'family' && row.goal === 'signup'
    );
    expect(family.holdout).toMatchObject(recount('signup', 'holdout', 'family'));
    expect(family.personalized).toMatchObject(recount('signup', 'personalized', 'family'));
    expect(report.byStage.every((row: Row) => row.slug === null)).toBe(true);

    const today = new Date().toISOString().slice(0, 10);
    const daily = report.daily.filter((row: Row) => row.goal === 'signup' && row.date === today);
    expect(daily).toHaveLength(2);
    for (const row of daily) {
      expect(row.visitors).toBe(recount('signup', row.population).visitors);
    }

    const one = await admin.get('/impact', { goal: 'signup', from: today, to: today });
    expect(one.body.data.goals).toEqual([signup]);
    const none = await admin.get('/impact', { from: '2020-01-01', to: '2020-01-31' });
    expect(none.body.data).toMatchObject({
      goals: [],
      daily: [],
      from: '2020-01-01',
      to: '2020-01-31',
    });
    for (const query of [
      { from: '2026-02-01', to: '2026-01-01' },
      { from: 'yesterday' },
      { goal: 'no spaces' },
      { extra: '1' },
    ]) {
      const refused = await admin.get('/impact', query);
      expect(refused.status).toBe(400);
      expect(refused.body.error.name).toBe('ValidationError');
    }
  });

  it('counts each variant’s reach in visitors over the last 30 days', async () => {
    const variants = await admin.get('/variants', { targetDocumentId: article });
    const everyone = variants.body.data[0].documentId;
    const reach = await admin.get('/variants/reach', {
      targetUid: ARTICLE,
      documentIds: [everyone, tested.offer, 'unknown-id'],
    });
    expect(reach.status).toBe(200);
    const notHeld = Array.from({ length: 400 }, (_, index) => `visitor-${index}`).filter(
      (id) => !heldOut(id)
    );
    expect(reach.body.data[everyone]).toBe(notHeld.length);
    expect(reach.body.data['unknown-id']).toBeUndefined();
    expect(reach.body.data[tested.offer]).toBeGreaterThan(0);
  });
});

describe('preview links', () => {
  const createLink = (body: object) => admin.post('/preview-links', body);

  it('forces a persona for a held-out visitor and records nothing', async () => {
    // A held-out visitor not seen before: a recorded exposure would add a row.
    const visitorId = Array.from({ length: 100 }, (_, index) => `preview-${index}`).find(
      heldOut
    ) as string;
    const link = await createLink({ persona: 'family', expiresInHours: 2 });
    expect(link.status).toBe(201);
    const { token, expiresAt, url } = link.body.data;
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(2 * 3_600_000 - 5_000);
    expect(url).toBe(`/?personalize_preview=${encodeURIComponent(token)}`);

    await admin.get('/impact');
    const before = await db()('personalize_impact_exposures').count({ n: '*' });
    const forced = await read(article, { visitorId, preview: token });
    expect(forced.status).toBe(200);
    expect(forced.body.data.title).toBe('Personalized');
    expect(forced.body.meta.personalization).toMatchObject({
      reason: 'preview',
      persona: 'family',
      personaSource: 'explicit',
    });
    expect(forced.headers['cache-control']).toBe('private, no-store');
    await admin.get('/impact');
    expect(await db()('personalize_impact_exposures').count({ n: '*' })).toEqual(before);
  });

  it('forces an experiment arm, and exposes nobody', async () => {
    const link = await createLink({ experiment: tested.key, arm: 'offer' });
    expect(link.status).toBe(201);
    const exposed = async () =>
      (await admin.get(`/experiments/${tested.documentId}/results`)).body.data.totalVisitors;
    const before = await exposed();
    for (const visitorId of ['fresh-1', 'fresh-2', 'fresh-3', 'fresh-4']) {
      const forced = await read(tested.article, { visitorId, preview: link.body.data.token });
      expect(forced.body.data.title).toBe('Offer');
      expect(forced.body.meta.personalization).toMatchObject({
        reason: 'preview',
        experiment: { key: tested.key, arm: 'offer' },
      });
    }
    const control = await createLink({ experiment: tested.key, arm: 'control' });
    const base = await read(tested.article, { preview: control.body.data.token });
    expect(base.body.data.title).toBe('Plain');
    expect(base.body.meta.personalization.experiment).toEqual({ key: tested.key, arm: 'control' });
    expect(await exposed()).toBe(before);
  });

  it('ignores an invalid or expired token with a warning, never an error', async () => {
    const secret = previewSecret(app.strapi.config.get('server.app.keys') as string[]);
    const expired = signPreviewToken(secret, { persona: 'family' }, new Date(Date.now() - 1_000));
    const forged = signPreviewToken(
      'another-secret-entirely',
      { persona: 'family' },
      new Date(Date.now() + 60_000)
    );
    for (const [token, warning] of [
      [expired, 'preview link ignored: it has expired'],
      [forged, 'preview link ignored: the token is not one this server issued'],
      ['not-a-token', 'preview link ignored: the token is not one this server issued'],
    ]) {
      const response = await read(article, { utm: { campaign: 'none' }, preview: token });
      expect(response.status).toBe(200);
      expect(response.body.data.title).toBe('Personalized');
      expect(response.body.meta.personalization.reason).toBe('rule');
      expect(response.body.meta.personalization.warnings).toContain(warning);
    }
  });

  it('refuses links that force nothing or what does not exist', async () => {
    for (const [body, path] of [
      [{}, []],
      [{ arm: 'offer' }, ['arm']],
      [{ persona: 'nobody' }, ['persona']],
      [{ stage: 'nowhere' }, ['stage']],
      [{ experiment: 'no-such-experiment' }, ['experiment']],
      [{ experiment: tested.key, arm: 'nope' }, ['arm']],
      [{ persona: 'family', expiresInHours: 721 }, ['expiresInHours']],
      [{ persona: 'family', extra: true }, []],
    ] as const) {
      const refused = await createLink(body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.name).toBe('ValidationError');
      if (path.length > 0) expect(refused.body.error.details.errors[0].path).toEqual(path);
    }
  });
});
