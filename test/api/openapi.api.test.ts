/**
 * docs/openapi.json describes the Content API routes: every route is in it, the checker that
 * every API and e2e test file runs on its responses (test/helpers/openapi.ts) rejects what does
 * not match, and each route's answers, successes and refusals, match it here.
 */
import {
  openApiDocument,
  openApiProblems,
  openApiReport,
  type RecordedResponse,
} from '../helpers/openapi';
import { startPlayground, type Playground } from '../helpers/playground';

let app: Playground;

beforeAll(async () => {
  app = await startPlayground({ seed: true });
});

afterAll(() => app.stop());

const context = (value: object) => encodeURIComponent(JSON.stringify(value));

const homepageOf = async () =>
  (await app.http().get('/api/personalize/content/homepage?locale=en')).body;

describe('the document', () => {
  it('is OpenAPI 3.1 and describes every Content API route of the plugin', () => {
    expect(openApiDocument.openapi).toBe('3.1.0');
    const routes = app.strapi.server
      .listRoutes()
      .filter((route) => route.path.startsWith('/api/personalize/'));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const route of routes) {
      for (const method of route.methods.filter((verb: string) => verb !== 'HEAD')) {
        const concrete = route.path.replace(/:(\w+)/g, 'x');
        const problems = openApiProblems({ method, path: concrete, status: 999, body: null });
        // Only the status (999) may be unknown: the path and method are described.
        expect(problems).toEqual([
          `${method} ${concrete} → 999: the status is not in docs/openapi.json`,
        ]);
      }
    }
  });

  it('the checker refuses a body, a status or a path the document does not describe', async () => {
    const body = (await homepageOf()) as { data: object; meta: { personalization: object } };
    const good: RecordedResponse = {
      method: 'GET',
      path: '/api/personalize/content/homepage',
      status: 200,
      body,
    };
    expect(openApiProblems(good)).toEqual([]);

    const withoutDecision = { ...good, body: { ...body, meta: {} } };
    expect(openApiProblems(withoutDecision).join('\n')).toMatch(/personalization/);

    const leakedTrace = {
      ...good,
      body: {
        ...body,
        meta: { personalization: { ...body.meta.personalization, trace: [] } },
      },
    };
    expect(openApiProblems(leakedTrace).join('\n')).toMatch(/additional properties/);

    const serverError = {
      ...good,
      status: 400,
      body: { data: null, error: { status: 500, name: 'InternalServerError', message: 'x' } },
    };
    expect(openApiProblems(serverError).join('\n')).toMatch(/error\/status must be <= 499/);
    expect(openApiProblems({ ...good, status: 500 })).toHaveLength(1);
    expect(openApiProblems({ ...good, path: '/api/personalize/unknown/a/b' })).toHaveLength(1);
  });
});

describe('real responses', () => {
  it('of every route, for successes and refusals, match the document', async () => {
    const article = (await app.http().get('/api/personalize/content/articles?locale=en')).body
      .data[0];
    const before = openApiReport.checked;
    const answers = await Promise.all([
      app
        .http()
        .get(
          `/api/personalize/content/articles?locale=en&context=${context({ persona: 'family' })}`
        ),
      app.http().get(`/api/personalize/content/articles/${article.documentId}?populate=cover`),
      app.http().get(`/api/personalize/content/homepage?context=${context({ visitorId: 'v-1' })}`),
      app.http().get('/api/personalize/content/articles/no-such-entry'),
      app.http().get(`/api/personalize/content/homepage?context=${context({ visits: -1 })}`),
      app.http().get('/api/personalize/content/homepage?context=%7Bnot-json'),
      app
        .http()
        .post('/api/personalize/decide')
        .send({
          targetUid: 'api::homepage.homepage',
          context: { persona: 'fleet', events: ['configurator_completed'] },
        }),
      app.http().post('/api/personalize/decide').send({ targetUid: 'api::article.article' }),
      app.http().post('/api/personalize/decide').send({ targetUid: 'api::nothing.nothing' }),
      app
        .http()
        .post('/api/personalize/events')
        .send({
          events: [
            { type: 'exposure', experiment: 'homepage-cta', visitorId: 'v-1' },
            { type: 'conversion', goal: 'no-such-goal', visitorId: 'v-1' },
          ],
        }),
      app.http().post('/api/personalize/events').send({ events: [] }),
      app
        .http()
        .post('/api/personalize/events')
        .send({ events: Array.from({ length: 501 }, () => ({})) }),
      app
        .http()
        .post('/api/personalize/events')
        .send({ events: [{ type: 'exposure', experiment: 'x', visitorId: 'v'.repeat(300_000) }] }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([
      200, 200, 200, 404, 400, 400, 200, 400, 400, 200, 400, 400, 413,
    ]);
    expect(openApiReport.checked - before).toBe(answers.length);
    expect(openApiReport.problems).toEqual([]);
  });
});
