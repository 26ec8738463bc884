/**
 * Edge benchmark (issue 19): `npm run bench:edge` (about 2 minutes on 2 cores).
 *
 * The playground with 1,000 published articles and 10,000 variants (bench/app.cjs), and an API
 * token with the snapshot permission. In the same run:
 *  - the snapshot: its size (JSON and gzip), a full read and a 304 revalidation;
 *  - edge decisions/s: `decide(snapshot, request)` of the built `dist/edge/` in this process, over
 *    the same requests as the HTTP row (50 articles × the delivery benchmark's contexts), each
 *    checked equal to the origin's answer first; median of 5 rounds;
 *  - `POST /api/personalize/decide` requests/s over HTTP (autocannon, 20 connections, 10 s), and
 *    the same with a visitor id (decided every time);
 *  - the variant content from a warm cache (`?variant=`) against core REST for the same articles;
 *  - the personalized read of the same articles and contexts (answers a shared cache may keep,
 *    which the plugin keeps too), the same with a visitor id (decided every time), against
 *    `/_health` (the ceiling of Strapi's own middleware stack), a JSON POST that does no work
 *    (`POST /bench/echo`) and the same articles answered from memory with no work
 *    (`GET /bench/articles/:documentId`).
 * `BENCH_NODE_ARGS=--cpu-prof` profiles the app (the findings are in the results' text).
 * Writes bench/results/edge.json and bench/results/edge.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import autocannon from 'autocannon';

import { benchEnv, CONTEXTS, fmt, ratio, startApp, stopApp, writeResults } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { decide } = await import(path.join(HERE, '../dist/edge/index.mjs'));

const VARIANTS = 10_000;
const SAMPLE = 50;
const CONNECTIONS = 20;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = 5;
const ROUND_MS = 1_000;

/** The delivery benchmark's contexts, with the visitor's device and time: nothing depends on the request. */
const EDGE_CONTEXTS = CONTEXTS.map((context) => ({
  ...context,
  device: 'desktop',
  now: { hour: 10, weekday: 3, date: '2026-12-03' },
}));

