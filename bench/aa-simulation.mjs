/**
 * A/A peeking simulation (issue #5): `npm run bench:aa` (under a minute on 2 cores).
 *
 * 2,000 A/A experiments (both arms convert at 10 %), 1,000 visitors per arm per day, looked at
 * every day for 30 days, with the engine's own statistics (server/src/engine/statistics.ts,
 * bundled like bench/rules.mjs). Counts how often each procedure declares a winner although
 * there is none: (a) the fixed-horizon z-test checked daily, stopping at the first p < 0.05;
 * (b) the sequential p-value checked daily; (c) the z-test checked once, at the end.
 * Writes bench/results/aa-simulation.{json,md}.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadEngine } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXPERIMENTS = Number(process.env.BENCH_AA_EXPERIMENTS ?? 2_000);
const DAYS = 30;
const PER_DAY = 1_000;
const RATE = 0.1;

/** mulberry32: a seeded PRNG, so every run simulates the same experiments. */
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Conversions among `n` visitors at `p`: a normal draw (n·p = 100 per day is far from small). */
const binomial = (random, n, p) => {
  const z = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.min(n, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))));
};

const main = async () => {
  const started = Date.now();
  const { twoProportionZTest, sequentialPValue, DEFAULT_SEQUENTIAL_TUNING } = await loadEngine();
  const random = prng(20_261_125);
  const falsePositives = { peekingZ: 0, sequential: 0, finalZ: 0 };
  for (let experiment = 0; experiment < EXPERIMENTS; experiment += 1) {
    const a = { visitors: 0, conversions: 0 };
    const b = { visitors: 0, conversions: 0 };
    let peeked = false;
    let sequential = false;
    for (let day = 0; day < DAYS; day += 1) {
      a.visitors += PER_DAY;
      b.visitors += PER_DAY;
      a.conversions += binomial(random, PER_DAY, RATE);
      b.conversions += binomial(random, PER_DAY, RATE);
      if (twoProportionZTest(a, b).pValue < 0.05) peeked = true;
      if (sequentialPValue(a, b) < 0.05) sequential = true;
    }
    if (peeked) falsePositives.peekingZ += 1;
    if (sequential) falsePositives.sequential += 1;
    if (twoProportionZTest(a, b).pValue < 0.05) falsePositives.finalZ += 1;
  }
  const share = (count) => Math.round((count / EXPERIMENTS) * 10_000) / 100;
  const report = {
    command: 'npm run bench:aa',
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    experiments: EXPERIMENTS,
    days: DAYS,
    visitorsPerArmPerDay: PER_DAY,
    rate: RATE,
    sequentialTuning: DEFAULT_SEQUENTIAL_TUNING,
    falsePositivePercent: {
      'z-test checked daily, stop at first p < 0.05': share(falsePositives.peekingZ),
      'sequential p-value checked daily': share(falsePositives.sequential),
      'z-test checked once at the end': share(falsePositives.finalZ),
    },
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  console.log(JSON.stringify(report, null, 2));
  await writeFile(
    path.join(HERE, 'results/aa-simulation.json'),
    `${JSON.stringify(report, null, 2)}\n`
  );
  const rows = Object.entries(report.falsePositivePercent)
    .map(([name, percent]) => `| ${name} | ${percent} % |`)
    .join('\n');
  await writeFile(
    path.join(HERE, 'results/aa-simulation.md'),
    `# A/A peeking simulation

\`${report.command}\` on ${report.date.slice(0, 10)}, Node ${report.node}, ${report.cpu}.
${EXPERIMENTS.toLocaleString('en')} A/A experiments (both arms at ${RATE * 100} %), ${PER_DAY.toLocaleString('en')} visitors per arm per day, looked at daily for ${DAYS} days,
with the engine's statistics (sequential tuning N = ${DEFAULT_SEQUENTIAL_TUNING.toLocaleString('en')}). Share of experiments that declared a winner (there is none):

| procedure | false positives |
| --- | ---: |
${rows}

This is why a running experiment's \`significant\` uses the sequential p-value.
`
  );
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
