import { startPlayground, type Playground } from '../helpers/playground';
import { seedFamilyArticle } from '../helpers/personalize';

let app: Playground;
let article: string;

beforeAll(async () => {
  app = await startPlayground({ env: { REST_STRICT_PARAMS: 'true' } });
  article = await seedFamilyArticle(app);
});

afterAll(() => app.stop());

describe('with rest.strictParams', () => {
  const context = JSON.stringify({ persona: 'family' });

  it('accepts the declared context query parameter on core reads and the delivery', async () => {
    for (const path of [
      `/api/articles/${article}`,
      `/api/personalize/content/articles/${article}`,
      '/api/articles',
    ]) {
      const response = await app.http().get(path).query({ context });
      expect(response.status).toBe(200);
      const entry = Array.isArray(response.body.data) ? response.body.data[0] : response.body.data;
      expect(entry.title).toBe('Family');
    }
  });

  it('still refuses undeclared query parameters', async () => {
    for (const path of [
      `/api/articles/${article}`,
      `/api/personalize/content/articles/${article}`,
    ]) {
      const response = await app.http().get(path).query({ persona: 'family' });
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('ValidationError');
    }
  });
});
