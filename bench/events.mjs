/**
 * Events load test (issue #5): `npm run bench:events` (about a minute on 2 cores).
 *
 * Boots the playground on SQLite in production mode (bench/app.cjs) with a running A/A
 * experiment, then 20 concurrent clients send 100,000 events in 500-event batches to
 * `POST /api/personalize/events` (each batch: 400 exposures and conversions of 100 of those
 * visitors). Asserts that every event was accepted, then re-sends 10 batches (a client retrying)
 * and asserts they are all duplicates; after stopping the app, asserts that the stored rows equal
 * the accepted count. Baseline in the same run: core REST `POST /api/articles` (one entry per
 * request) with the same 20 clients. Writes bench/results/events.{json,md}.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { benchEnv, ratio, startApp, stopApp } from './lib.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLIENTS = 20;
const BATCH = 500;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const EXPOSURES_PER_BATCH = 400;
const BASELINE_SECONDS = 5;

const batchOf = (experiment, index) => {
  const visitors = Array.from(
    { length: EXPOSURES_PER_BATCH },
    (_, i) => `bench-${index}-${i}-${'x'.repeat(20)}`
  );
  return [
    ...visitors.map((visitorId, i) => ({
      id: `e-${index}-${i}`,
      type: 'exposure',
      experiment,
      visitorId,
    })),
    ...visitors.slice(0, BATCH - EXPOSURES_PER_BATCH).map((visitorId, i) => ({
      id: `c-${index}-${i}`,
      type: 'conversion',
      goal: 'bench_goal',
      visitorId,
    })),
  ];
};

const post = async (url, events) => {
  const response = await fetch(`${url}/api/personalize/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  return body.data;
};

/** `CLIENTS` workers taking batch numbers from one queue until all are sent. */
const sendAll = async (url, batches) => {
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const data = await post(url, batches[next++]);
      totals.accepted += data.accepted;
      totals.duplicates += data.duplicates;
      totals.rejected += data.rejected.length;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  return totals;
};

const coreRestWrites = async (url) => {
  const result = await autocannon({
    url,
    connections: CLIENTS,
    duration: BASELINE_SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/articles',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: { title: 'Written by the benchmark' } }),
      },
    ],
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`core REST writes: ${result.errors} errors, ${result.non2xx} non-2xx`);
  }
  return Math.round(result.requests.average);
};

const main = async () => {
  const started = Date.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'personalize-bench-events-'));
  const env = {
    ...benchEnv(dir),
    BENCH_VARIANTS: '0',
    BENCH_EXPERIMENT: '1',
    PERSONALIZE_EVENTS_RATE_LIMIT: '0',
    // 20 clients on one address send 100,000 events: no per-address budget for the benchmark.
    PERSONALIZE_EVENT_BUDGET: '0',
  };
  try {
    const app = await startApp(env);
    let sent;
    let retried;
    let seconds;
    let baseline;
    try {
      const batches = Array.from({ length: EVENTS / BATCH }, (_, index) =>
        batchOf(app.experiment.key, index)
      );
      // Warm-up on visitors outside the measured batches (their rows are counted below too).
      const warmup = await sendAll(app.url, [batchOf(app.experiment.key, -1)]);
      const t0 = process.hrtime.bigint();
      sent = await sendAll(app.url, batches);
      seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (sent.accepted !== EVENTS || sent.rejected !== 0 || sent.duplicates !== 0) {
        throw new Error(`expected ${EVENTS} accepted events, got ${JSON.stringify(sent)}`);
      }
      retried = await sendAll(app.url, batches.slice(0, 10));
      if (retried.accepted !== 0 || retried.duplicates !== 10 * BATCH) {
        throw new Error(`a retried batch was not idempotent: ${JSON.stringify(retried)}`);
      }
      sent.accepted += warmup.accepted;
      baseline = await coreRestWrites(app.url);
    } finally {
      await stopApp(app);
    }

    const db = new Database(env.DATABASE_FILENAME, { readonly: true });
    const stored =
      db.prepare('SELECT COUNT(*) AS n FROM personalize_exposures').get().n +
      db.prepare('SELECT COUNT(*) AS n FROM personalize_conversions').get().n;
    db.close();
    if (stored !== sent.accepted) {
      throw new Error(`stored ${stored} events but ${sent.accepted} were accepted`);
    }

    const eventsPerSecond = Math.round(EVENTS / seconds);
    const report = {
      command: 'npm run bench:events',
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
      database: 'SQLite (better-sqlite3)',
      mode: 'NODE_ENV=production',
      clients: CLIENTS,
      batchSize: BATCH,
      events: EVENTS,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSecond,
      requestsPerSecond: Math.round(EVENTS / BATCH / seconds),
      accepted: sent.accepted,
      stored,
      retriedBatches: { batches: 10, ...retried },
      coreRestWritesPerSecond: baseline,
      'events/s vs core REST writes/s': ratio(eventsPerSecond, baseline),
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(JSON.stringify(report, null, 2));
    await writeFile(path.join(HERE, 'results/events.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(HERE, 'results/events.md'), markdown(report));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

const markdown = (r) => `# Events load test

\`${r.command}\` on ${r.date.slice(0, 10)}, Node ${r.node}, ${r.cpu}; ${r.database}, ${r.mode}.
${r.clients} concurrent clients sent ${r.events.toLocaleString('en')} events in ${r.batchSize}-event batches
(400 exposures and 100 conversions each) to \`POST /api/personalize/events\`. Whole run: ${r.totalSeconds} s.

| measure | value |
| --- | ---: |
| events/s | **${r.eventsPerSecond.toLocaleString('en')}** |
| requests/s (500 events each) | ${r.requestsPerSecond} |
| time for ${r.events.toLocaleString('en')} events | ${r.seconds} s |
| accepted (measured batches + 1 warm-up batch) | ${r.accepted.toLocaleString('en')} |
| stored rows after the app stopped | ${r.stored.toLocaleString('en')} |
| 10 re-sent batches: accepted / duplicates | ${r.retriedBatches.accepted} / ${r.retriedBatches.duplicates} |
| baseline: core REST \`POST /api/articles\` entries/s, same clients | ${r.coreRestWritesPerSecond} |
| events/s ÷ core REST writes/s | ${r['events/s vs core REST writes/s']} |
`;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
