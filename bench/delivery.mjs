/**
 * Delivery benchmark (issue #3): plain core REST against the personalized reads, in one run, on
 * the playground with SQLite; and (issue #17) one GraphQL query with and without a visitor
 * context. Usage: `npm run bench` (about 5 minutes on 2 cores).
 *
 * Phase 1: 1,000 published articles and 10 variants in total, and 10,000 visitors with a profile
 * each (issue #16); phase 2: the same with 10,000 variants (10 per article). Each phase measures,
 * with autocannon (20 connections, 2 s warm-up, 10 s), the endpoints below and prints
 * requests/s, p50/p99 latency and the ratios. After phase 1 the app is stopped with SIGTERM and
 * the profiles' page views are counted in its database: every view answered must be there.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createRequire } from 'node:module';

import autocannon from 'autocannon';

import { benchEnv, ratio, startApp, stopApp } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** Distinct visitors of the profile-backed row, each with a profile before it starts. */
const PROFILE_VISITORS = 10_000;
const CONNECTIONS = 20;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = 2;
/** Requests cycle over this many articles, each with its own visitor context. */
const SAMPLE = 50;

const CONTEXTS = [
  { persona: 'fleet' },
  { events: ['configurator_completed'], visits: 4 },
  { traits: { interests: ['family'] }, events: ['configurator_completed'] },
  { geo: { country: 'AT' } },
  { utm: { campaign: 'gt-launch', source: 'youtube' }, visits: 2 },
  { pageViews: 9, events: ['compared_specs'] },
  { visits: 1 },
];

/**
 * The query of both GraphQL rows: the fields a variant overrides (title, summary), one it does
 * not (ctaLabel) and a media field, which core resolves through its association resolver.
 */
const GRAPHQL_QUERY =
  'query($id: ID!) { article(documentId: $id) { documentId title summary ctaLabel cover { url } } }';

/** A POST of GRAPHQL_QUERY for one article, with the visitor context header when one is given. */
const graphqlRequest = (id, context) => ({
  method: 'POST',
  path: '/graphql',
  headers: {
    'content-type': 'application/json',
    ...(context ? { 'x-personalize-context': JSON.stringify(context) } : {}),
  },
  body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { id } }),
});

/**
 * GraphQL answers its errors with a 200, which autocannon counts as a success: every request of
 * a GraphQL row is sent once before measuring and must return its article without errors, and
 * the personalized row must serve a variant at least once (the plain row never).
 */
