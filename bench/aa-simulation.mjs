/**
 * A/A peeking simulation (issue #5): `npm run bench:aa` (well under a second on 2 cores).
 *
 * 2,000 A/A experiments (both arms convert at 10 %), 1,000 visitors per arm per day, looked at
 * every day for 30 days, with the engine's own statistics (server/src/engine/statistics.ts,
 * bundled by `loadEngine` like bench/rules.mjs). Counts how often each procedure declares a winner
 * although there is none:
 *  (a) the fixed-horizon z-test checked daily, stopping at the first p < 0.05 (peeking);
 *  (b) the sequential (always-valid) p-value checked daily, default tuning N;
 *  (c) the fixed-horizon z-test checked once, at the end;
 *  (d) for reference, (b) with the tuning N set to the planned total (60,000 visitors).
 * Environment: BENCH_AA_EXPERIMENTS (2000), BENCH_AA_DAYS (30), BENCH_AA_PER_DAY (1000),
 * BENCH_AA_RATE (0.1), BENCH_AA_SEED (20261125).
 * Writes bench/results/aa-simulation.json and bench/results/aa-simulation.md.
 */
import os from 'node:os';

import { fmt, loadEngine, round, writeResults } from './lib.mjs';

const EXPERIMENTS = Number(process.env.BENCH_AA_EXPERIMENTS ?? 2_000);
const DAYS = Number(process.env.BENCH_AA_DAYS ?? 30);
const PER_DAY = Number(process.env.BENCH_AA_PER_DAY ?? 1_000);
const RATE = Number(process.env.BENCH_AA_RATE ?? 0.1);
const SEED = Number(process.env.BENCH_AA_SEED ?? 20_261_125);
const ALPHA = 0.05;

/** mulberry32: a seeded PRNG, so every run simulates the same experiments. */
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/**
 * Exact Binomial(n, p) draws by inverse CDF: the CDF is tabulated once (pmf recurrence), and each
 * draw is one uniform and a binary search. No normal approximation of a day's conversions.
 */
const binomialSampler = (n, p) => {
  const cdf = new Float64Array(n + 1);
  let logPmf = n * Math.log1p(-p); // in logs, so that (1 − p)^n may underflow for large n
  let total = 0;
  for (let k = 0; k <= n; k += 1) {
    total += Math.exp(logPmf);
    cdf[k] = total;
    logPmf += Math.log((n - k) / (k + 1)) + Math.log(p / (1 - p));
  }
  return (random) => {
    const u = random() * total;
    let low = 0;
    let high = n;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cdf[middle] > u) high = middle;
      else low = middle + 1;
    }
    return low;
  };
};

/** Share in %, with the 95 % Monte Carlo margin (normal approximation of a proportion). */
const share = (count) => {
  const p = count / EXPERIMENTS;
  return {
    count,
    percent: round(100 * p, 2),
    margin: round(100 * 1.96 * Math.sqrt((p * (1 - p)) / EXPERIMENTS), 2),
  };
};

const main = async () => {
  const started = Date.now();
  const { twoProportionZTest, sequentialPValue, DEFAULT_SEQUENTIAL_TUNING } = await loadEngine();
  const random = prng(SEED);
  const conversionsOfDay = binomialSampler(PER_DAY, RATE);
  const plannedTotal = 2 * PER_DAY * DAYS;
  const winners = { peeking: 0, sequential: 0, final: 0, sequentialPlanned: 0 };
  const firstPeekingDay = new Array(DAYS).fill(0);
  for (let experiment = 0; experiment < EXPERIMENTS; experiment += 1) {
    const a = { visitors: 0, conversions: 0 };
    const b = { visitors: 0, conversions: 0 };
    let peeking = false;
    let sequential = false;
    let sequentialPlanned = false;
    for (let day = 0; day < DAYS; day += 1) {
      a.visitors += PER_DAY;
      b.visitors += PER_DAY;
      a.conversions += conversionsOfDay(random);
      b.conversions += conversionsOfDay(random);
      if (!peeking && twoProportionZTest(a, b).pValue < ALPHA) {
        peeking = true;
        firstPeekingDay[day] += 1;
      }
      if (sequentialPValue(a, b) < ALPHA) sequential = true;
      if (sequentialPValue(a, b, plannedTotal) < ALPHA) sequentialPlanned = true;
    }
    if (peeking) winners.peeking += 1;
    if (sequential) winners.sequential += 1;
    if (sequentialPlanned) winners.sequentialPlanned += 1;
    if (twoProportionZTest(a, b).pValue < ALPHA) winners.final += 1;
  }

  const procedures = [
    ['(a) z-test checked daily, stop at the first p < 0.05', share(winners.peeking)],
    [
      `(b) sequential p-value checked daily (tuning N = ${fmt(DEFAULT_SEQUENTIAL_TUNING)}, the default)`,
      share(winners.sequential),
    ],
    ['(c) z-test checked once, at the end', share(winners.final)],
    [
      `(d) sequential p-value checked daily (tuning N = ${fmt(plannedTotal)}, the planned total)`,
      share(winners.sequentialPlanned),
    ],
  ];
  const result = {
    command: 'npm run bench:aa',
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    experiments: EXPERIMENTS,
    days: DAYS,
    visitorsPerArmPerDay: PER_DAY,
    rate: RATE,
    seed: SEED,
    alpha: ALPHA,
    sequentialTuning: DEFAULT_SEQUENTIAL_TUNING,
    falsePositives: Object.fromEntries(procedures),
    firstPeekingWinByDay: firstPeekingDay,
    seconds: round((Date.now() - started) / 1000, 1),
  };

  const table = [
    '| Procedure | Experiments declaring a winner | 95 % Monte Carlo margin |',
    '|---|---:|---:|',
    ...procedures.map(
      ([name, { count, percent, margin }]) =>
        `| ${name} | ${percent} % (${fmt(count)}) | ± ${margin} pp |`
    ),
  ].join('\n');

  console.log(`\nnode ${result.node}, ${result.cpu} (${result.cores} cores), ${result.seconds} s`);
  console.log(
    `${fmt(EXPERIMENTS)} A/A experiments, ${DAYS} daily looks, ${fmt(PER_DAY)} visitors per arm per day, rate ${RATE}\n`
  );
  console.log(table);

  const markdown = `# A/A peeking simulation

Command: \`${result.command}\` (bench/aa-simulation.mjs) · Node ${result.node} · ${result.cpu} (${result.cores} cores) · ${result.date}

${fmt(EXPERIMENTS)} simulated A/A experiments: both arms convert at ${RATE * 100} %, ${fmt(PER_DAY)}
visitors per arm per day (exact binomial draws from a seeded PRNG, seed ${SEED}), looked at every
day for ${DAYS} days (${fmt(plannedTotal)} visitors in all), with the engine's own
\`twoProportionZTest\` and \`sequentialPValue\`. There is no real difference, so every winner is
a false positive; a procedure that honours its 5 % level declares one in at most 5 % of
experiments.

${table}

Peeking at the fixed-horizon p-value every day and stopping at the first p < 0.05 multiplies the
false-positive rate several times over; the always-valid p-value stays below 5 % however often it
is looked at, and the fixed-horizon test is honest when checked once, at a horizon set in advance.
This is why a running experiment's \`significant\` uses the sequential p-value and a completed one
the fixed-horizon p-value.

First peeking "winner" by day (a): ${firstPeekingDay.join(', ')}.
`;
  await writeResults('aa-simulation', result, markdown);
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
