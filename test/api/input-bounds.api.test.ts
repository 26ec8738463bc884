import { loginAdmin } from '../helpers/admin';
import { createEntry } from '../helpers/content';
import { startPlayground, type Playground } from '../helpers/playground';
import { contextHeader, createPersona, createVariant } from '../helpers/personalize';

// What the security review found beyond authorization: contexts and rules whose size or cost is
// bounded at every entry point, published-only delivery, UTF-8 headers, the sample-size helper's
// ranges and a content cache bounded by size.

const ARTICLE = 'api::article.article';
const CACHE_BYTES = 20_000;

let app: Playground;
let admin: string;
let article: string;

const adminPost = (path: string, body: object) =>
  app.http().post(`/personalize${path}`).set('Authorization', `Bearer ${admin}`).send(body);

beforeAll(async () => {
  app = await startPlayground({ env: { PERSONALIZE_CACHE_MAX_BYTES: String(CACHE_BYTES) } });
  admin = await loginAdmin(app);
  article = (await createEntry(app, ARTICLE, { locale: 'en', data: { title: 'Base' } })).documentId;
  await createPersona(app, {
    name: 'Munich',
    slug: 'munich',
    rule: { '==': [{ var: 'traits.city' }, 'München'] },
  });
  await createVariant(app, {
    name: 'Munich',
    targetUid: ARTICLE,
    targetDocumentId: article,
    locale: 'en',
    persona: 'munich',
    overrides: { title: 'Servus' },
  });
});

afterAll(() => app.stop());

/** A valid context of about `bytes` bytes of JSON. */
const contextOf = (bytes: number) => ({
  traits: Object.fromEntries(
    Array.from({ length: Math.ceil(bytes / 1_000) }, (_, i) => [`t${i}`, 'x'.repeat(990)])
  ),
});

describe('one bound for every visitor context', () => {
  it('refuses a context over 16 KB in a decide body (the review sent 100 KB) and in a preview', async () => {
    const big = contextOf(100_000);
    const decide = await app
      .http()
      .post('/api/personalize/decide')
      .send({ targetUid: ARTICLE, targetDocumentId: article, context: big });
    expect(decide.status).toBe(400);
    expect(decide.body.error.details.errors[0]).toMatchObject({
      path: ['context'],
      message: 'the context is longer than 16384 bytes',
    });
    const justOver = contextOf(17_000);
    expect(JSON.stringify(justOver).length).toBeGreaterThan(16_384);
    expect(
      (
        await app
          .http()
          .post('/api/personalize/decide')
          .send({ targetUid: ARTICLE, targetDocumentId: article, context: justOver })
      ).status
    ).toBe(400);
    const preview = await adminPost('/preview', {
      targetUid: ARTICLE,
      targetDocumentId: article,
      context: big,
    });
    expect(preview.status).toBe(400);
    const validate = await adminPost('/rules/validate', { rule: true, context: big });
    expect(validate.status).toBe(400);
    // Under the bound: fine.
    const fits = contextOf(12_000);
    expect(
      (
        await app
          .http()
          .post('/api/personalize/decide')
          .send({ targetUid: ARTICLE, targetDocumentId: article, context: fits })
      ).status
    ).toBe(200);
  });

  it("refuses the review's costly rule on save, naming its costliest node", async () => {
    const rule = {
      some: [
        { var: 'traits.t' },
        { in: ['zzz', { cat: Array.from({ length: 1_000 }, () => ({ var: '' })) }] },
      ],
    };
    const saved = await adminPost('/personas', { name: 'Costly', rule });
    expect(saved.status).toBe(400);
    expect(saved.body.error.details.errors[0]).toMatchObject({ path: ['rule', 'some', '1'] });
    expect(saved.body.error.message).toMatch(/too expensive/);
    const checked = await adminPost('/rules/validate', { rule });
    expect(checked.body.data).toMatchObject({ valid: false });
    expect(checked.body.data.errors[0].path).toBe('some.1');
  });
});

