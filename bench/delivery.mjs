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
 *
 * Issue #19: the drop-in row (a core read with a context) is answered from the content cache, and
 * the variant content row reads `?variant=` URLs without a context, as a CDN would on a miss.
 *
 * Issue #18, in both phases: the personalized content requests with a new visitor id each (no
 * consent to a profile), once with the global holdout off and once with it at 10 %, switched on
 * for that row only (bench/app.cjs, `PUT /bench/holdout`). After each phase the impact exposures
 * the holdout row queued are counted in the database: none stored fails the run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createRequire } from 'node:module';

import autocannon from 'autocannon';

import { benchEnv, CONTEXTS, ratio, startApp, stopApp } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** Distinct visitors of the profile-backed row, each with a profile before it starts. */
const PROFILE_VISITORS = 10_000;
/** The holdout's share in the holdout row (off in every other row). */
const HOLDOUT = 0.1;
const CONNECTIONS = 20;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = 2;
/** Requests cycle over this many articles, each with its own visitor context. */
const SAMPLE = 50;

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

/**
 * The requests of the personalized content row (the same articles with the same contexts), each
 * with a visitor id never sent before (`<prefix>-<n>`) and no consent to a profile: every request
 * a new visitor, so each one to an entry with variants queues its variant reach row and (holdout
 * on) its impact exposure, the most these write-behind buffers get to write.
 */
const visitorRequests = (ids, prefix) => {
  let next = 0;
  return [
    {
      method: 'GET',
      setupRequest: (request) => {
        const n = next++;
        const i = n % ids.length;
        return {
          ...request,
          path: `/api/personalize/content/articles/${ids[i]}`,
          headers: {
            'x-personalize-context': JSON.stringify({
              ...CONTEXTS[i % CONTEXTS.length],
              visitorId: `${prefix}-${n}`,
            }),
          },
        };
      },
    },
  ];
};

/** Sets the global holdout's share through bench/app.cjs; refuses an answer with another one. */
const setHoldout = async (url, share) => {
  const response = await fetch(`${url}/bench/holdout?share=${share}`, { method: 'PUT' });
  const text = await response.text();
  if (response.status !== 200 || JSON.parse(text).share !== share) {
    throw new Error(`setting the holdout to ${share}: ${response.status} ${text.slice(0, 500)}`);
  }
};

/**
 * The impact exposures (by population) and variant reach rows in the bench database (read after
 * the app stopped, so with what its buffers held at SIGTERM).
 */
