/**
 * Holdout coverage simulation (issue #18): `npm run bench:holdout` (under a second on 2 cores).
 *
 * 1,000 simulated sites, each with 20,000 visitors; every visitor falls in the holdout (base
 * content) with probability 0.1, independently, and converts at 5 % there and at 5.5 %
 * personalized: a true relative uplift of +10 %. Each site is compared once, at the end, with the
 * engine's own `compareToHoldout` (server/src/engine/impact.ts, bundled by `loadEngine` like
 * bench/aa-simulation.mjs). Counts how often its 95 % interval of the relative uplift covers the
 * true +10 % (and the absolute interval the true +0.5 pp), how often SRM is flagged although the
 * split is fair (a false alarm), and how often the effect is detected.
 * Environment: BENCH_HOLDOUT_SITES (1000), BENCH_HOLDOUT_VISITORS (20000), BENCH_HOLDOUT_SHARE
 * (0.1), BENCH_HOLDOUT_RATE (0.05), BENCH_HOLDOUT_UPLIFT (0.1), BENCH_HOLDOUT_SEED (20261127).
 * Writes bench/results/holdout-simulation.json and bench/results/holdout-simulation.md.
 */
import os from 'node:os';

import { fmt, loadEngine, round, writeResults } from './lib.mjs';

const SITES = Number(process.env.BENCH_HOLDOUT_SITES ?? 1_000);
const VISITORS = Number(process.env.BENCH_HOLDOUT_VISITORS ?? 20_000);
const SHARE = Number(process.env.BENCH_HOLDOUT_SHARE ?? 0.1);
const RATE = Number(process.env.BENCH_HOLDOUT_RATE ?? 0.05);
const UPLIFT = Number(process.env.BENCH_HOLDOUT_UPLIFT ?? 0.1);
const SEED = Number(process.env.BENCH_HOLDOUT_SEED ?? 20_261_127);
const ALPHA = 0.05;
const NOMINAL = 1 - ALPHA;

/** Share in %, with the 95 % Monte Carlo margin (normal approximation of a proportion). */
const share = (count) => {
  const p = count / SITES;
  return {
    count,
    percent: round(100 * p, 2),
    margin: round(100 * 1.96 * Math.sqrt((p * (1 - p)) / SITES), 2),
  };
};

