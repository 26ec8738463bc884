import jStat from 'jstat';

import type { ArmCounts, ArmResult } from './types';

/**
 * A/B statistics for conversion rates (docs/experiments.md, "Results"): SRM, the difference of
 * rates with its interval, the pooled z-test, an always-valid p-value for daily peeking, the exact
 * chance to beat control, and sample sizes. jstat supplies Φ near the centre, Φ⁻¹ and log-beta.
 *
 * The primitives take one arm's counts as a `RateSample` and throw a RangeError on impossible
 * counts (a bug in the caller). `analyzeExperiment` takes counts from the database, which can be
 * inconsistent after retention or erasure, so it cleans them instead of throwing.
 */

export type { ArmCounts, ArmResult } from './types';

/** One arm's counts: unique exposed visitors, and how many of them converted. */
export interface RateSample {
  visitors: number;
  conversions: number;
}

export interface SrmResult {
  chiSquare: number | null;
  pValue: number | null;
  mismatch: boolean;
}

/** z of the two-sided 95 % interval. */
export const Z_975 = 1.959964;
/** GrowthBook's SRM threshold: strict, because the check runs on every look at every experiment. */
export const SRM_THRESHOLD = 0.001;
export const SIGNIFICANCE = 0.05;
/** Below this many visitors in either arm, no result is called significant. */
export const MIN_VISITORS = 100;
/** GrowthBook's default tuning of the sequential p-value: the expected total visitors. */
export const DEFAULT_SEQUENTIAL_TUNING = 5_000;
/** Beyond this many steps the exact chance to beat control gives way to its Gaussian limit. */
export const EXACT_CHANCE_MAX_TERMS = 1_000_000;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Φ(−x) for x ≥ 3 from the Laplace continued fraction of Mills' ratio, Φ(−x) = φ(x)/(x + 1/(x +
 * 2/(x + 3/(x + …)))); 100 levels give full double precision there.
 */
const lowerTail = (x: number): number => {
  let fraction = x;
  for (let k = 100; k >= 1; k -= 1) fraction = x + k / fraction;
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI) / fraction;
};

/**
 * Φ, the standard normal CDF. jstat computes 0.5·(1 + erf), which cancels in the lower tail
 * (2 % off at −8, 0 at −10), so beyond |z| = 3 the tail comes from `lowerTail`.
 */
export const normalCdf = (z: number): number => {
  if (z <= -3) return lowerTail(-z);
  if (z >= 3) return 1 - lowerTail(z);
  return jStat.normal.cdf(z, 0, 1);
};

/**
 * P(χ²_df > x) in closed form for whole df, a sum of positive terms (no 1 − CDF cancellation):
 * even df: e^(−x/2)·Σ_{j<df/2} (x/2)^j/j!; odd df: 2Φ(−√x) + 2φ(√x)·Σ_{j=1}^{(df−1)/2} x^(j−½)/(2j−1)!!.
 */
export const chiSquareSurvival = (x: number, df: number): number => {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`df must be a whole number ≥ 1`);
  if (Number.isNaN(x)) throw new RangeError('x must be a number');
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const logX = Math.log(x);
  let total = 0;
  if (df % 2 === 0) {
    let logTerm = -x / 2; // j = 0
    for (let j = 0; j < df / 2; j += 1) {
      total += Math.exp(logTerm);
      logTerm += logX - Math.LN2 - Math.log(j + 1);
    }
  } else {
    total = 2 * normalCdf(-Math.sqrt(x));
    let logTerm = Math.LN2 - x / 2 - LOG_SQRT_2PI + 0.5 * logX; // j = 1
    for (let j = 1; j <= (df - 1) / 2; j += 1) {
      total += Math.exp(logTerm);
      logTerm += logX - Math.log(2 * j + 1);
    }
  }
  return Math.min(1, total);
};

/**
 * Sample ratio mismatch: χ² goodness of fit of the arms' visitor counts against their weights
 * (normalized), df = k − 1, flagged when p < 0.001. Nothing to test (all null, no mismatch)
 * without visitors or with fewer than two arms.
 */
export const srmTest = (visitors: readonly number[], weights: readonly number[]): SrmResult => {
  if (visitors.length !== weights.length) {
    throw new RangeError('srmTest needs one weight per arm');
  }
  if (weights.some((weight) => !(weight > 0 && Number.isFinite(weight)))) {
    throw new RangeError('weights must be positive and finite');
  }
  if (visitors.some((count) => !(count >= 0 && Number.isFinite(count)))) {
    throw new RangeError('visitor counts must be non-negative and finite');
  }
  const total = visitors.reduce((sum, count) => sum + count, 0);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0 || visitors.length < 2) return { chiSquare: null, pValue: null, mismatch: false };
  let chiSquare = 0;
  visitors.forEach((observed, index) => {
    const expected = (total * weights[index]) / weightSum;
    chiSquare += (observed - expected) ** 2 / expected;
  });
  const pValue = chiSquareSurvival(chiSquare, visitors.length - 1);
  return { chiSquare, pValue, mismatch: pValue < SRM_THRESHOLD };
};