const storedImpact = (env) => {
  const Database = require('better-sqlite3');
  const db = new Database(env.DATABASE_FILENAME, { readonly: true });
  try {
    const populations = Object.fromEntries(
      db
        .prepare(
          'SELECT population, COUNT(*) AS n FROM personalize_impact_exposures GROUP BY population'
        )
        .all()
        .map((row) => [row.population, Number(row.n)])
    );
    return {
      personalized: populations.personalized ?? 0,
      holdout: populations.holdout ?? 0,
      reach: Number(db.prepare('SELECT COUNT(*) AS n FROM personalize_variant_reach').get().n),
    };
  } finally {
    db.close();
  }
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

/**
 * The paths of the variant content row, the same for every visitor: in phase 1, where all 10
 * variants are on one article, each of them; in phase 2 one variant of each sampled article.
 */
const variantPaths = (variantsByArticle) => {
  const withVariants = Object.entries(variantsByArticle).filter(([, variants]) => variants.length);
  const path = (article, variant) =>
    `/api/personalize/content/articles/${article}?variant=${variant}`;
  return withVariants.length === 1
    ? withVariants[0][1].map((variant) => path(withVariants[0][0], variant))
    : withVariants.map(([article, variants], i) => path(article, variants[i % variants.length]));
};

/** A variant content request must answer the variant, public: else the row measures nothing. */
const checkVariantContent = async (url, paths) => {
  if (paths.length === 0) throw new Error('variant content: no article with variants sampled');
  const response = await fetch(`${url}${paths[0]}`);
  const body = await response.json();
  if (
    response.status !== 200 ||
    !body.meta?.personalization?.variant ||
    !response.headers.get('cache-control')?.startsWith('public')
  ) {
    throw new Error(`variant content: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  }
};

const endpoints = (ids, variantRow) => {
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
    [VARIANT_ROW]: variantRow.map((path) => ({ method: 'GET', path })),
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

/** Nothing stored yet: what phase 1 starts from. */
const NO_IMPACT = { personalized: 0, holdout: 0, reach: 0 };

const phase = async (env, variants, { profiles = 0, impactBefore = NO_IMPACT } = {}) => {
  const app = await startApp({
    ...env,
    BENCH_VARIANTS: String(variants),
    BENCH_HOLDOUT_SWITCH: '1',
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
    const variantRow = variantPaths(
      await (await fetch(`${app.url}/bench/variants?ids=${ids.join(',')}`)).json()
    );
    await checkVariantContent(app.url, variantRow);
    const results = {};
    const rows = Object.entries(endpoints(ids, variantRow));
    // Before any measurement: a GraphQL row that answers errors fails the run at once.
    for (const [name, requests] of rows) {
      if (name.startsWith('GraphQL ')) {
        await checkGraphql(app.url, name, requests, {
          personalized: name.endsWith('personalized'),
        });
      }
    }
    rows.splice(
      2,
      0,
      ...(profiles > 0 ? [[PROFILE_ROW, profileRequests(ids)]] : []),
      // Own visitor ids per row and phase: no row finds another's visitors already counted.
      [VISITOR_ROW, visitorRequests(ids, `visitor-${variants}`)],
      [HOLDOUT_ROW, visitorRequests(ids, `hold-${variants}`)]
    );
    for (const [name, requests] of rows) {
      if (name === HOLDOUT_ROW) await setHoldout(app.url, HOLDOUT);
      results[name] = await measure(app.url, requests);
      if (name === HOLDOUT_ROW) await setHoldout(app.url, 0);
      console.log(
        `  ${name.padEnd(46)} ${String(results[name].rps).padStart(6)} req/s  p50 ${results[name].p50} ms  p99 ${results[name].p99} ms`
      );
    }
    // SIGTERM while the last views and impact rows may still wait in memory: none may be lost.
    await stopApp(app);
    stopped = true;
    const impactStored = storedImpact(env);
    // Only the holdout row queues impact exposures: one per visitor who read an entry with
    // variants (all in phase 2, 1 of the 50 articles in phase 1, whose 10 variants are all on it).
    const impact = {
      answered: results[HOLDOUT_ROW].answered,
      personalized: impactStored.personalized - impactBefore.personalized,
      holdout: impactStored.holdout - impactBefore.holdout,
      /** Of every row with visitor ids (the profile-backed one too). */
      reach: impactStored.reach - impactBefore.reach,
    };
    impact.heldOutShare = ratio(impact.holdout, impact.personalized + impact.holdout);
    console.log(`  impact rows stored: ${JSON.stringify(impact)}`);
    if (impact.personalized === 0 || impact.holdout === 0) {
      throw new Error(`${HOLDOUT_ROW}: impact exposures missing, ${JSON.stringify(impact)}`);
    }
    if (profiles === 0) return { seeded: app.seeded, results, impact };
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
    return {
      seeded: app.seeded,
      profiles: app.profiles,
      profileUpdates,
      results,
      impact,
    };
  } finally {
    if (!stopped) await stopApp(app);
  }
};

const VARIANT_ROW = 'variant content (public, warm cache)';
const PROFILE_ROW = `personalized, profile-backed (${PROFILE_VISITORS.toLocaleString('en')} visitors)`;
const VISITOR_ROW = 'personalized, visitor ids';
const HOLDOUT_ROW = `personalized, visitor ids, holdout ${HOLDOUT * 100} %`;

const main = async () => {
  const started = Date.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'personalize-bench-'));
  const env = benchEnv(dir);
  try {
    console.log('Phase 1: 1,000 articles, 10 variants in total');
    const small = await phase(env, 10, { profiles: PROFILE_VISITORS });
    console.log(`  (seeded ${JSON.stringify(small.seeded)})`);
    console.log('Phase 2: 1,000 articles, 10,000 variants');
    // Same database: phase 2 counts what it adds to what phase 1 stored.
    const large = await phase(env, 10_000, { impactBefore: storedImpact(env) });
    console.log(`  (seeded ${JSON.stringify(large.seeded)})`);

    const summary = (results) => {
      const base = results['core REST (baseline)'].rps;
      return {
        'personalized / core': ratio(results['personalized content'].rps, base),
        ...(results[PROFILE_ROW]
          ? { 'profile-backed / core': ratio(results[PROFILE_ROW].rps, base) }
          : {}),
        'visitor ids / personalized': ratio(
          results[VISITOR_ROW].rps,
          results['personalized content'].rps
        ),
        'holdout / personalized': ratio(
          results[HOLDOUT_ROW].rps,
          results['personalized content'].rps
        ),
        'holdout / visitor ids': ratio(results[HOLDOUT_ROW].rps, results[VISITOR_ROW].rps),
        'holdout / core': ratio(results[HOLDOUT_ROW].rps, base),
        'drop-in / core': ratio(results['drop-in core REST + context'].rps, base),
        'variant content / core': ratio(results[VARIANT_ROW].rps, base),
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
        holdout: { share: HOLDOUT, seed: 'bench', on: `${HOLDOUT_ROW} only` },
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

const holdoutLine = (report) => {
  const phases = Object.values(report.phases);
  const ratios = Object.entries(report.phases).map(
    ([phaseName, { ratios: r }]) =>
      `${phaseName}: visitor ids / personalized **${r['visitor ids / personalized']}**, holdout / personalized **${r['holdout / personalized']}**, holdout / visitor ids **${r['holdout / visitor ids']}**`
  );
  const stored = phases.map(({ impact }, index) => {
    const rows = impact.personalized + impact.holdout;
    return `${rows.toLocaleString('en')} in phase ${index + 1} (${impact.holdout.toLocaleString('en')} held out, ${Math.round(impact.heldOutShare * 100)} %) for ${impact.answered.toLocaleString('en')} answers autocannon counted`;
  });
  return `The visitor-id rows send the requests of the personalized content row, each with a visitor id never sent before (every request a new visitor) and no consent to a profile, so nothing is written to profiles; the first with the holdout off, the second with the global holdout at ${HOLDOUT * 100} % (seed \`bench\`), switched on through the settings service for that row only (no other row has one; it would affect only requests with a visitor id). With a visitor id, each request to an entry with variants queues a variant reach row for the variant served (holdout on or off) and, holdout on, buckets the visitor and queues an impact exposure; in phase 1 only 1 of the ${SAMPLE} articles has variants (all 10 are on it), in phase 2 every one. Ratios: ${ratios.join('; ')}. Impact exposures in the database after SIGTERM (only the holdout row queues them): ${stored.join('; ')}.`;
};

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

The variant content row reads \`/api/personalize/content/articles/:documentId?variant=…\` without a context (the same answer for every visitor, \`Cache-Control: public\`: what a CDN keeps; the figure is the origin's cost of a CDN miss), cycling over the 10 variants of the one article that has them in phase 1 and one variant of each sampled article in phase 2.

Personalized content with 10,000 variants / with 10 variants: **${report['personalized 10,000 / 10 variants']}**; decide: **${report['decide 10,000 / 10 variants']}**.

GraphQL personalized / GraphQL plain (the same query, POST \`${GRAPHQL_QUERY}\`, the personalized row with the visitor contexts of the other personalized rows): **${graphqlRatio(report, 'variants: 10')}** with 10 variants, **${graphqlRatio(report, 'variants: 10,000')}** with 10,000 variants.

Profiles (phase 1): ${profileLine(report.phases['variants: 10'])}

Visitor ids and the holdout (issue #18): ${holdoutLine(report)}
`;
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