const main = async () => {
  const started = Date.now();
  const { compareToHoldout, seededRandom } = await loadEngine();
  const random = seededRandom(SEED);
  const personalizedRate = RATE * (1 + UPLIFT);
  const trueDifference = personalizedRate - RATE;
  const counts = {
    covered: 0,
    missesBelow: 0,
    missesAbove: 0,
    absoluteCovered: 0,
    srmAlarms: 0,
    ciExcludesZero: 0,
    sequentialSignificant: 0,
    noInterval: 0,
  };
  let widthTotal = 0;
  let holdoutVisitorsTotal = 0;
  for (let site = 0; site < SITES; site += 1) {
    const personalized = { visitors: 0, conversions: 0 };
    const holdout = { visitors: 0, conversions: 0 };
    for (let visitor = 0; visitor < VISITORS; visitor += 1) {
      const group = random() < SHARE ? holdout : personalized;
      group.visitors += 1;
      if (random() < (group === holdout ? RATE : personalizedRate)) group.conversions += 1;
    }
    holdoutVisitorsTotal += holdout.visitors;
    const result = compareToHoldout(personalized, holdout, SHARE);
    if (result.ci === null) {
      counts.noInterval += 1;
    } else {
      const [low, high] = result.ci;
      widthTotal += high - low;
      if (low <= UPLIFT && UPLIFT <= high) counts.covered += 1;
      // The interval lies wholly below the truth, or wholly above it.
      else if (high < UPLIFT) counts.missesBelow += 1;
      else counts.missesAbove += 1;
      if (low > 0) counts.ciExcludesZero += 1;
    }
    const [absoluteLow, absoluteHigh] = result.absoluteCi;
    if (absoluteLow <= trueDifference && trueDifference <= absoluteHigh) {
      counts.absoluteCovered += 1;
    }
    if (result.srm.mismatch) counts.srmAlarms += 1;
    if (result.pValueSequential < ALPHA) counts.sequentialSignificant += 1;
  }

  const coverage = share(counts.covered);
  // Acceptance: the coverage within the Monte Carlo margin of a proportion at its nominal 95 %.
  const nominalMargin = round(100 * 1.96 * Math.sqrt((NOMINAL * ALPHA) / SITES), 2);
  const withinMargin = Math.abs(coverage.percent - 100 * NOMINAL) <= nominalMargin;
  const result = {
    command: 'npm run bench:holdout',
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    sites: SITES,
    visitorsPerSite: VISITORS,
    holdoutShare: SHARE,
    holdoutRate: RATE,
    personalizedRate,
    trueUplift: UPLIFT,
    seed: SEED,
    meanHoldoutVisitors: round(holdoutVisitorsTotal / SITES, 0),
    relativeCiCoverage: { ...coverage, nominal: 100 * NOMINAL, nominalMargin, withinMargin },
    relativeCiMissesBelow: share(counts.missesBelow),
    relativeCiMissesAbove: share(counts.missesAbove),
    relativeCiMeanWidth: round((100 * widthTotal) / (SITES - counts.noInterval), 2),
    absoluteCiCoverage: share(counts.absoluteCovered),
    srmFalseAlarms: share(counts.srmAlarms),
    ciExcludesZero: share(counts.ciExcludesZero),
    sequentialSignificant: share(counts.sequentialSignificant),
    sitesWithoutInterval: counts.noInterval,
    seconds: round((Date.now() - started) / 1000, 1),
  };

  const row = (name, { count, percent, margin }, expected) =>
    `| ${name} | ${percent} % (${fmt(count)}) | ± ${margin} pp | ${expected} |`;
  const table = [
    '| Measure | Sites | 95 % Monte Carlo margin | Expected |',
    '|---|---:|---:|---|',
    row(
      `95 % interval of the relative uplift covers the true +${UPLIFT * 100} %`,
      coverage,
      `95 % (± ${nominalMargin} pp)`
    ),
    row('… misses, lying wholly below the truth', result.relativeCiMissesBelow, '≈ 2.5 %'),
    row('… misses, lying wholly above the truth', result.relativeCiMissesAbove, '≈ 2.5 %'),
    row(
      `95 % interval of the absolute uplift covers the true +${round(100 * trueDifference, 2)} pp`,
      result.absoluteCiCoverage,
      '95 %'
    ),
    row('SRM flagged (p < 0.001) on a fair split: false alarms', result.srmFalseAlarms, '0.1 %'),
    row(
      'Relative interval excludes 0 (effect detected, fixed horizon)',
      result.ciExcludesZero,
      'power'
    ),
    row(
      'Sequential p-value < 0.05 (effect detected, always valid)',
      result.sequentialSignificant,
      'below the fixed-horizon power'
    ),
  ].join('\n');

  console.log(`\nnode ${result.node}, ${result.cpu} (${result.cores} cores), ${result.seconds} s`);
  console.log(
    `${fmt(SITES)} sites, ${fmt(VISITORS)} visitors each, holdout ${SHARE * 100} % at ${RATE * 100} %, personalized at ${round(100 * personalizedRate, 3)} %\n`
  );
  console.log(table);

  const markdown = `# Holdout simulation

Command: \`${result.command}\` (bench/holdout-simulation.mjs) · Node ${result.node} · ${result.cpu} (${result.cores} cores) · ${result.date}

${fmt(SITES)} simulated sites with ${fmt(VISITORS)} visitors each (seeded PRNG, seed ${SEED}):
every visitor falls in the holdout with probability ${SHARE}, independently (${fmt(result.meanHoldoutVisitors)}
holdout visitors per site on average), and converts at ${RATE * 100} % in the holdout and
${round(100 * personalizedRate, 3)} % personalized, a true relative uplift of +${UPLIFT * 100} %.
Each site is compared once, at the end, by the engine's \`compareToHoldout\` (relative interval
by the delta method on the log of the ratio of rates).

**Coverage of the relative interval: ${coverage.percent} % ± ${coverage.margin} pp (nominal 95 %;
${withinMargin ? 'within' : 'outside'} the ± ${nominalMargin} pp Monte Carlo margin of ${fmt(SITES)} sites).**
Mean width of the interval: ${result.relativeCiMeanWidth} pp of relative uplift.

${table}

The margin is that of a proportion over ${fmt(SITES)} sites (1.96·√(p(1 − p)/${fmt(SITES)})).
With about ${fmt(result.meanHoldoutVisitors * RATE)} conversions in a 10 % holdout, a +${UPLIFT * 100} % uplift
is hard to detect on a site of this size: the interval is honest, but wide.
`;
  await writeResults('holdout-simulation', result, markdown);
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
