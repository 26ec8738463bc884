import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, seedFamilyArticle } from '../helpers/personalize';

// With `rest.strictParams`, a core read answered by the drop-in from the content cache is
// validated against core's own route (its declared parameters), as core's route validates it;
// the delivery's routes declare `variant` and `variants` besides the context.

const ARTICLE = 'api::article.article';

let app: Playground;
let article: string;
let variant: string;

beforeAll(async () => {
  app = await startPlayground({ env: { REST_STRICT_PARAMS: 'true' } });
  article = await seedFamilyArticle(app);
  [{ documentId: variant }] = app.strapi
    .plugin('personalize')
    .service('registryLoader')
    .registry.variantsOf(ARTICLE, article, 'en') as { documentId: string }[];
});

afterAll(() => app.stop());

const family = contextHeader({ persona: 'family' });

it('answers a core read with a context, and refuses what core refuses', async () => {
  const served = await app.http().get(`/api/articles/${article}?locale=en`).set(family);
  expect(served.status).toBe(200);
  expect(served.body.data.title).toBe('Family');
  for (const query of ['persona=family', `variant=${variant}`]) {
    const [core, dropIn] = await Promise.all([
      app.http().get(`/api/articles/${article}?${query}`),
      app.http().get(`/api/articles/${article}?${query}`).set(family),
    ]);
    expect(core.status).toBe(400);
    expect({ query, status: dropIn.status, body: dropIn.body }).toEqual({
      query,
      status: core.status,
      body: core.body,
    });
  }
});

it('accepts `variant` and `variants` on the delivery', async () => {
  const one = await app
    .http()
    .get(`/api/personalize/content/articles/${article}?variant=${variant}`);
  expect(one.status).toBe(200);
  expect(one.body.data.title).toBe('Family');
  const list = await app
    .http()
    .get(`/api/personalize/content/articles?variants=${article}:${variant}`);
  expect(list.status).toBe(200);
  expect(list.body.data[0].title).toBe('Family');
});
