/**
 * Delivery benchmark (issue #3): plain core REST against the personalized reads, in one run, on
 * the playground with SQLite. Usage: `npm run bench` (about 3 minutes on 2 cores).
 *
 * Phase 1: 1,000 published articles and 10 variants in total; phase 2: the same with 10,000
 * variants (10 per article). Each phase measures, with autocannon (20 connections, 2 s warm-up,
 * 10 s), the four endpoints below and prints requests/s, p50/p99 latency and the ratios.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { benchEnv, ratio, startApp, stopApp } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
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

const cannon = (url, requests, duration) =>
  autocannon({ url, connections: CONNECTIONS, duration, requests });

/** Warm up, then measure; refuses results with errors or non-2xx answers. */
const measure = async (url, requests) => {
  await cannon(url, requests, WARMUP);
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
  };
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
  };
};

const phase = async (env, variants) => {
  const app = await startApp({ ...env, BENCH_VARIANTS: String(variants) });
  try {
    const list = await (
      await fetch(
        `${app.url}/api/articles?pagination[pageSize]=${SAMPLE}&fields[0]=title&sort=title:asc`
      )
    ).json();
    const ids = list.data.map((article) => article.documentId);
    const results = {};
    for (const [name, requests] of Object.entries(endpoints(ids))) {
      results[name] = await measure(app.url, requests);
      console.log(
        `  ${name.padEnd(30)} ${String(results[name].rps).padStart(6)} req/s  p50 ${results[name].p50} ms  p99 ${results[name].p99} ms`
      );
    }
    return { seeded: app.seeded, results };
  } finally {
    await stopApp(app);
  }
};

const main = async () => {
  const started = Date.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'personalize-bench-'));
  const env = benchEnv(dir);
  try {
    console.log('Phase 1: 1,000 articles, 10 variants in total');
    const small = await phase(env, 10);
    console.log(`  (seeded ${JSON.stringify(small.seeded)})`);
    console.log('Phase 2: 1,000 articles, 10,000 variants');
    const large = await phase(env, 10_000);
    console.log(`  (seeded ${JSON.stringify(large.seeded)})`);

    const summary = (results) => {
      const base = results['core REST (baseline)'].rps;
      return {
        'personalized / core': ratio(results['personalized content'].rps, base),
        'drop-in / core': ratio(results['drop-in core REST + context'].rps, base),
        'decide / core': ratio(results.decide.rps, base),
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
`;
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