/** Whole counts with 0 ≤ conversions ≤ visitors, or a RangeError. */
const checkSample = ({ visitors, conversions }: RateSample): void => {
  if (
    !Number.isSafeInteger(visitors) ||
    !Number.isSafeInteger(conversions) ||
    conversions < 0 ||
    conversions > visitors
  ) {
    throw new RangeError(
      `counts must be whole numbers with 0 ≤ conversions ≤ visitors (got ${conversions}/${visitors})`
    );
  }
};

const rateOf = ({ visitors, conversions }: RateSample) => conversions / visitors;

/**
 * Two-sided pooled two-proportion z-test of rate b against rate a, p = 2Φ(−|z|). When there is no
 * variance to test against (an empty arm, or a pooled rate of 0 or 1) there is no evidence: z = 0,
 * p = 1.
 */
export const twoProportionZTest = (a: RateSample, b: RateSample): { z: number; pValue: number } => {
  checkSample(a);
  checkSample(b);
  if (a.visitors === 0 || b.visitors === 0) return { z: 0, pValue: 1 };
  const pooled = (a.conversions + b.conversions) / (a.visitors + b.visitors);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.visitors + 1 / b.visitors));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (rateOf(b) - rateOf(a)) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
};

/** The unpooled (Wald) standard error of rate b − rate a; both arms have visitors. */
const differenceSe = (a: RateSample, b: RateSample) => {
  const pA = rateOf(a);
  const pB = rateOf(b);
  return Math.sqrt((pA * (1 - pA)) / a.visitors + (pB * (1 - pB)) / b.visitors);
};

/**
 * The 95 % Wald interval of rate b − rate a: Δ ± 1.959964·SE, SE unpooled. Null when an arm has
 * no visitors (no rate). When both rates are 0 or 1 it collapses to a point, as the formula says.
 */
export const differenceInterval = (
  a: RateSample,
  b: RateSample
): { difference: number; low: number; high: number } | null => {
  checkSample(a);
  checkSample(b);
  if (a.visitors === 0 || b.visitors === 0) return null;
  const difference = rateOf(b) - rateOf(a);
  const half = Z_975 * differenceSe(a, b);
  return { difference, low: difference - half, high: difference + half };
};

/**
 * The always-valid p-value of GrowthBook's asymptotic confidence sequences (GAVI; Howard et al.
 * 2022) for rate b − rate a: ρ = √((−2 ln α + ln(1 − 2 ln α))/S) from the tuning S (the expected
 * total visitors), e = exp(ρ²N·(Δ/SE)²/(2(Nρ²+1)))/√(Nρ²+1) with N the visitors of both arms, and
 * p = min(1, 1/e). It stays valid however often it is looked at. Stateless: the running minimum
 * over looks, which would only ever lower it, is left out.
 *
 * SE is the unpooled one, as in GrowthBook. When it is 0 (each rate 0 or 1) but the rates differ,
 * the pooled SE (the variance under no difference) stands in; with no variance at all, p = 1.
 * An empty arm gives p = 1 (no evidence).
 */
