/**
 * Cluster benchmark (issue #15): how fast a write on one instance is served by another, for each
 * way changes travel, and what a second instance adds to delivery throughput. Usage:
 * `npm run bench:cluster` (about 4 minutes on 2 cores; PostgreSQL, MariaDB and Redis on their
 * default local ports).
 *
 * Propagation: instances A and B (processes of their own, test/cluster/instance.js) on one fresh
 * database; a variant of the demo homepage is published and unpublished on A through the admin
 * API, alternately, and B is asked every 2 ms until it serves the change: the time from A's
 * answer to B's first changed answer, over WRITES writes (fewer for the poll, whose bound is its
 * interval). Throughput: autocannon on the personalized homepage against A alone, then against A
 * and B at once (two load generators on the same 2 cores: the honest ceiling here).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { ratio } from './lib.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const mysql = require('mysql2/promise');
const { generateSecrets, demoSettings } = require('../playground/src/demo/settings.js');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const INSTANCE = path.join(HERE, '../test/cluster/instance.js');
const WRITES = Number(process.env.BENCH_WRITES ?? 100);
const POLL_WRITES = Number(process.env.BENCH_POLL_WRITES ?? 20);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL = 'mysql://root@127.0.0.1:3306/test';
const REDIS = 'redis://127.0.0.1:6379';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const { spawn } = require('node:child_process');

const database = async (kind) => {
  const name = `personalize_bench_${randomBytes(4).toString('hex')}`;
  const server = kind === 'postgres' ? POSTGRES : MYSQL;
  const run = async (statement) => {
    if (kind === 'postgres') {
      const client = new Client({ connectionString: server });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    } else {
      const connection = await mysql.createConnection({ uri: server });
      await connection.query(statement).finally(() => connection.end());
    }
  };
  await run(
    kind === 'postgres'
      ? `CREATE DATABASE "${name}"`
      : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`
  );
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_CLIENT: kind === 'postgres' ? 'postgres' : 'mysql', DATABASE_URL: String(url) },
    drop: () =>
      run(
        kind === 'postgres'
          ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`
          : `DROP DATABASE IF EXISTS \`${name}\``
      ),
  };
};

let nextPort = 41_000 + Math.floor(Math.random() * 10_000);

const start = async (env) => {
  const port = nextPort++;
  const child = spawn(process.execPath, [INSTANCE], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 600; tries += 1) {
    const status = await fetch(`${url}/_health`).then(
      (response) => response.status,
      () => 0
    );
    if (status === 204) return { child, url };
    await sleep(200);
  }
  throw new Error('an instance did not start');
};

const stop = ({ child }) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const round = (ms) => Math.round(ms * 10) / 10;

/** Publishes and unpublishes a homepage variant on A, `writes` times; B's delay for each. */
const propagation = async (a, b, writes) => {
  const { adminEmail: email, adminPassword: password } = demoSettings({});
  const login = await (
    await fetch(`${a.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  ).json();
  const admin = (method, route, body) =>
    fetch(`${a.url}/personalize${route}`, {
      method,
      signal: AbortSignal.timeout(10_000),
      headers: {
        authorization: `Bearer ${login.data.token}`,
        'content-type': 'application/json',
      },
      body: body && JSON.stringify(body),
    }).then(async (response) => {
      if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
      return response.json();
    });
  const slug = `bench-${randomBytes(3).toString('hex')}`;
  await admin('POST', '/personas', { name: 'Bench', slug, rule: null });
  const { data: variant } = await admin('POST', '/variants', {
    name: 'Bench homepage',
    targetUid: 'api::homepage.homepage',
    targetDocumentId: null,
    locale: 'en',
    persona: slug,
    overrides: { headline: 'Bench headline' },
  });
  const served = async () => {
    const response = await fetch(`${b.url}/api/personalize/content/homepage?locale=en`, {
      headers: { 'x-personalize-context': JSON.stringify({ persona: slug }) },
      signal: AbortSignal.timeout(10_000),
    });
    return (await response.json()).data.headline === 'Bench headline';
  };
  const delays = [];
  for (let write = 0; write < writes; write += 1) {
    const publish = write % 2 === 0;
    await admin('POST', `/variants/${variant.documentId}/${publish ? 'publish' : 'unpublish'}`);
    const written = performance.now();
    while ((await served()) !== publish) {
      if (performance.now() - written > 60_000)
        throw new Error(`write ${write}: not served in 60 s`);
      await sleep(2);
    }
    delays.push(performance.now() - written);
  }
  const sorted = delays.sort((x, y) => x - y);
  return {
    writes,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1]),
  };
};

const HOMEPAGE = {
  method: 'GET',
  path: '/api/personalize/content/homepage?locale=en',
  headers: { 'x-personalize-context': JSON.stringify({ persona: 'family' }) },
};

const load = (url) =>
  autocannon({ url, connections: 20, duration: DURATION, requests: [HOMEPAGE] }).then((result) => {
    if (result.errors > 0 || result.non2xx > 0) {
      throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx`);
    }
    return Math.round(result.requests.average);
  });

