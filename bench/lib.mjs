/** What the benchmarks share: the app process (bench/app.cjs), its environment, ratios. */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { generateSecrets } = require('../playground/src/demo/settings.js');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const esbuild = require('esbuild');

/** The playground in production mode on a SQLite file in `dir`, without the demo seed. */
export const benchEnv = (dir) => ({
  ...generateSecrets(),
  NODE_ENV: 'production',
  DATABASE_FILENAME: path.join(dir, 'bench.db'),
  DEMO_SEED: 'false',
  LOG_LEVEL: 'error',
  STRAPI_TELEMETRY_DISABLED: 'true',
});

/** Starts bench/app.cjs; resolves with its URL and every `name {json}` line it printed before listening. */
export const startApp = (env) =>
  new Promise((resolve, reject) => {
    // BENCH_NODE_ARGS: extra flags for the app's Node, e.g. `--cpu-prof` to profile it.
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(
      process.execPath,
      ['--expose-gc', ...nodeArgs, path.join(HERE, 'app.cjs')],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    );
    const printed = {};
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      for (const line of text.split('\n')) {
        const [name, ...rest] = line.split(' ');
        if (name === 'listening') {
          resolve({ child, ...printed, url: `http://127.0.0.1:${rest[0]}` });
        } else if (name && rest.length > 0) {
          try {
            printed[name] = JSON.parse(rest.join(' '));
          } catch {
            // Not one of ours (a log line).
          }
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`the benchmark app exited with ${code}`)));
  });

export const stopApp = ({ child }) =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });

/** The visitor contexts the delivery and edge benchmarks cycle over (persona, stage, rule targeting). */
export const CONTEXTS = [
  { persona: 'fleet' },
  { events: ['configurator_completed'], visits: 4 },
  { traits: { interests: ['family'] }, events: ['configurator_completed'] },
  { geo: { country: 'AT' } },
  { utm: { campaign: 'gt-launch', source: 'youtube' }, visits: 2 },
  { pageViews: 9, events: ['compared_specs'] },
  { visits: 1 },
];

export const ratio = (a, b) => Math.round((a / b) * 100) / 100;

/** Bundles the engine to a temporary CommonJS file and loads it. */
export const loadEngine = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'personalize-bench-'));
  const outfile = path.join(dir, 'engine.cjs');
  try {
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'server/src/engine/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'warning',
      plugins: [
        {
          // npm packages stay external, required by absolute path from this repository.
          name: 'external-packages',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (args) => ({
              path: require.resolve(args.path, { paths: [ROOT] }),
              external: true,
            }));
          },
        },
      ],
    });
    return require(outfile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/**
 * Writes `bench/results/<name>.json` and `<name>.md`, formatted as the repository's Prettier
 * would, so that `npm run lint` stays clean.
 */
export const writeResults = async (name, result, markdown) => {
  await mkdir(path.join(HERE, 'results'), { recursive: true });
  const prettier = require('prettier');
  for (const [file, text] of [
    [`${name}.json`, JSON.stringify(result, null, 2)],
    [`${name}.md`, markdown],
  ]) {
    const target = path.join(HERE, 'results', file);
    const options = (await prettier.resolveConfig(target)) ?? {};
    await writeFile(target, await prettier.format(text, { ...options, filepath: target }));
  }
  console.log(`\nwrote bench/results/${name}.json and bench/results/${name}.md`);
};

/** A whole number with thousands separators: 12,345. */
export const fmt = (value) => Math.round(value).toLocaleString('en-US');

/** `value` rounded to `digits` decimals. */
export const round = (value, digits) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