export const sequentialPValue = (
  a: RateSample,
  b: RateSample,
  tuning: number = DEFAULT_SEQUENTIAL_TUNING,
  alpha: number = SIGNIFICANCE
): number => {
  checkSample(a);
  checkSample(b);
  if (!(tuning > 0 && Number.isFinite(tuning))) {
    throw new RangeError('the sequential tuning must be positive');
  }
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must lie strictly between 0 and 1');
  if (a.visitors === 0 || b.visitors === 0) return 1;
  let se = differenceSe(a, b);
  if (!(se > 0)) {
    const pooled = (a.conversions + b.conversions) / (a.visitors + b.visitors);
    se = Math.sqrt(pooled * (1 - pooled) * (1 / a.visitors + 1 / b.visitors));
  }
  if (!(se > 0)) return 1;
  const n = a.visitors + b.visitors;
  const rho = Math.sqrt((-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuning);
  const nRho2 = n * rho * rho;
  const t = (rateOf(b) - rateOf(a)) / se;
  const logE = (nRho2 * t * t) / (2 * (nRho2 + 1)) - 0.5 * Math.log(nRho2 + 1);
  return Math.min(1, Math.exp(-logE));
};

/** Terms are carried as m·2^(−500k), so that products far below the double range survive. */
const SCALE = 2 ** 500;
const LOG_SCALE = 500 * Math.LN2;

/**
 * P(Y > X) for X ~ Beta(aX, bX), Y ~ Beta(aY, bY), whole shapes: Evan Miller's closed form
 * Σ_{i<aY} B(aX+i, bX+bY)/((bY+i)·B(1+i, bY)·B(aX, bX)). The first term, B(aX, bX+bY)/B(aX, bX),
 * is a product of min(aX, bY) ratios, and each next term is the previous one times
 * (aX+i)(bY+i)/((aX+bX+bY+i)(1+i)): plain products keep ~1e-15 where sums of logs or jstat's
 * log-beta (differences of log-gammas) drift by 1e-13 to 1e-8.
 */
const betaWinsSum = (aX: number, bX: number, aY: number, bY: number): number => {
  let m = 1;
  let k = 0;
  if (Math.min(aX, bY) <= EXACT_CHANCE_MAX_TERMS) {
    // Γ(aX+bX)Γ(bX+bY)/(Γ(bX)Γ(aX+bX+bY)) = Π_{j<aX} (bX+j)/(bX+bY+j) = Π_{j<bY} (bX+j)/(aX+bX+j)
    for (let j = 0; j < Math.min(aX, bY); j += 1) {
      m *= aX <= bY ? (bX + j) / (bX + bY + j) : (bX + j) / (aX + bX + j);
      if (m < 1 / SCALE) {
        m *= SCALE;
        k += 1;
      }
    }
  } else {
    // Over a million on both sides (rare): jstat's log-beta, good to ~1e-7 of the answer.
    const log = jStat.betaln(aX, bX + bY) - jStat.betaln(aX, bX);
    k = Math.max(0, Math.ceil(-log / LOG_SCALE));
    m = Math.exp(log + k * LOG_SCALE);
  }
  let total = 0;
  for (let i = 0; i < aY; i += 1) {
    // Terms still scaled twice or more are each under 2^−500: dropping them costs < 1e-144.
    if (k <= 1) total += k === 0 ? m : m / SCALE;
    m *= ((aX + i) * (bY + i)) / ((aX + bX + bY + i) * (1 + i));
    if (k > 0 && m > SCALE) {
      m /= SCALE;
      k -= 1;
    }
  }
  return total;
};

/**
 * Exact P(rate b > rate a) under uniform priors, i.e. Beta(1 + c, 1 + n − c) posteriors.
 * The sum has as many terms as its treatment's first shape; by P(Y > X) = 1 − P(X > Y) and
 * P(Y > X) = P(1 − X > 1 − Y) it runs over the smallest of the four shapes, after a first term
 * of about as many factors: a typical experiment costs twice its fewest conversions in steps (a
 * million take a few ms). Once all four
 * shapes exceed EXACT_CHANCE_MAX_TERMS the posteriors are so nearly Gaussian that
 * Φ((mean b − mean a)/√(var a + var b)) is within ~3e-8 of the exact answer, at no cost.
 */
export const chanceToBeatControl = (a: RateSample, b: RateSample): number => {
  checkSample(a);
  checkSample(b);
  const aA = 1 + a.conversions;
  const bA = 1 + a.visitors - a.conversions;
  const aB = 1 + b.conversions;
  const bB = 1 + b.visitors - b.conversions;
  const smallest = Math.min(aA, bA, aB, bB);
  let chance: number;
  if (smallest > EXACT_CHANCE_MAX_TERMS) {
    const mean = (alpha: number, beta: number) => alpha / (alpha + beta);
    const variance = (alpha: number, beta: number) =>
      (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
    chance = normalCdf(
      (mean(aB, bB) - mean(aA, bA)) / Math.sqrt(variance(aA, bA) + variance(aB, bB))
    );
  } else if (smallest === aB) {
    chance = betaWinsSum(aA, bA, aB, bB);
  } else if (smallest === aA) {
    chance = 1 - betaWinsSum(aB, bB, aA, bA);
  } else if (smallest === bA) {
    chance = betaWinsSum(bB, aB, bA, aA);
  } else {
    chance = 1 - betaWinsSum(bA, aA, bB, aB);
  }
  return Math.min(1, Math.max(0, chance));
};

/**
 * Visitors per arm for a two-sided test at `alpha` with `power` to detect a relative change
 * `minimumDetectableEffect` (0.1 = +10 %) of `baselineRate`:
 * n = (z₁₋α/₂ + z₁₋β)² · (p₁(1−p₁) + p₂(1−p₂)) / (p₂ − p₁)², rounded up.
 */
export const sampleSizePerArm = (
  baselineRate: number,
  minimumDetectableEffect: number,
  alpha: number = SIGNIFICANCE,
  power = 0.8
): number => {
  const p1 = baselineRate;
  const p2 = baselineRate * (1 + minimumDetectableEffect);
  if (!(p1 > 0 && p1 < 1) || !(p2 > 0 && p2 < 1) || p1 === p2) {
    throw new RangeError('both rates must lie strictly between 0 and 1, and differ');
  }
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
    throw new RangeError('alpha and power must lie strictly between 0 and 1');
  }
  const z = jStat.normal.inv(1 - alpha / 2, 0, 1) + jStat.normal.inv(power, 0, 1);
  const n = Math.ceil((z * z * (p1 * (1 - p1) + p2 * (1 - p2))) / (p2 - p1) ** 2);
  // An effect so small that the square of the difference underflows.
  if (!Number.isFinite(n)) throw new RangeError('the effect is too small to plan for');
  return Math.max(1, n);
};

/** Database counts made usable: whole, non-negative, and no more converters than visitors. */
const cleanCounts = (arm: ArmCounts): RateSample => {
  const whole = (value: number) =>
    Number.isFinite(value) && value > 0 ? Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER) : 0;
  const visitors = whole(arm.visitors);
  // Retention or erasure can remove an exposure and leave its conversion behind.
  return { visitors, conversions: Math.min(whole(arm.conversions), visitors) };
};