const TRANSPORTS = [
  { transport: 'PostgreSQL LISTEN/NOTIFY', database: 'postgres', redis: false, writes: WRITES },
  { transport: 'Redis pub/sub (on PostgreSQL)', database: 'postgres', redis: true, writes: WRITES },
  {
    transport: 'version-token poll (MariaDB, syncIntervalMs 5000)',
    database: 'mysql',
    redis: false,
    writes: POLL_WRITES,
  },
];

const results = { propagation: {}, throughput: null };
for (const setup of TRANSPORTS) {
  const db = await database(setup.database);
  const env = {
    ...generateSecrets(),
    ...db.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    STRAPI_TELEMETRY_DISABLED: 'true',
    PERSONALIZE_EVENTS_RATE_LIMIT: '0',
    PERSONALIZE_EVENT_BUDGET: '0',
    PERSONALIZE_REDIS_KEY_PREFIX: `personalize-bench-${randomBytes(3).toString('hex')}:`,
    ...(setup.redis ? { PERSONALIZE_REDIS_URL: REDIS } : {}),
  };
  const a = await start({ ...env, DEMO_SEED: 'true' });
  const b = await start({ ...env, DEMO_SEED: 'false' });
  try {
    results.propagation[setup.transport] = await propagation(a, b, setup.writes);
    console.log(setup.transport, results.propagation[setup.transport]);
    if (setup.transport.startsWith('PostgreSQL')) {
      const one = await load(a.url);
      const [first, second] = await Promise.all([load(a.url), load(b.url)]);
      results.throughput = {
        endpoint: 'personalized homepage (persona family), 20 connections per instance',
        'one instance (req/s)': one,
        'two instances (req/s)': first + second,
        'two / one': ratio(first + second, one),
      };
      console.log(results.throughput);
    }
  } finally {
    await Promise.all([stop(a), stop(b)]);
    await db.drop();
  }
}

const command = 'npm run bench:cluster';
const date = new Date().toISOString().slice(0, 10);
await writeFile(
  path.join(HERE, 'results/cluster.json'),
  `${JSON.stringify({ command, date, ...results }, null, 2)}\n`
);
const rows = Object.entries(results.propagation).map(
  ([name, figures]) =>
    `| ${name} | ${figures.writes} | ${figures.p50} | ${figures.p99} | ${figures.max} |`
);
const t = results.throughput;
await writeFile(
  path.join(HERE, 'results/cluster.md'),
  `# Cluster benchmark

\`${command}\` on ${date}: two instances (processes) on one database, 2 cores.

## Propagation: a write on A until B serves it (ms)

| Transport | Writes | p50 | p99 | max |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

## Delivery throughput: ${t.endpoint}

| One instance | Two instances | Two / one |
| ---: | ---: | ---: |
| ${t['one instance (req/s)']} req/s | ${t['two instances (req/s)']} req/s | ${t['two / one']}× |

Both instances and both load generators share the same 2 cores here, so two instances cannot
double the throughput of one on this machine; on separate machines each adds its own.
`
);
