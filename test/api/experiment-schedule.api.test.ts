import { bucketArm, type ExperimentDefinition } from '../../server/src/engine';
import { loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, createVariant, experimentBody } from '../helpers/personalize';

// Issue 18: scheduled experiments, bandits and secondary goals, over HTTP against a real app.
// The schedule runs on the plugin's cron; here it is run at chosen times (its injectable clock).

const ARTICLE = 'api::article.article';
const HOUR = 3_600_000;

let app: Playground;
let admin: PluginApi;

type Body = Record<string, unknown>;
interface ScheduleRun {
  started: string[];
  completed: string[];
  reweighted: string[];
}

const runSchedule = (at: Date) =>
  (
    app.strapi.plugin('personalize').service('experiments') as {
      runSchedule(now: Date): Promise<ScheduleRun>;
    }
  ).runSchedule(at);

const read = (documentId: string, context: object) =>
  app.http().get(`/api/personalize/content/articles/${documentId}`).set(contextHeader(context));

const sendEvents = async (events: object[]) => {
  for (let start = 0; start < events.length; start += 500) {
    const response = await app
      .http()
      .post('/api/personalize/events')
      .send({ events: events.slice(start, start + 500) });
    expect(response.status).toBe(200);
    expect(response.body.data.rejected).toEqual([]);
  }
};

/** An article with `count` published variants `v1…`, each served only as an arm. */
const articleWithVariants = async (name: string, count: number) => {
  const article = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: name } }))
    .documentId;
  const variants: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const variant = await createVariant(app, {
      name: `${name} v${index}`,
      targetUid: ARTICLE,
      targetDocumentId: article,
      rule: false,
      overrides: { title: `${name} v${index}` },
    });
    variants.push(variant.documentId as string);
  }
  return { article, variants };
};

const experiment = async (documentId: string): Promise<Body> =>
  (await admin.get(`/experiments/${documentId}`)).body.data;

beforeAll(async () => {
  app = await startPlayground({
    env: { PERSONALIZE_EVENTS_RATE_LIMIT: '1000', PERSONALIZE_EVENT_BUDGET: '0' },
  });
  admin = pluginApi(app, await loginAdmin(app));
});

afterAll(() => app.stop());

