import { loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { createTestDatabase } from '../helpers/database';
import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, createVariant, experimentBody } from '../helpers/personalize';

// Issue 5, the parts that need an app of their own: a low events rate limit, and a restart on the
// same database. Each boots and stops its own app, one at a time.

const ARTICLE = 'api::article.article';

describe('the events rate limit', () => {
  it('answers 429 with Retry-After past the limit per IP address', async () => {
    const limited = await startPlayground({ env: { PERSONALIZE_EVENTS_RATE_LIMIT: '5' } });
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, () =>
          limited
            .http()
            .post('/api/personalize/events')
            .send({ events: [{ type: 'exposure' }] })
        )
      );
      const statuses = responses.map((response) => response.status);
      // Those let through are refused for their body (an exposure without experiment).
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(5);
      const refused = responses.filter((response) => response.status === 429);
      // 30 requests fit in at most a few 1-second windows of 5.
      expect(refused.length).toBeGreaterThanOrEqual(10);
      expect(refused[0].headers['retry-after']).toMatch(/^[12]$/);
      expect(refused[0].body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
    } finally {
      await limited.stop();
    }
  });
});

describe('after a restart', () => {
  it('gives every visitor the same arm', async () => {
    const database = await createTestDatabase();
    try {
      let first = await startPlayground({ database });
      const firstToken = await loginAdmin(first);
      const article = await createEntry(first, ARTICLE, { locale: 'en', data: { title: 'Base' } });
      const offer = await createVariant(first, {
        name: 'offer',
        targetUid: ARTICLE,
        targetDocumentId: article.documentId,
        overrides: { title: 'Offer' },
      });
      const created = await first
        .http()
        .post('/personalize/experiments')
        .set('Authorization', `Bearer ${firstToken}`)
        .send(
          experimentBody(article.documentId, offer.documentId as string, { name: 'Restart test' })
        );
      await first
        .http()
        .post(`/personalize/experiments/${created.body.data.documentId}/start`)
        .set('Authorization', `Bearer ${firstToken}`);
      const armsOf = async (running: Playground) => {
        const arms: string[] = [];
        for (let index = 0; index < 30; index += 1) {
          const response = await running
            .http()
            .get(`/api/personalize/content/articles/${article.documentId}`)
            .set(contextHeader({ visitorId: `restart-${index}` }));
          arms.push(response.body.meta.personalization.experiment.arm);
        }
        return arms;
      };
      const before = await armsOf(first);
      expect(new Set(before)).toEqual(new Set(['control', 'offer']));
      await first.stop();
      first = await startPlayground({ database });
      expect(await armsOf(first)).toEqual(before);
      await first.stop();
    } finally {
      await database.drop();
    }
  });
});