/** An arm's rate and its own 95 % interval (normal approximation, clipped to 0–1), for charts. */
export const rateInterval = (
  sample: RateSample
): Pick<ArmResult, 'rate' | 'rateLow' | 'rateHigh'> => {
  if (sample.visitors === 0) return { rate: null, rateLow: null, rateHigh: null };
  const rate = rateOf(sample);
  const half = Z_975 * Math.sqrt((rate * (1 - rate)) / sample.visitors);
  return { rate, rateLow: Math.max(0, rate - half), rateHigh: Math.min(1, rate + half) };
};

/** The comparison of an arm that is not compared: control itself, or beside an empty arm. */
export const NO_COMPARISON = {
  uplift: null,
  ciLow: null,
  ciHigh: null,
  pValue: null,
  pValueSequential: null,
  chanceToBeatControl: null,
  significant: false,
} as const satisfies Partial<ArmResult>;

/**
 * Every arm against control, and the SRM check. Weights come out normalized (sum 1) and counts
 * cleaned (see `cleanCounts`). Control's own row, and any arm compared with an empty arm or a
 * missing control, has its rate but null comparisons. `sequential` says which p-value is in force
 * for `significant`: the always-valid one while an experiment runs and is looked at daily, the
 * fixed-horizon one once it is over. Significant needs both arms ≥ 100 visitors, no SRM and the
 * p-value in force < 0.05. Throws a RangeError on weights that are not positive and finite.
 */
export const analyzeExperiment = (input: {
  arms: readonly ArmCounts[];
  controlKey?: string;
  sequential: boolean;
  sequentialTuning?: number;
}): { arms: ArmResult[]; srm: SrmResult } => {
  const controlKey = input.controlKey ?? 'control';
  const samples = input.arms.map(cleanCounts);
  const srm = srmTest(
    samples.map((sample) => sample.visitors),
    input.arms.map((arm) => arm.weight)
  );
  const weightSum = input.arms.reduce((sum, arm) => sum + arm.weight, 0);
  const controlIndex = input.arms.findIndex((arm) => arm.key === controlKey);
  const control = controlIndex === -1 ? null : samples[controlIndex];
  const arms = input.arms.map((arm, index): ArmResult => {
    const sample = samples[index];
    const row: ArmResult = {
      ...arm,
      ...sample,
      weight: arm.weight / weightSum,
      ...rateInterval(sample),
      ...NO_COMPARISON,
    };
    if (index === controlIndex || !control || control.visitors === 0 || sample.visitors === 0) {
      return row;
    }
    const rateA = rateOf(control);
    const interval = differenceInterval(control, sample);
    // Relative uplift is undefined against a control rate of 0.
    row.uplift = rateA === 0 ? null : (rateOf(sample) - rateA) / rateA;
    row.ciLow = interval?.low ?? null;
    row.ciHigh = interval?.high ?? null;
    row.pValue = twoProportionZTest(control, sample).pValue;
    row.pValueSequential = sequentialPValue(control, sample, input.sequentialTuning);
    row.chanceToBeatControl = chanceToBeatControl(control, sample);
    const inForce = input.sequential ? row.pValueSequential : row.pValue;
    row.significant =
      control.visitors >= MIN_VISITORS &&
      sample.visitors >= MIN_VISITORS &&
      !srm.mismatch &&
      inForce < SIGNIFICANCE;
    return row;
  });
  return { arms, srm };
};
