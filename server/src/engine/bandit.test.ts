import {
  periodWeightedComparison,
  periodWeightedRates,
  probabilityBest,
  sampleBeta,
  sampleGamma,
  seededRandom,
  thompsonWeights,
} from './bandit';
import type { BanditArm, BanditPeriod, Random } from './bandit';

// Sampling tests use fixed seeds, so they are deterministic; their bounds are still set at about
// five standard errors, so that they would hold for any seed.
const arm = (key: string, visitors: number, conversions: number): BanditArm => ({
  key,
  visitors,
  conversions,
});
const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
const moments = (draw: () => number, count: number) => {
  let total = 0;
  let squares = 0;
  for (let index = 0; index < count; index += 1) {
    const value = draw();
    total += value;
    squares += value * value;
  }
  const mean = total / count;
  return { mean, variance: squares / count - mean * mean };
};

describe('seededRandom', () => {
  it('repeats its sequence for the same seed, number or string, and differs across seeds', () => {
    const take = (random: Random) => Array.from({ length: 5 }, random);
    expect(take(seededRandom(42))).toEqual(take(seededRandom(42)));
    expect(take(seededRandom('experiment:1'))).toEqual(take(seededRandom('experiment:1')));
    expect(take(seededRandom(42))).not.toEqual(take(seededRandom(43)));
    expect(take(seededRandom('a'))).not.toEqual(take(seededRandom('b')));
  });

  it('is uniform on [0, 1): mean 1/2, variance 1/12', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 100_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const { mean, variance } = moments(seededRandom(7), 100_000);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });
});

describe('sampleGamma and sampleBeta', () => {
  it.each([0.3, 1, 2.5, 50])('Gamma(%d) has mean and variance = shape', (shape) => {
    const random = seededRandom(`gamma:${shape}`);
    const { mean, variance } = moments(() => sampleGamma(shape, random), 100_000);
    // SE of the mean √(shape/n); relative SE of the variance √((kurtosis − 1)/n), with
    // kurtosis 3 + 6/shape.
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / 100_000));
    expect(Math.abs(variance / shape - 1)).toBeLessThan(5 * Math.sqrt((2 + 6 / shape) / 100_000));
  });

  it.each<[number, number]>([
    [2, 5],
    [0.5, 0.5],
    [1, 1],
    [51, 951],
  ])('Beta(%d, %d) has mean α/(α+β) and variance αβ/((α+β)²(α+β+1))', (alpha, beta) => {
    const random = seededRandom(`beta:${alpha}:${beta}`);
    const { mean, variance } = moments(() => sampleBeta(alpha, beta, random), 100_000);
    const expectedMean = alpha / (alpha + beta);
    const expectedVariance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
    expect(Math.abs(mean - expectedMean)).toBeLessThan(5 * Math.sqrt(expectedVariance / 100_000));
    expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(0.03);
  });

  it('stays inside [0, 1] for shapes far below 1', () => {
    const random = seededRandom(1);
    for (let index = 0; index < 1_000; index += 1) {
      const value = sampleBeta(1e-3, 1e-3, random);
      expect(value >= 0 && value <= 1).toBe(true);
    }
  });

  it('rejects shapes that are not positive and finite', () => {
    const random = seededRandom(1);
    expect(() => sampleGamma(0, random)).toThrow(RangeError);
    expect(() => sampleGamma(-1, random)).toThrow(RangeError);
    expect(() => sampleGamma(Infinity, random)).toThrow(RangeError);
    expect(() => sampleBeta(1, Number.NaN, random)).toThrow(RangeError);
  });
});