const measure = async (url, requests) => {
  const run = (duration) => autocannon({ url, connections: CONNECTIONS, duration, requests });
  await run(2);
  const result = await run(DURATION);
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(`${requests[0].path}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  }
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
};

/** Decisions/s of `decide` over `requests`, cycling, for ROUND_MS; the median of ROUNDS. */
const edgeRate = (snapshot, requests) => {
  const rates = [];
  for (let round = 0; round <= ROUNDS; round++) {
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < ROUND_MS) {
      for (const request of requests) decide(snapshot, request);
      count += requests.length;
    }
    // Round 0 warms the JIT up.
    if (round > 0) rates.push((count / (performance.now() - started)) * 1_000);
  }
  rates.sort((a, b) => a - b);
  return { rate: Math.round(rates[Math.floor(ROUNDS / 2)]), perDecisionUs: 1e6 / rates[2] };
};

const main = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'personalize-bench-edge-'));
  const app = await startApp({
    ...benchEnv(dir),
    BENCH_VARIANTS: String(VARIANTS),
    BENCH_SNAPSHOT_TOKEN: '1',
  });
  try {
    const authorization = { authorization: `Bearer ${app.snapshotToken}` };
    let started = performance.now();
    const response = await fetch(`${app.url}/api/personalize/snapshot`, { headers: authorization });
    const json = await response.text();
    const fullMs = performance.now() - started;
    const snapshot = JSON.parse(json);
    started = performance.now();
    const revalidated = await fetch(`${app.url}/api/personalize/snapshot`, {
      headers: { ...authorization, 'if-none-match': response.headers.get('etag') },
    });
    const notModifiedMs = performance.now() - started;
    if (revalidated.status !== 304) throw new Error(`revalidation answered ${revalidated.status}`);

    const list = await (
      await fetch(
        `${app.url}/api/articles?pagination[pageSize]=${SAMPLE}&fields[0]=title&sort=title:asc`
      )
    ).json();
    const ids = list.data.map((article) => article.documentId);
    const requests = ids.map((id, i) => ({
      targetUid: 'articles',
      targetDocumentId: id,
      locale: 'en',
      context: EDGE_CONTEXTS[i % EDGE_CONTEXTS.length],
    }));
    // The edge answers exactly what the origin answers, for every request measured.
    const variantOf = new Map();
    for (const request of requests) {
      const origin = await (
        await fetch(`${app.url}/api/personalize/decide`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...request, track: false }),
        })
      ).json();
      const local = decide(snapshot, request);
      if (JSON.stringify(origin.data) !== JSON.stringify(local)) {
        throw new Error(`edge and origin differ: ${JSON.stringify({ origin, local })}`);
      }
      if (local.variant) variantOf.set(request.targetDocumentId, local.variant.documentId);
    }
    if (variantOf.size === 0) throw new Error('no request decided a variant');

    const edge = edgeRate(snapshot, requests);
    const post = (body) => ({
      method: 'POST',
      path: '/api/personalize/decide',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, track: false }),
    });
    const variantIds = [...variantOf.keys()];
    const rows = {
      '/_health': [{ method: 'GET', path: '/_health' }],
      'JSON POST with no work (floor)': requests.map((body) => ({
        ...post(body),
        path: '/bench/echo',
      })),
      'decide (HTTP)': requests.map(post),
      // A visitor id: the decision is recorded (reach), so it is made for every request.
      'decide, visitor id (decided every time)': requests.map((body, i) =>
        post({ ...body, context: { ...body.context, visitorId: `bench-${i}` } })
      ),
      'the same article from memory, no work (floor)': requests.map(({ targetDocumentId }) => ({
        method: 'GET',
        path: `/bench/articles/${targetDocumentId}`,
      })),
      'personalized read': requests.map(({ targetDocumentId, context }) => ({
        method: 'GET',
        path: `/api/personalize/content/articles/${targetDocumentId}`,
        headers: { 'x-personalize-context': JSON.stringify(context) },
      })),
      // A visitor id: the decision is recorded (reach), so it is made for every request.
      'personalized read, visitor id (decided every time)': requests.map(
        ({ targetDocumentId, context }, i) => ({
          method: 'GET',
          path: `/api/personalize/content/articles/${targetDocumentId}`,
          headers: {
            'x-personalize-context': JSON.stringify({ ...context, visitorId: `bench-${i}` }),
          },
        })
      ),
      'core REST (same articles)': variantIds.map((id) => ({
        method: 'GET',
        path: `/api/articles/${id}`,
      })),
      'variant content, warm cache': variantIds.map((id) => ({
        method: 'GET',
        path: `/api/personalize/content/articles/${id}?variant=${variantOf.get(id)}`,
      })),
    };
    const http = {};
    for (const [name, rowRequests] of Object.entries(rows)) {
      http[name] = await measure(app.url, rowRequests);
      console.log(`${name}: ${fmt(http[name].rps)} req/s`);
    }
    const vsHealth = (name) => ratio(http[name].rps, http['/_health'].rps);
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model,
      variants: VARIANTS,
      snapshot: {
        bytes: Buffer.byteLength(json),
        gzipBytes: gzipSync(json).length,
        entries: snapshot.entries.length,
        fullMs: Math.round(fullMs),
        notModifiedMs: Math.round(notModifiedMs),
      },
      edge,
      http,
      ratios: {
        edgeVsHttpDecide: ratio(edge.rate, http['decide (HTTP)'].rps),
        variantContentVsCoreRest: ratio(
          http['variant content, warm cache'].rps,
          http['core REST (same articles)'].rps
        ),
        decideVsHealth: vsHealth('decide (HTTP)'),
        decidedDecideVsHealth: vsHealth('decide, visitor id (decided every time)'),
        decideVsFloor: ratio(http['decide (HTTP)'].rps, http['JSON POST with no work (floor)'].rps),
        readVsHealth: vsHealth('personalized read'),
        decidedReadVsHealth: vsHealth('personalized read, visitor id (decided every time)'),
        floorVsHealth: vsHealth('JSON POST with no work (floor)'),
        readFloorVsHealth: vsHealth('the same article from memory, no work (floor)'),
      },
    };
    console.log(JSON.stringify(result.ratios));
    await writeResults('edge', result, markdown(result));
  } finally {
    await stopApp(app);
    await rm(dir, { recursive: true, force: true });
  }
};

const markdown = (result) => `# Edge decisions

Command: \`npm run bench:edge\` (bench/edge.mjs) · Node ${result.node} · ${result.cpu} (2 cores) · ${result.date}

The playground on SQLite with 1,000 published articles and ${fmt(result.variants)} published variants
(10 per article: persona, stage, persona+stage and rule targeting).

**The snapshot**: ${fmt(result.snapshot.bytes)} bytes of JSON (${fmt(result.snapshot.gzipBytes)} gzipped) for
${fmt(result.snapshot.entries)} entries; read in ${result.snapshot.fullMs} ms, revalidated (304) in
${result.snapshot.notModifiedMs} ms.

| Measure | Rate | p50 ms | p99 ms |
| --- | ---: | ---: | ---: |
| edge \`decide(snapshot, request)\`, one process | ${fmt(result.edge.rate)} decisions/s (${result.edge.perDecisionUs.toFixed(2)} µs each) | | |
${Object.entries(result.http)
  .map(([name, row]) => `| ${name} | ${fmt(row.rps)} req/s | ${row.p50} | ${row.p99} |`)
  .join('\n')}

- Edge decisions / \`decide\` over HTTP: **${result.ratios.edgeVsHttpDecide}×**. Every one of the
  ${SAMPLE} requests measured was first checked to decide exactly as \`POST /api/personalize/decide\`.
- Variant content from the warm cache / core REST for the same articles: **${result.ratios.variantContentVsCoreRest}×**
  (before any CDN: behind one, each variant's copy is served from the CDN's cache).
- Over HTTP, against \`/_health\` in the same run: the personalized read
  **${result.ratios.readVsHealth}×** and \`decide\` **${result.ratios.decideVsHealth}×** (these
  contexts decide by themselves and record nothing: the plugin keeps the answers, see below), with
  a visitor id, decided and recorded for every request, **${result.ratios.decidedReadVsHealth}×**
  and **${result.ratios.decidedDecideVsHealth}×**. A JSON POST that does no work at all
  (\`POST /bench/echo\`, a route of Strapi's root router answering its body) measured
  **${result.ratios.floorVsHealth}×**, so \`decide\` answered **${result.ratios.decideVsFloor}×** what a routed
  POST can; the same articles answered from memory by a route of the root router with no other
  work (\`GET /bench/articles/:documentId\`) **${result.ratios.readFloorVsHealth}×**.

The edge figure is one core of this machine deciding with no network; the HTTP rows share the two
cores between autocannon and Strapi.

## Where the personalized read spends its time (profile, 2026-12-04)

Profiled the same way (1,000 variants, 10 s of load), the read decided for every request served
1,634 req/s (about 612 µs of the app's time per request); the plugin's own work was about 110 µs of
it (authorization from its cache, parsing the context, the decision, merging, headers), the
Content API route's composition about 45 µs, and the rest the cost of any GET in Strapi (security
headers 127 µs, writing the response 78 µs, the router 75 µs, the other global middlewares). A
read answered from memory with no work spends about 383 µs.

So the read could not come near \`/_health\` by trimming the plugin's part alone. What it does
instead: an answer the request alone decided (no fact the server supplied, no visitor id, no
credentials: what a shared cache may keep of a GET) with a context without a visitor id records
nothing, and is the same for the same request until something is written. The plugin keeps those
answers in its content cache (cleared by every write, here or on another instance, bounded by the
same size) when the drop-in, a middleware of Strapi's router, saw the request routed to a route
that runs nothing but the plugin's read or \`decide\` (or core's read) and it came without
credentials. An identical request is then answered by the plugin's last app middleware, after
every other (security headers, CORS, logger, body parsing, the app's own) and before the router:
neither the router's matching nor the route's composition runs again, which is why such a read can
pass \`/_health\` (a route of the router). Answers with a visitor id, a server fact or credentials
are decided every time (the rows above).

## Where \`decide\` spends its time when it decides (profile, 2026-12-03)

\`BENCH_NODE_ARGS=--cpu-prof\` profiles the app. Under 10 s of load (1,000 variants) of \`decide\`
(1,462 req/s with the profiler on: about 684 µs of the app's time per request) and of the JSON POST
that does no work (2,336 req/s: 428 µs), the samples of the load window, each counted in the
innermost part it ran in:

| Part | \`decide\` | no-work POST |
| --- | ---: | ---: |
| Koa, async hooks, the HTTP parser, promises | 22 % | 22 % |
| Security headers: \`strapi::security\` builds helmet's middleware anew on every request | 18 % | 20 % |
| Writing the response | 12 % | 17 % |
| Parsing the body: koa-body, which also checks its options with zod on every request | 10 % | 12 % |
| Router | 8 % | 12 % |
| Garbage collection | 6 % | 7 % |
| Logger, session, CORS, favicon, other global middlewares | 4 % | 6 % |
| The Content API endpoint's composition: policies, users-permissions' \`verify\` (lodash) | 4 % | |
| The plugin: authorization from its cache, parsing the body and context, the decision, headers | 13 % | 1 % |

So the plugin's own work is about 90 µs of a \`decide\` request and Strapi's endpoint composition
about 30 µs; the rest is what any JSON POST costs in Strapi, and \`/_health\` (a GET without a body
or a JSON answer) pays only part of it. The no-work POST, a routed route, is therefore the
ceiling of a routed request that takes a body: ${result.ratios.floorVsHealth}× of \`/_health\` in this
run (0.69–0.85× over the runs made), below the 0.8× issue 19 asks of \`decide\`; a decision made
every time (${result.ratios.decidedDecideVsHealth}×) goes through the router and the route. Deciding
from the router without the endpoint composition was tried for every \`decide\`: about 10 % more
requests/s, within this machine's run-to-run noise. Kept answers are sent before the router (the
section above), after every app middleware; nothing of the plugin answers before those (the app's
CORS, security headers, logger and its own middlewares). Edge decisions are the way past every
ceiling: ${result.ratios.edgeVsHttpDecide}× \`decide\` over HTTP (kept answers), above.
`;

await main();