const checkGraphql = async (url, name, requests, { personalized }) => {
  let variants = 0;
  for (const { method, path: requestPath, headers, body } of requests) {
    const response = await fetch(`${url}${requestPath}`, { method, headers, body });
    const answer = await response.json();
    if (response.status !== 200 || answer.errors || !answer.data?.article?.title) {
      throw new Error(`${name}: ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
    }
    if (answer.data.article.title.includes(' for variant ')) variants += 1;
  }
  if (personalized ? variants === 0 : variants > 0) {
    throw new Error(`${name}: ${variants} of ${requests.length} answers served a variant`);
  }
};

const cannon = (url, requests, duration) =>
  autocannon({ url, connections: CONNECTIONS, duration, requests });

/** Warm up, then measure; refuses results with errors or non-2xx answers. */
const measure = async (url, requests) => {
  const warmup = await cannon(url, requests, WARMUP);
  const result = await cannon(url, requests, DURATION);
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(
      `${requests[0].path}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`
    );
  }
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    /** Answered 2xx, warm-up included. */
    answered: warmup['2xx'] + result['2xx'],
  };
};

/**
 * Consenting visitors who send only their id (`bench-<i>`, each with a profile), one after the
 * other over PROFILE_VISITORS, reading the sampled articles: every request a different visitor.
 */
const profileRequests = (ids) => {
  let next = 0;
  return [
    {
      method: 'GET',
      setupRequest: (request) => {
        const i = next++ % PROFILE_VISITORS;
        return {
          ...request,
          path: `/api/personalize/content/articles/${ids[i % ids.length]}`,
          headers: {
            'x-personalize-context': JSON.stringify({
              visitorId: `bench-${i}`,
              consent: { personalization: true },
            }),
          },
        };
      },
    },
  ];
};

/** The page views the profiles in the bench database hold (read after the app stopped). */
const recordedPageViews = (env) => {
  const Database = require('better-sqlite3');
  const db = new Database(env.DATABASE_FILENAME, { readonly: true });
  try {
    return Number(
      db.prepare('SELECT SUM(page_views) AS views FROM personalize_profiles').get().views
    );
  } finally {
    db.close();
  }
};

const endpoints = (ids) => {
  const header = (i) => ({
    'x-personalize-context': JSON.stringify(CONTEXTS[i % CONTEXTS.length]),
  });
  return {
    'core REST (baseline)': ids.map((id) => ({ method: 'GET', path: `/api/articles/${id}` })),
    'personalized content': ids.map((id, i) => ({
      method: 'GET',
      path: `/api/personalize/content/articles/${id}`,
      headers: header(i),
    })),
    'drop-in core REST + context': ids.map((id, i) => ({
      method: 'GET',
      path: `/api/articles/${id}`,
      headers: header(i),
    })),
    decide: ids.map((id, i) => ({
      method: 'POST',
      path: '/api/personalize/decide',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        targetUid: 'api::article.article',
        targetDocumentId: id,
        locale: 'en',
        context: CONTEXTS[i % CONTEXTS.length],
      }),
    })),
    'GraphQL plain': ids.map((id) => graphqlRequest(id)),
    'GraphQL personalized': ids.map((id, i) => graphqlRequest(id, CONTEXTS[i % CONTEXTS.length])),
  };
};

const phase = async (env, variants, { profiles = 0 } = {}) => {
  const app = await startApp({
    ...env,
    BENCH_VARIANTS: String(variants),
    ...(profiles > 0 ? { BENCH_PROFILES: String(profiles) } : {}),
  });
  let stopped = false;
  try {
    const list = await (
      await fetch(
        `${app.url}/api/articles?pagination[pageSize]=${SAMPLE}&fields[0]=title&sort=title:asc`
      )
    ).json();
    const ids = list.data.map((article) => article.documentId);
    const results = {};
    const rows = Object.entries(endpoints(ids));
    // Before any measurement: a GraphQL row that answers errors fails the run at once.
    for (const [name, requests] of rows) {
      if (name.startsWith('GraphQL ')) {
        await checkGraphql(app.url, name, requests, {
          personalized: name.endsWith('personalized'),
        });
      }
    }
    if (profiles > 0) rows.splice(2, 0, [PROFILE_ROW, profileRequests(ids)]);
    for (const [name, requests] of rows) {
      results[name] = await measure(app.url, requests);
      console.log(
        `  ${name.padEnd(30)} ${String(results[name].rps).padStart(6)} req/s  p50 ${results[name].p50} ms  p99 ${results[name].p99} ms`
      );
    }
    if (profiles === 0) return { seeded: app.seeded, results };
    // SIGTERM while the last views may still wait in memory: none may be lost.
    await stopApp(app);
    stopped = true;
    // autocannon counts the answers it waited for: a request it gave up on when a run ended may
    // still have been served (and recorded), so `recorded` can exceed `answered`, never be below.
    const answered = results[PROFILE_ROW].answered;
    const recorded = recordedPageViews(env) - profiles;
    const profileUpdates = {
      answered,
      recorded,
      lost: Math.max(answered - recorded, 0),
      perSecond: Math.round(recorded / (WARMUP + DURATION)),
    };
    console.log(
      `  profiles: ${JSON.stringify(app.profiles)}; updates ${JSON.stringify(profileUpdates)}`
    );
    return { seeded: app.seeded, profiles: app.profiles, profileUpdates, results };
  } finally {
    if (!stopped) await stopApp(app);
  }
};

const PROFILE_ROW = `personalized, profile-backed (${PROFILE_VISITORS.toLocaleString('en')} visitors)`;

const main = async () => {
  const started = Date.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'personalize-bench-'));
  const env = benchEnv(dir);
  try {
    console.log('Phase 1: 1,000 articles, 10 variants in total');
    const small = await phase(env, 10, { profiles: PROFILE_VISITORS });
    console.log(`  (seeded ${JSON.stringify(small.seeded)})`);
    console.log('Phase 2: 1,000 articles, 10,000 variants');
    const large = await phase(env, 10_000);
    console.log(`  (seeded ${JSON.stringify(large.seeded)})`);

    const summary = (results) => {
      const base = results['core REST (baseline)'].rps;
      return {
        'personalized / core': ratio(results['personalized content'].rps, base),
        ...(results[PROFILE_ROW]
          ? { 'profile-backed / core': ratio(results[PROFILE_ROW].rps, base) }
          : {}),
        'drop-in / core': ratio(results['drop-in core REST + context'].rps, base),
        'decide / core': ratio(results.decide.rps, base),
        'GraphQL personalized / GraphQL plain': ratio(
          results['GraphQL personalized'].rps,
          results['GraphQL plain'].rps
        ),
      };
    };
    const report = {
      command: 'npm run bench',
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
      settings: {
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        warmupSeconds: WARMUP,
        articlesCycled: SAMPLE,
        database: 'SQLite (better-sqlite3)',
        mode: 'NODE_ENV=production',
        graphqlQuery: GRAPHQL_QUERY,
      },
      phases: {
        'variants: 10': { ...small, ratios: summary(small.results) },
        'variants: 10,000': { ...large, ratios: summary(large.results) },
      },
      'personalized 10,000 / 10 variants': ratio(
        large.results['personalized content'].rps,
        small.results['personalized content'].rps
      ),
      'decide 10,000 / 10 variants': ratio(large.results.decide.rps, small.results.decide.rps),
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(
      JSON.stringify(
        {
          ratios10: report.phases['variants: 10'].ratios,
          ratios10k: report.phases['variants: 10,000'].ratios,
        },
        null,
        2
      )
    );
    console.log(
      `personalized 10,000 / 10 variants: ${report['personalized 10,000 / 10 variants']}; total ${report.seconds} s`
    );
    await writeFile(
      path.join(HERE, 'results/delivery.json'),
      `${JSON.stringify(report, null, 2)}\n`
    );
    await writeFile(path.join(HERE, 'results/delivery.md'), markdown(report));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const profileLine = ({ profiles, profileUpdates }) =>
  `${profiles.seeded.toLocaleString('en')} visitors with a profile each; every request of the profile-backed row is a different visitor (${PROFILE_VISITORS.toLocaleString('en')} in turn) who sends only their id and consent, and records a page view. The instance held ${profiles.cached.toLocaleString('en')} profiles in memory (\`profiles.cacheSize\`, its bound) taking ${(profiles.cacheBytes / 1024 / 1024).toFixed(1)} MB of heap (${profiles.bytesPerProfile} bytes each). Profile updates: ${profileUpdates.recorded.toLocaleString('en')} page views in the database after SIGTERM (${profileUpdates.perSecond}/s sustained), of ${profileUpdates.answered.toLocaleString('en')} answers autocannon counted (it does not count the requests in flight when a run ends): **${profileUpdates.lost} lost**.`;

const graphqlRatio = (report, phaseName) =>
  report.phases[phaseName].ratios['GraphQL personalized / GraphQL plain'];

const markdown = (report) => {
  const rows = Object.entries(report.phases).flatMap(([phaseName, { results }]) =>
    Object.entries(results).map(
      ([name, r]) =>
        `| ${phaseName} | ${name} | ${r.rps} | ${r.p50} | ${r.p99} | ${ratio(r.rps, results['core REST (baseline)'].rps)} |`
    )
  );
  return `# Delivery benchmark

\`${report.command}\` on ${report.date.slice(0, 10)}, Node ${report.node}, ${report.cpu}; autocannon ${CONNECTIONS} connections, ${WARMUP} s warm-up, ${DURATION} s per endpoint; 1,000 published articles on SQLite, requests cycling over ${SAMPLE} articles and ${CONTEXTS.length} visitor contexts; NODE_ENV=production. Whole run: ${report.seconds} s.

| variants | endpoint | requests/s | p50 ms | p99 ms | vs core REST |
| --- | --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Personalized content with 10,000 variants / with 10 variants: **${report['personalized 10,000 / 10 variants']}**; decide: **${report['decide 10,000 / 10 variants']}**.

GraphQL personalized / GraphQL plain (the same query, POST \`${GRAPHQL_QUERY}\`, the personalized row with the visitor contexts of the other personalized rows): **${graphqlRatio(report, 'variants: 10')}** with 10 variants, **${graphqlRatio(report, 'variants: 10,000')}** with 10,000 variants.

Profiles (phase 1): ${profileLine(report.phases['variants: 10'])}
`;
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