describe('probabilityBest', () => {
  it('is near 1 for a clearly better arm', () => {
    const best = probabilityBest(
      [arm('a', 2_000, 100), arm('b', 2_000, 100), arm('c', 2_000, 200)],
      { random: seededRandom(1) }
    );
    expect(best.c).toBeGreaterThan(0.999);
    expect(sum(best)).toBe(1);
  });

  it('is about equal for equal arms', () => {
    const best = probabilityBest([arm('a', 1_000, 50), arm('b', 1_000, 50), arm('c', 1_000, 50)], {
      draws: 30_000,
      random: seededRandom(2),
    });
    // SE √(p(1−p)/draws) ≈ 0.0027.
    for (const key of ['a', 'b', 'c']) expect(Math.abs(best[key] - 1 / 3)).toBeLessThan(0.014);
    expect(sum(best)).toBe(1);
  });

  it('matches the exact chance to beat control for two arms', () => {
    // P(Beta(11, 91) > Beta(6, 96)) = 0.904268 (scipy.integrate.quad); SE of 100,000 draws 0.001.
    const best = probabilityBest([arm('a', 100, 5), arm('b', 100, 10)], {
      draws: 100_000,
      random: seededRandom(3),
    });
    expect(Math.abs(best.b - 0.9042682118576959)).toBeLessThan(0.005);
  });

  it('is the same for the same seed', () => {
    const arms = [arm('a', 300, 20), arm('b', 300, 25)];
    expect(probabilityBest(arms, { random: seededRandom('s') })).toEqual(
      probabilityBest(arms, { random: seededRandom('s') })
    );
  });

  it('handles no arm, one arm and arms without visitors', () => {
    expect(probabilityBest([])).toEqual({});
    expect(probabilityBest([arm('only', 10, 1)])).toEqual({ only: 1 });
    const best = probabilityBest([arm('a', 0, 0), arm('b', 0, 0)], { random: seededRandom(4) });
    expect(Math.abs(best.a - 0.5)).toBeLessThan(0.03);
  });

  it('rejects impossible counts, repeated keys and a bad number of draws', () => {
    expect(() => probabilityBest([arm('a', -1, 0)])).toThrow(RangeError);
    expect(() => probabilityBest([arm('a', 10, -1)])).toThrow(RangeError);
    expect(() => probabilityBest([arm('a', 10, 11)])).toThrow(RangeError);
    expect(() => probabilityBest([arm('a', Number.NaN, 0)])).toThrow(RangeError);
    expect(() => probabilityBest([arm('a', 1, 0), arm('a', 1, 0)])).toThrow(RangeError);
    expect(() => probabilityBest([arm('a', 1, 0)], { draws: 0 })).toThrow(RangeError);
    expect(() => probabilityBest([arm('a', 1, 0)], { draws: 1.5 })).toThrow(RangeError);
  });
});

describe('thompsonWeights', () => {
  const clear = [arm('a', 2_000, 100), arm('b', 2_000, 100), arm('c', 2_000, 200)];

  it('gives the winner all but the floors, which the losers keep', () => {
    const weights = thompsonWeights(clear, { random: seededRandom(1) });
    expect(weights.a).toBe(0.1);
    expect(weights.b).toBe(0.1);
    expect(weights.c).toBeCloseTo(0.8, 12);
    expect(sum(weights)).toBe(1);
  });

  it('is the share of draws won when no arm is below the floor', () => {
    const arms = [arm('a', 100, 7), arm('b', 100, 10)];
    const best = probabilityBest(arms, { random: seededRandom(9) });
    const weights = thompsonWeights(arms, { random: seededRandom(9) });
    expect(best.a).toBeGreaterThan(0.2);
    expect(weights.a).toBeCloseTo(best.a, 15);
    expect(weights.b).toBeCloseTo(best.b, 15);
  });

  it('shares what the floors leave in proportion to the probabilities', () => {
    // Two close leaders and a loser: the loser is raised to 0.2, the leaders share 0.8 as before.
    const arms = [arm('a', 1_000, 100), arm('b', 1_000, 102), arm('c', 1_000, 50)];
    const best = probabilityBest(arms, { random: seededRandom(5) });
    const weights = thompsonWeights(arms, { minShare: 0.2, random: seededRandom(5) });
    expect(best.c).toBeLessThan(0.2);
    expect(weights.c).toBeCloseTo(0.2, 15);
    expect(weights.a / weights.b).toBeCloseTo(best.a / best.b, 12);
    expect(sum(weights)).toBe(1);
  });

  it('raises every arm as far as needed, even when the others then fall below the floor', () => {
    // P(best) ≈ a 0.38, b 0.01, c 0.61. b is raised to 0.3, which leaves 0.7 to share: a's part
    // of it, 0.7·0.38/0.99 ≈ 0.27, is now below 0.3, so a is raised too and c keeps 0.4.
    const arms = [arm('a', 1_000, 100), arm('b', 1_000, 80), arm('c', 1_000, 104)];
    const best = probabilityBest(arms, { random: seededRandom(6) });
    const weights = thompsonWeights(arms, { minShare: 0.3, random: seededRandom(6) });
    expect(best.a).toBeGreaterThan(0.3);
    expect(weights.a).toBe(0.3);
    expect(weights.b).toBe(0.3);
    expect(weights.c).toBeCloseTo(0.4, 15);
    expect(sum(weights)).toBe(1);
  });

  it('falls back to equal weights when the floors take everything', () => {
    const weights = thompsonWeights(clear, { minShare: 0.5, random: seededRandom(1) });
    for (const key of ['a', 'b', 'c']) expect(weights[key]).toBeCloseTo(1 / 3, 12);
    expect(sum(weights)).toBe(1);
  });

  it('follows the draws alone with minShare 0', () => {
    const weights = thompsonWeights(clear, { minShare: 0, random: seededRandom(1) });
    expect(weights.c).toBeGreaterThan(0.999);
  });

  it('is the same for the same seed', () => {
    const arms = [arm('a', 300, 20), arm('b', 300, 25), arm('c', 300, 15)];
    expect(thompsonWeights(arms, { random: seededRandom(11) })).toEqual(
      thompsonWeights(arms, { random: seededRandom(11) })
    );
  });

  it('validates minShare and counts', () => {
    expect(() => thompsonWeights(clear, { minShare: 1 })).toThrow(RangeError);
    expect(() => thompsonWeights(clear, { minShare: -0.1 })).toThrow(RangeError);
    expect(() => thompsonWeights(clear, { minShare: Number.NaN })).toThrow(RangeError);
    expect(() => thompsonWeights([arm('a', 5, 6)])).toThrow(RangeError);
    expect(thompsonWeights([])).toEqual({});
  });
});

