import { hash32 } from './segment';
import { Z_975 } from './statistics';

/**
 * Multi-armed bandit allocation (Thompson sampling on conversion rates) and the period-weighted
 * estimates a bandit's reports need. Pure and deterministic given a `Random`, so that a weight
 * update can be replayed from its seed.
 */

/** A uniform draw in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a small, fast 32-bit PRNG, plenty for Monte Carlo over a few arms. A string seed is
 * hashed with `hash32`; a number seed is taken as a 32-bit unsigned integer.
 */
export const seededRandom = (seed: number | string): Random => {
  let state = (typeof seed === 'string' ? hash32(seed) : seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A standard normal draw (Box–Muller); 1 − u keeps the logarithm away from 0. */
const sampleNormal = (random: Random): number =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang (2000): a squeezed rejection from a transformed
 * normal that accepts ~96 % of the time for any shape ≥ 1. Below 1 it draws Gamma(shape + 1) and
 * multiplies by U^(1/shape), their boost, since the method itself needs shape ≥ 1/3.
 */
export const sampleGamma = (shape: number, random: Random): number => {
  if (!(shape > 0 && Number.isFinite(shape))) {
    throw new RangeError('the gamma shape must be positive and finite');
  }
  if (shape < 1) {
    return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = sampleNormal(random);
    const root = 1 + c * x;
    if (root <= 0) continue;
    const v = root * root * root;
    const u = random();
    // The cheap squeeze first; the exact test only for the few draws it cannot decide.
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
};

/**
 * A Beta(alpha, beta) draw as X/(X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). When both
 * underflow (shapes far below 1) the Beta is all but a coin at 0 or 1 with P(1) = α/(α + β).
 */
export const sampleBeta = (alpha: number, beta: number, random: Random): number => {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  if (x + y === 0) return random() < alpha / (alpha + beta) ? 1 : 0;
  return x / (x + y);
};

/** One arm's counts: visitors exposed to it, and how many of them converted. */
export interface BanditArm {
  key: string;
  visitors: number;
  conversions: number;
}

/**
 * Counts must be finite with 0 ≤ conversions ≤ visitors. They need not be whole: a caller may
 * pass effective counts (a period-weighted rate times the visitors) to the posterior.
 */
const checkArms = (arms: readonly BanditArm[]): void => {
  const keys = new Set<string>();
  for (const { key, visitors, conversions } of arms) {
    if (
      !(Number.isFinite(visitors) && Number.isFinite(conversions)) ||
      conversions < 0 ||
      conversions > visitors
    ) {
      throw new RangeError(
        `arm ${key}: counts must be finite, 0 ≤ conversions ≤ visitors (${conversions}/${visitors})`
      );
    }
    if (keys.has(key)) throw new RangeError(`arm ${key} appears twice`);
    keys.add(key);
  }
};

/** Shares by arm key, the last arm taking what floating point rounding leaves, so they sum to 1. */
const sharesByKey = (
  arms: readonly BanditArm[],
  shares: readonly number[]
): Record<string, number> => {
  let assigned = 0;
  return Object.fromEntries(
    arms.map((arm, index) => {
      const share = index === arms.length - 1 ? Math.max(0, 1 - assigned) : shares[index];
      assigned += share;
      return [arm.key, share] as const;
    })
  );
};

export interface MonteCarloOptions {
  /** Joint draws of every arm's posterior. 10,000 put each probability within ±0.01 (95 %). */
  draws?: number;
  /** Math.random when left out; pass `seededRandom(...)` to make the result reproducible. */
  random?: Random;
}

/** The probabilities, in arm order, that each arm has the highest rate: see `probabilityBest`. */
const winShares = (
  arms: readonly BanditArm[],
  { draws = 10_000, random = Math.random }: MonteCarloOptions
): number[] => {
  checkArms(arms);
  if (!(Number.isSafeInteger(draws) && draws > 0)) {
    throw new RangeError('draws must be a whole number ≥ 1');
  }
  if (arms.length === 0) return [];
  const alphas = arms.map((arm) => 1 + arm.conversions);
  const betas = arms.map((arm) => 1 + arm.visitors - arm.conversions);
  const wins = new Array<number>(arms.length).fill(0);
  const sample = new Float64Array(arms.length);
  for (let draw = 0; draw < draws; draw += 1) {
    let best = -Infinity;
    let ties = 0;
    for (let index = 0; index < arms.length; index += 1) {
      sample[index] = sampleBeta(alphas[index], betas[index], random);
      if (sample[index] > best) {
        best = sample[index];
        ties = 1;
      } else if (sample[index] === best) {
        ties += 1;
      }
    }
    // Exact ties (possible only at the limits of floating point) share the win.
    for (let index = 0; index < arms.length; index += 1) {
      if (sample[index] === best) wins[index] += 1 / ties;
    }
  }
  return wins.map((count) => count / draws);
};

/**
 * The posterior probability that each arm has the highest conversion rate, by Monte Carlo over
 * Beta(1 + conversions, 1 + visitors − conversions) posteriors (uniform priors). Sums to 1;
 * empty for no arms. Throws a RangeError on impossible counts or a repeated key.
 */
export const probabilityBest = (
  arms: readonly BanditArm[],
  options: MonteCarloOptions = {}
): Record<string, number> => sharesByKey(arms, winShares(arms, options));

export interface ThompsonOptions extends MonteCarloOptions {
  /** Every arm keeps at least this share, so that a loser early on can still recover. */
  minShare?: number;
}

/**
 * Traffic weights by Thompson sampling: each arm gets the share of posterior draws it wins (its
 * `probabilityBest`). Arms below `minShare` are raised to it (1/arms when minShare × arms > 1)
 * and the rest is shared by the other arms in proportion to their probabilities, repeated until
 * no arm falls below the floor, so a floor is never more than needed. Sums to 1 exactly.
 */
export const thompsonWeights = (
  arms: readonly BanditArm[],
  { minShare = 0.1, ...options }: ThompsonOptions = {}
): Record<string, number> => {
  if (!(minShare >= 0 && minShare < 1)) throw new RangeError('minShare must lie in [0, 1)');
  const probabilities = winShares(arms, options);
  if (arms.length === 0) return {};
  const floor = Math.min(minShare, 1 / arms.length);
  const floored = arms.map(() => false);
  for (;;) {
    const free = 1 - floor * floored.filter(Boolean).length;
    const mass = probabilities.reduce((sum, p, index) => (floored[index] ? sum : sum + p), 0);
    const weights = probabilities.map((p, index) =>
      floored[index] ? floor : mass > 0 ? (free * p) / mass : 0
    );
    // Raising an arm takes from the others, which may push one more below the floor.
    let raised = false;
    weights.forEach((weight, index) => {
      if (!floored[index] && weight < floor) {
        floored[index] = true;
        raised = true;
      }
    });
    if (!raised) return sharesByKey(arms, weights);
  }
};

/** One period of a bandit (between two weight updates): its arms' first-exposed visitors. */
export interface BanditPeriod {
  /** Visitors first exposed during the period, and how many of them converted (ever). */
  arms: BanditArm[];
}

export interface PeriodWeightedRate {
  key: string;
  /** All periods together. */
  visitors: number;
  conversions: number;
  /** Σ w_p·r_p over the periods where the arm has visitors; null without any. */
  rate: number | null;
  /** Σ w_p²·r_p(1 − r_p)/n_p, the variance of `rate`; null without visitors. */
  variance: number | null;
}

/**
 * Each arm's rate as a weighted average of its per-period rates, every arm with the same period
 * weights w_p (the period's share of all visitors), as GrowthBook does for bandits. Pooled counts
 * would weigh each arm's periods by its own traffic, which a bandit changes over time: an arm
 * given more traffic in a low-converting period (a weekend, the end of a campaign) would look
 * worse than it is, even if it wins in every period (Simpson's paradox). With common weights the
 * comparison is between like periods. An arm absent from some periods (added later) is averaged
 * over its own periods, with their weights renormalized to sum to 1. Arms come out in order of
 * first appearance. Throws a RangeError on impossible counts.
 */
export const periodWeightedRates = (periods: readonly BanditPeriod[]): PeriodWeightedRate[] => {
  periods.forEach((period) => checkArms(period.arms));
  const periodVisitors = periods.map((period) =>
    period.arms.reduce((sum, arm) => sum + arm.visitors, 0)
  );
  const total = periodVisitors.reduce((sum, visitors) => sum + visitors, 0);
  const keys = [...new Set(periods.flatMap((period) => period.arms.map((arm) => arm.key)))];
  return keys.map((key) => {
    const terms: { weight: number; rate: number; visitors: number }[] = [];
    let visitors = 0;
    let conversions = 0;
    periods.forEach((period, index) => {
      const arm = period.arms.find((candidate) => candidate.key === key);
      if (arm === undefined || arm.visitors === 0) return;
      visitors += arm.visitors;
      conversions += arm.conversions;
      terms.push({
        weight: periodVisitors[index] / total,
        rate: arm.conversions / arm.visitors,
        visitors: arm.visitors,
      });
    });
    if (terms.length === 0) return { key, visitors, conversions, rate: null, variance: null };
    const weightSum = terms.reduce((sum, term) => sum + term.weight, 0);
    let rate = 0;
    let variance = 0;
    for (const term of terms) {
      const weight = term.weight / weightSum;
      rate += weight * term.rate;
      variance += (weight * weight * term.rate * (1 - term.rate)) / term.visitors;
    }
    return { key, visitors, conversions, rate, variance };
  });
};

export interface PeriodWeightedComparison {
  /** rate_t / rate_c − 1; null when a rate is missing or control's is 0. */
  uplift: number | null;
  /** rate_t − rate_c; null when a rate is missing. */
  difference: number | null;
  /** The 95 % Wald interval of `difference`; null when a rate is missing. */
  differenceCi: [number, number] | null;
}

/**
 * Treatment against control on period-weighted rates (see `periodWeightedRates`). The rates are
 * independent (disjoint visitors), so the variance of the difference is the sum of theirs.
 */
export const periodWeightedComparison = (
  control: Pick<PeriodWeightedRate, 'rate' | 'variance'>,
  treatment: Pick<PeriodWeightedRate, 'rate' | 'variance'>
): PeriodWeightedComparison => {
  if (
    control.rate === null ||
    treatment.rate === null ||
    control.variance === null ||
    treatment.variance === null
  ) {
    return { uplift: null, difference: null, differenceCi: null };
  }
  const difference = treatment.rate - control.rate;
  const half = Z_975 * Math.sqrt(control.variance + treatment.variance);
  return {
    uplift: control.rate === 0 ? null : treatment.rate / control.rate - 1,
    difference,
    differenceCi: [difference - half, difference + half],
  };
};