describe('scheduled experiments', () => {
  it('start and complete by themselves at their times', async () => {
    const { article, variants } = await articleWithVariants('Scheduled', 1);
    const startAt = new Date(Date.now() + HOUR);
    const endAt = new Date(startAt.getTime() + 2 * HOUR);
    const created = await admin.post('/experiments', {
      ...experimentBody(article, variants[0], { name: 'Scheduled test' }),
      startAt: startAt.toISOString(),
      endAt: endAt.toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      status: 'draft',
      mode: 'fixed',
      startAt: startAt.toISOString(),
      endAt: endAt.toISOString(),
      secondaryGoals: [],
    });
    const { documentId, key } = created.body.data;
    const scheduled = await admin.post(`/experiments/${documentId}/start`);
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.data).toMatchObject({ status: 'scheduled', startedAt: null });
    const before = await read(article, { visitorId: 'early' });
    expect(before.body.meta.personalization.experiment).toBeUndefined();

    // A run before the start changes nothing; one at the start starts it.
    expect(await runSchedule(new Date(startAt.getTime() - 60_000))).toMatchObject({ started: [] });
    expect((await experiment(documentId)).status).toBe('scheduled');
    expect(await runSchedule(startAt)).toMatchObject({ started: [key] });
    expect(await experiment(documentId)).toMatchObject({
      status: 'running',
      startedAt: startAt.toISOString(),
    });
    const during = await read(article, { visitorId: 'during' });
    expect(during.body.meta.personalization.experiment?.key).toBe(key);

    // The start is fixed once started; the end may move, but not into the past.
    const moved = await admin.put(`/experiments/${documentId}`, { startAt: endAt.toISOString() });
    expect(moved.status).toBe(400);
    const past = await admin.put(`/experiments/${documentId}`, {
      endAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.details.errors[0].path).toEqual(['endAt']);

    expect(await runSchedule(new Date(endAt.getTime() - 1))).toMatchObject({ completed: [] });
    expect(await runSchedule(new Date(endAt.getTime() + 30_000))).toMatchObject({
      completed: [key],
    });
    expect(await experiment(documentId)).toMatchObject({
      status: 'completed',
      winner: null,
      endedAt: endAt.toISOString(),
    });
    // Completed without a winner: everyone gets the base again.
    const after = await read(article, { visitorId: 'during' });
    expect(after.body.data.title).toBe('Scheduled');
    expect(after.body.meta.personalization.experiment).toBeUndefined();

    const results = await admin.get(`/experiments/${documentId}/results`);
    expect(results.body.data.horizon).toMatchObject({
      startAt: startAt.toISOString(),
      endAt: endAt.toISOString(),
    });
  });

  it('refuses an end before the start or already past, and cancels a scheduled one', async () => {
    const { article, variants } = await articleWithVariants('Refused schedule', 1);
    const startAt = Date.now() + HOUR;
    for (const [schedule, path] of [
      [
        { startAt: new Date(startAt).toISOString(), endAt: new Date(startAt - 1).toISOString() },
        ['endAt'],
      ],
      [{ endAt: new Date(Date.now() - HOUR).toISOString() }, ['endAt']],
      [{ startAt: 'tomorrow' }, ['startAt']],
      [{ startAt: '2026-12-03T10:00:00' }, ['startAt']],
    ] as const) {
      const refused = await admin.post('/experiments', {
        ...experimentBody(article, variants[0]),
        ...schedule,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.errors[0].path).toEqual(path);
    }
    const created = await admin.post('/experiments', {
      ...experimentBody(article, variants[0], { name: 'Cancelled' }),
      startAt: new Date(startAt).toISOString(),
    });
    const { documentId } = created.body.data;
    await admin.post(`/experiments/${documentId}/start`);
    const winner = await admin.post(`/experiments/${documentId}/complete`, { winner: 'offer' });
    expect(winner.status).toBe(400);
    const cancelled = await admin.post(`/experiments/${documentId}/complete`, { winner: null });
    expect(cancelled.body.data).toMatchObject({ status: 'completed', winner: null });
    expect(await runSchedule(new Date(startAt + 60_000))).toMatchObject({ started: [] });
  });
});

describe('bandit experiments', () => {
  it('reweight toward the best arm by Thompson sampling and keep every visitor on their first arm', async () => {
    const { article, variants } = await articleWithVariants('Bandit', 2);
    const created = await admin.post('/experiments', {
      ...experimentBody(article, null, { name: 'Bandit test', mode: 'bandit' }),
      arms: [
        { key: 'control', variant: null, weight: 1 },
        { key: 'a', variant: variants[0], weight: 1 },
        { key: 'b', variant: variants[1], weight: 1 },
      ],
      secondaryGoals: ['signup'],
    });
    expect(created.status).toBe(201);
    const { documentId, key } = created.body.data;
    const started = await admin.post(`/experiments/${documentId}/start`);
    expect(started.body.data).toMatchObject({ status: 'running', mode: 'bandit' });
    const startedAt = Date.parse(started.body.data.startedAt);

    // 200 visitors per arm, each served once by the delivery; b converts at 30 %, the others 5 %.
    const definition = started.body.data as ExperimentDefinition;
    const byArm: Record<string, string[]> = { control: [], a: [], b: [] };
    for (let index = 0; Object.values(byArm).some((ids) => ids.length < 200); index += 1) {
      const visitorId = `bandit-${index}`;
      const arm = bucketArm(definition, visitorId)?.key as string;
      if (byArm[arm].length < 200) byArm[arm].push(visitorId);
    }
    for (const ids of Object.values(byArm)) {
      for (const visitorId of ids) {
        const served = await read(article, { visitorId });
        expect(served.body.meta.personalization.experiment.key).toBe(key);
      }
    }
    const rate = { control: 10, a: 10, b: 60 };
    await sendEvents(
      Object.entries(byArm).flatMap(([arm, ids]) => [
        ...ids
          .slice(0, rate[arm as keyof typeof rate])
          .map((visitorId) => ({ type: 'conversion', goal: 'cta_click', visitorId })),
        ...ids.slice(0, 5).map((visitorId) => ({ type: 'conversion', goal: 'signup', visitorId })),
      ])
    );

    // Not before the interval (60 minutes) has passed since the start.
    expect(await runSchedule(new Date(startedAt + 30 * 60_000))).toMatchObject({ reweighted: [] });
    expect(await runSchedule(new Date(startedAt + 61 * 60_000))).toMatchObject({
      reweighted: [key],
    });
    const reweighted = await experiment(documentId);
    const weights = Object.fromEntries(
      (reweighted.arms as { key: string; weight: number }[]).map((arm) => [arm.key, arm.weight])
    );
    expect(weights.b).toBeGreaterThan(0.75);
    expect(weights.control).toBeCloseTo(0.1, 5);
    expect(weights.a).toBeCloseTo(0.1, 5);

    // Every earlier visitor keeps their arm, although the new weights would bucket many elsewhere.
    const moved = Object.entries(byArm).flatMap(([arm, ids]) =>
      ids
        .filter(
          (visitorId) =>
            bucketArm(reweighted as unknown as ExperimentDefinition, visitorId)?.key !== arm
        )
        .map((visitorId) => [arm, visitorId] as const)
    );
    expect(moved.length).toBeGreaterThan(100);
    for (const [arm, visitorId] of moved) {
      const served = await read(article, { visitorId });
      expect(served.body.meta.personalization.experiment.arm).toBe(arm);
    }
    // New visitors follow the new weights.
    const fresh = Array.from({ length: 200 }, (_, index) => `bandit-new-${index}`);
    let toB = 0;
    for (const visitorId of fresh) {
      const served = await read(article, { visitorId });
      const arm = served.body.meta.personalization.experiment.arm;
      expect(arm).toBe(bucketArm(reweighted as unknown as ExperimentDefinition, visitorId)?.key);
      if (arm === 'b') toB += 1;
    }
    expect(toB).toBeGreaterThan(130);

    const results = (await admin.get(`/experiments/${documentId}/results`)).body.data;
    expect(results.mode).toBe('bandit');
    expect(results.weights).toHaveLength(2);
    expect(results.weights[1].arms).toEqual(weights);
    expect(results.srm).toEqual({ pValue: null, mismatch: false });
    const best = Object.fromEntries(
      results.arms.map((arm: Body) => [arm.key, arm.probabilityBest as number])
    );
    expect(best.b).toBeGreaterThan(0.99);
    for (const arm of results.arms) {
      expect(arm).toMatchObject({ pValue: null, pValueSequential: null, significant: false });
    }
    // Secondary goals: counted per arm, never deciding.
    expect(results.secondary).toHaveLength(1);
    expect(results.secondary[0].goal).toBe('signup');
    for (const arm of results.secondary[0].arms) {
      expect(arm).toMatchObject({ conversions: 5, significant: false });
    }
    // Declared a winner: everyone gets it.
    const declared = await admin.post(`/experiments/${documentId}/complete`, { winner: 'b' });
    expect(declared.body.data).toMatchObject({ status: 'completed', winner: 'b' });
    expect((await read(article, { visitorId: byArm.a[0] })).body.data.title).toBe('Bandit v2');
  });

  it('refuses a secondary goal that is the primary one or repeated, and more than five', async () => {
    const { article, variants } = await articleWithVariants('Goals', 1);
    for (const secondaryGoals of [['cta_click'], ['a', 'a'], ['a', 'b', 'c', 'd', 'e', 'f']]) {
      const refused = await admin.post('/experiments', {
        ...experimentBody(article, variants[0]),
        secondaryGoals,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.errors[0].path[0]).toBe('secondaryGoals');
    }
  });
});