describe('periodWeightedRates and periodWeightedComparison', () => {
  // B converts better than A in both periods (12 % vs 10 %, then 3 % vs 2 %), but the bandit sent
  // B most of its traffic in the second, low-converting period: pooled, B looks far worse.
  const simpson: BanditPeriod[] = [
    { arms: [arm('a', 900, 90), arm('b', 100, 12)] },
    { arms: [arm('a', 100, 2), arm('b', 900, 27)] },
  ];

  it("recovers the true ordering where pooled rates mislead (Simpson's paradox)", () => {
    const [a, b] = periodWeightedRates(simpson);
    expect(a.conversions / a.visitors).toBeCloseTo(0.092, 15);
    expect(b.conversions / b.visitors).toBeCloseTo(0.039, 15);
    // Both periods hold 1,000 of the 2,000 visitors: w = ½ each.
    expect(a).toMatchObject({ key: 'a', visitors: 1_000, conversions: 92 });
    expect(a.rate).toBeCloseTo(0.06, 15);
    // ¼·0.1·0.9/900 + ¼·0.02·0.98/100
    expect(a.variance).toBeCloseTo(7.4e-5, 15);
    expect(b.rate).toBeCloseTo(0.075, 15);
    // ¼·0.12·0.88/100 + ¼·0.03·0.97/900
    expect(b.variance).toBeCloseTo(2.720833333333333e-4, 15);
    expect(b.rate ?? 0).toBeGreaterThan(a.rate ?? 1);
  });

  it('compares on those rates: uplift, difference and its 95 % interval', () => {
    const [a, b] = periodWeightedRates(simpson);
    const comparison = periodWeightedComparison(a, b);
    expect(comparison.uplift).toBeCloseTo(0.25, 12);
    expect(comparison.difference).toBeCloseTo(0.015, 15);
    // 0.015 ± 1.959964·√(7.4e-5 + 2.7208e-4)
    expect(comparison.differenceCi?.[0]).toBeCloseTo(-0.02146182790949814, 12);
    expect(comparison.differenceCi?.[1]).toBeCloseTo(0.05146182790949814, 12);
  });

  it('renormalizes the weights over the periods an arm took part in', () => {
    const periods: BanditPeriod[] = [
      { arms: [arm('a', 600, 60)] },
      { arms: [arm('a', 200, 10), arm('c', 200, 30)] },
      { arms: [arm('a', 500, 20), arm('c', 500, 40)] },
    ];
    const [a, c] = periodWeightedRates(periods);
    // Weights 0.3, 0.2, 0.5 for a; c has 0.2 and 0.5, renormalized to 2/7 and 5/7.
    expect(a.rate).toBeCloseTo(0.3 * 0.1 + 0.2 * 0.05 + 0.5 * 0.04, 15);
    expect(c.rate).toBeCloseTo((2 / 7) * 0.15 + (5 / 7) * 0.08, 15);
    expect(c.variance).toBeCloseTo(
      (2 / 7) ** 2 * ((0.15 * 0.85) / 200) + (5 / 7) ** 2 * ((0.08 * 0.92) / 500),
      15
    );
    expect(c).toMatchObject({ key: 'c', visitors: 700, conversions: 70 });
  });

  it('equals the pooled rate when traffic is split the same way in every period', () => {
    const [a, b] = periodWeightedRates([
      { arms: [arm('a', 500, 50), arm('b', 500, 60)] },
      { arms: [arm('a', 1_500, 30), arm('b', 1_500, 45)] },
    ]);
    expect(a.rate).toBeCloseTo(80 / 2_000, 15);
    expect(b.rate).toBeCloseTo(105 / 2_000, 15);
  });

  it('gives null without visitors, and no relative uplift against a rate of 0', () => {
    const [a, b] = periodWeightedRates([{ arms: [arm('a', 0, 0), arm('b', 100, 0)] }]);
    expect(a).toEqual({ key: 'a', visitors: 0, conversions: 0, rate: null, variance: null });
    expect(periodWeightedComparison(a, b)).toEqual({
      uplift: null,
      difference: null,
      differenceCi: null,
    });
    const comparison = periodWeightedComparison(b, { rate: 0.1, variance: 0.0009 });
    expect(comparison.uplift).toBeNull();
    expect(comparison.difference).toBeCloseTo(0.1, 15);
    expect(periodWeightedRates([])).toEqual([]);
  });

  it('rejects impossible counts', () => {
    expect(() => periodWeightedRates([{ arms: [arm('a', 10, 20)] }])).toThrow(RangeError);
  });
});