describe('published content only', () => {
  it('the delivery refuses status=draft; the drop-in follows core REST but merges only published variants', async () => {
    const draft = (
      await createEntry(app, ARTICLE, {
        locale: 'en',
        data: { title: 'Draft only' },
        publish: false,
      })
    ).documentId;
    const refused = await app
      .http()
      .get(`/api/personalize/content/articles/${draft}?status=draft`)
      .set(contextHeader({}));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['status']);
    expect(
      (await app.http().get(`/api/personalize/content/articles/${article}?status=published`)).status
    ).toBe(200);

    // A draft variant of the draft entry is never merged.
    await createVariant(
      app,
      {
        name: 'Draft variant',
        targetUid: ARTICLE,
        targetDocumentId: draft,
        locale: 'en',
        persona: 'munich',
        overrides: { title: 'Draft variant' },
      },
      { publish: false }
    );
    const core = await app
      .http()
      .get(`/api/articles/${draft}?status=draft`)
      .set(contextHeader({ persona: 'munich' }));
    expect(core.status).toBe(200);
    expect(core.body.data.title).toBe('Draft only');
    expect(core.body.meta.personalization.variant).toBeNull();
    expect(core.headers['cache-control']).toBe('private, no-store');
  });
});

describe('the context header', () => {
  it('is read as UTF-8, or percent-encoded, like the query parameter', async () => {
    const context = JSON.stringify({ traits: { city: 'München' } });
    const url = `/api/personalize/content/articles/${article}`;
    // Node sends a header's characters as Latin-1 bytes: these are the UTF-8 bytes of the JSON.
    const utf8 = await app
      .http()
      .get(url)
      .set('X-Personalize-Context', Buffer.from(context, 'utf8').toString('latin1'));
    expect(utf8.status).toBe(200);
    expect(utf8.body.data.title).toBe('Servus');
    const percent = await app
      .http()
      .get(url)
      .set('X-Personalize-Context', encodeURIComponent(context));
    expect(percent.body.data.title).toBe('Servus');
    const query = await app.http().get(url).query({ context });
    expect(query.body.data.title).toBe('Servus');
  });
});

describe('the sample-size helper', () => {
  it('answers 400 with the field for rates it cannot plan for', async () => {
    const response = await app
      .http()
      .get('/personalize/experiments/sample-size')
      .query({ baselineRate: '1e-300', minimumDetectableEffect: '1e-300' })
      .set('Authorization', `Bearer ${admin}`);
    expect(response.status).toBe(400);
    const paths = response.body.error.details.errors.map(
      (issue: { path: string[] }) => issue.path[0]
    );
    expect(paths).toEqual(['baselineRate', 'minimumDetectableEffect']);
    const fine = await app
      .http()
      .get('/personalize/experiments/sample-size')
      .query({ baselineRate: '0.05', minimumDetectableEffect: '0.1' })
      .set('Authorization', `Bearer ${admin}`);
    expect(fine.status).toBe(200);
    expect(fine.body.data.visitorsPerArm).toBeGreaterThan(1_000);
  });
});

describe('the content cache', () => {
  it(`holds at most ${CACHE_BYTES} bytes, whatever the entries weigh`, async () => {
    const cache = app.strapi.plugin('personalize').service('contentCache') as { bytes: number };
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      ids.push(
        (
          await createEntry(app, ARTICLE, {
            locale: 'en',
            data: { title: `Long ${i}`, summary: 's'.repeat(2_000) },
          })
        ).documentId
      );
    }
    for (const id of ids) {
      expect((await app.http().get(`/api/personalize/content/articles/${id}`)).status).toBe(200);
    }
    // Twenty entries of over 2,000 bytes each: within the bound means some were evicted.
    expect(cache.bytes).toBeGreaterThan(0);
    expect(cache.bytes).toBeLessThanOrEqual(CACHE_BYTES);
  });
});
