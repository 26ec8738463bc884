import { createEntry } from '../helpers/content';
import { startPlayground } from '../helpers/playground';
import {
  contextHeader,
  createPersona,
  createVariant,
  setPublicPermission,
} from '../helpers/personalize';

// Issue 17: Strapi's GraphQL plugin is an optional peer. Without it the app boots, the plugin
// registers nothing for GraphQL, and REST personalizes as before.

const ARTICLE = 'api::article.article';

describe('without the GraphQL plugin', () => {
  it('boots, registers nothing for GraphQL and personalizes REST as before', async () => {
    const bare = await startPlayground({ env: { PLAYGROUND_GRAPHQL: 'false' } });
    try {
      expect(bare.strapi.plugin('graphql')).toBeUndefined();
      const response = await bare.http().post('/graphql').send({ query: '{ __typename }' });
      // Nothing answers there (the router's 404, or 405 for a path only the admin serves).
      expect([404, 405]).toContain(response.status);
      expect(response.body?.data).toBeUndefined();
      await setPublicPermission(bare, `${ARTICLE}.findOne`, true);
      const entry = await createEntry(bare, ARTICLE, { locale: 'en', data: { title: 'Bare' } });
      await createPersona(bare, {
        name: 'Family',
        slug: 'family',
        rule: { '==': [{ var: 'traits.kind' }, 'family'] },
      });
      await createVariant(bare, {
        name: 'family',
        targetUid: ARTICLE,
        targetDocumentId: entry.documentId,
        persona: 'family',
        overrides: { title: 'Bare family' },
      });
      const read = await bare
        .http()
        .get(`/api/personalize/content/articles/${entry.documentId}`)
        .set(contextHeader({ traits: { kind: 'family' } }));
      expect(read.status).toBe(200);
      expect(read.body.data.title).toBe('Bare family');
    } finally {
      await bare.stop();
    }
  });
});
