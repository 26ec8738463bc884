import { readFileSync } from 'node:fs';
import path from 'node:path';

import { build } from 'esbuild';
import { EdgeRuntime, runServer } from 'edge-runtime';

import { createApiToken, loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import { startPlayground, type Playground } from '../helpers/playground';

// Issue 19: the built `strapi-plugin-personalize/edge` (dist/edge/) in Vercel's Edge Runtime, the
// Workers-like sandbox of web APIs only (no `require`, no `process`, no Node built-in): it fetches
// the snapshot from the playground, decides, fetches the variant's cacheable content, and decides
// differently once a change is published in the admin, within its refresh interval.

const ROOT = path.resolve(__dirname, '../..');
const ARTICLE = 'api::article.article';
const REFRESH_MS = 300;

let app: Playground;
let admin: PluginApi;
let worker: Awaited<ReturnType<typeof runServer>>;

/** The worker: a fetch handler that decides for `?request=` and fetches the content it decided. */
const WORKER = `
const snapshotStatuses = [];
const decider = PersonalizeEdge.createEdgeDecider({
  snapshotUrl: ORIGIN + '/api/personalize/snapshot',
  token: TOKEN,
  refreshMs: ${REFRESH_MS},
  fetch: async (url, init) => {
    const response = await fetch(url, init);
    if (String(url).endsWith('/snapshot')) snapshotStatuses.push(response.status);
    return response;
  },
});
addEventListener('fetch', (event) => {
  event.respondWith((async () => {
    const request = JSON.parse(new URL(event.request.url).searchParams.get('request'));
    const data = await decider.decide(request, {
      userAgent: event.request.headers.get('user-agent') ?? undefined,
    });
    event.waitUntil(decider.flush());
    const url = ORIGIN + '/api/personalize/content/articles/' + request.targetDocumentId +
      (data.variant ? '?variant=' + data.variant.documentId : '');
    const content = await fetch(url);
    return new Response(JSON.stringify({
      data,
      title: (await content.json()).data.title,
      cacheControl: content.headers.get('cache-control'),
      sandbox: [typeof require, typeof process, typeof Buffer].join(','),
      snapshotStatuses,
    }), { headers: { 'content-type': 'application/json' } });
  })());
});`;

beforeAll(async () => {
  app = await startPlayground({ seed: true });
  const jwt = await loginAdmin(app);
  admin = pluginApi(app, jwt);
  const token = await createApiToken(app, jwt, 'custom', undefined, [
    'plugin::personalize.snapshot.read',
  ]);
  // The package's built entry, bundled with its dependencies as a worker's bundler would.
  const bundled = await build({
    entryPoints: [path.join(ROOT, 'dist/edge/index.mjs')],
    bundle: true,
    format: 'iife',
    globalName: 'PersonalizeEdge',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'warning',
  });
  const initialCode = [
    `const ORIGIN = ${JSON.stringify(app.url)}; const TOKEN = ${JSON.stringify(token)};`,
    bundled.outputFiles[0].text,
    WORKER,
  ].join('\n');
  worker = await runServer({ runtime: new EdgeRuntime({ initialCode }), port: 0 });
});

afterAll(async () => {
  await worker?.close();
  await app?.stop();
});

const ask = async (request: object) => {
  const response = await fetch(
    `${worker.url}?request=${encodeURIComponent(JSON.stringify(request))}`
  );
  expect(response.status).toBe(200);
  return (await response.json()) as {
    data: { reason: string; variant: { documentId: string; name: string } | null };
    title: string;
    cacheControl: string;
    sandbox: string;
    snapshotStatuses: number[];
  };
};

it('runs in the Edge Runtime sandbox, decides from the snapshot and fetches the variant content', async () => {
  // No Node built-in is imported (the sandbox would not have it either).
  expect(readFileSync(path.join(ROOT, 'dist/edge/index.mjs'), 'utf8')).not.toMatch(
    /from ['"]node:|require\(['"]node:/
  );
  const [article] = await app.strapi
    .documents(ARTICLE)
    .findMany({ fields: ['documentId', 'title'], status: 'published', locale: 'en' });
  const request = {
    targetUid: 'articles',
    targetDocumentId: article.documentId,
    locale: 'en',
    context: { persona: 'fleet', visitorId: 'edge-runtime-1', consent: { analytics: false } },
  };
  const first = await ask(request);
  expect(first.sandbox).toBe('undefined,undefined,undefined');
  const origin = await app
    .http()
    .post('/api/personalize/decide')
    .send({ ...request, track: false });
  expect(first.data).toEqual(origin.body.data);
  // Unchanged, the snapshot is revalidated (304), not fetched again.
  await new Promise((resolve) => setTimeout(resolve, REFRESH_MS + 50));
  expect((await ask(request)).snapshotStatuses).toEqual([200, 304]);

  // An editor publishes a variant for fleet managers on that article.
  const created = await admin.post('/variants', {
    name: 'Fleet at the edge',
    targetUid: ARTICLE,
    targetDocumentId: article.documentId,
    locale: 'en',
    persona: 'fleet',
    priority: 1_000,
    overrides: { title: 'Fleet title from the edge' },
  });
  expect(created.status).toBe(201);
  const published = await admin.post(`/variants/${created.body.data.documentId}/publish`);
  expect(published.status).toBe(200);
  const changedAt = Date.now();
  let decided = await ask(request);
  while (decided.data.variant?.documentId !== created.body.data.documentId) {
    expect(Date.now() - changedAt).toBeLessThan(REFRESH_MS + 2_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    decided = await ask(request);
  }
  expect(decided.data.reason).toBe('persona');
  expect(decided.title).toBe('Fleet title from the edge');
  expect(decided.cacheControl).toMatch(/^public/);
}, 60_000);
