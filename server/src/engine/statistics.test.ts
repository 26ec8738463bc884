import {
  analyzeExperiment,
  chanceToBeatControl,
  chiSquareSurvival,
  DEFAULT_SEQUENTIAL_TUNING,
  NO_COMPARISON,
  differenceInterval,
  EXACT_CHANCE_MAX_TERMS,
  normalCdf,
  rateInterval,
  sampleSizePerArm,
  sequentialPValue,
  srmTest,
  twoProportionZTest,
} from './statistics';
import type { ArmCounts, RateSample } from './statistics';

// Reference values are closed forms, published constants, or scipy 1.17 / mpmath where named
// (docs/experiments.md, "Results"): never this module's own output.
const relative = (value: number, reference: number) => Math.abs(value - reference) / reference;
const sample = (visitors: number, conversions: number): RateSample => ({ visitors, conversions });
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

describe('normalCdf', () => {
  it.each<[number, number]>([
    [1.96, 0.9750021048517795],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [-3, 0.0013498980316300946],
    [3, 0.9986501019683699],
    [-5, 2.866515718791939e-7],
    [-8, 6.220960574271784e-16],
    [-10, 7.619853024160525e-24],
    [-20, 2.7536241186062337e-89],
  ])('Φ(%d) = %d', (z, reference) => {
    expect(relative(normalCdf(z), reference)).toBeLessThan(1e-13);
  });

  it('is symmetric and continuous where the method changes', () => {
    for (const z of [0.3, 1.2, 2.5, 2.999, 3, 3.001, 4.5]) {
      expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
    }
    expect(relative(normalCdf(-3 + 1e-9), normalCdf(-3))).toBeLessThan(1e-8);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });
});

describe('chiSquareSurvival', () => {
  it('matches the closed forms: df 2 → e^(−x/2), df 4 → e^(−x/2)(1 + x/2), df 1 → 2Φ(−√x)', () => {
    expect(relative(chiSquareSurvival(20, 2), Math.exp(-10))).toBeLessThan(1e-14);
    expect(relative(chiSquareSurvival(60, 4), Math.exp(-30) * 31)).toBeLessThan(1e-14);
    expect(relative(chiSquareSurvival(30, 1), 2 * normalCdf(-Math.sqrt(30)))).toBeLessThan(1e-14);
    // scipy.stats.chi2.sf(30, 1)
    expect(relative(chiSquareSurvival(30, 1), 4.3204630578274955e-8)).toBeLessThan(1e-13);
  });

  it('is 0.05 at the published 95 % critical values', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 14);
    expect(chiSquareSurvival(16.918977604620448, 9)).toBeCloseTo(0.05, 14);
  });

  it.each<[number, number, number]>([
    // scipy.stats.chi2.sf(x, df)
    [3.5, 3, 0.3207621208056397],
    [40, 5, 1.493367900050393e-7],
    [100, 7, 1.0787979671702833e-18],
  ])('P(χ² > %d; df %d) = %d', (x, df, reference) => {
    expect(relative(chiSquareSurvival(x, df), reference)).toBeLessThan(1e-13);
  });

  it('is 1 at 0, 0 at infinity, and refuses a df that is not a whole number ≥ 1', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
    expect(() => chiSquareSurvival(1, 1.5)).toThrow(RangeError);
    expect(() => chiSquareSurvival(NaN, 1)).toThrow(RangeError);
  });
});

describe('srmTest', () => {
  it('two arms: 10,100 / 9,900 against 50/50 gives χ² = 2, p = 2Φ(−√2)', () => {
    const even = srmTest([10_100, 9_900], [1, 1]);
    expect(even.chiSquare).toBeCloseTo(2, 12);
    expect(relative(even.pValue!, 2 * normalCdf(-Math.sqrt(2)))).toBeLessThan(1e-13);
    expect(relative(even.pValue!, 0.15729920705028105)).toBeLessThan(1e-13); // scipy
    expect(even.mismatch).toBe(false);
    // scipy.stats.chisquare([5100, 4900]) → χ² = 4.0, p = 0.04550026389635857
    const close = srmTest([5_100, 4_900], [0.5, 0.5]);
    expect(close.chiSquare).toBeCloseTo(4, 12);
    expect(relative(close.pValue!, 0.04550026389635857)).toBeLessThan(1e-13);
  });

  it('three arms: 1,100 / 900 / 1,000 gives χ² = (100² + 100²)/1000 = 20, p = e^−10', () => {
    const three = srmTest([1_100, 900, 1_000], [1, 1, 1]);
    expect(three.chiSquare).toBeCloseTo(20, 12);
    expect(relative(three.pValue!, Math.exp(-10))).toBeLessThan(1e-14);
    expect(three.mismatch).toBe(true);
    // 2,100 / 1,950 / 1,950: χ² = (100² + 50² + 50²)/2000 = 7.5, p = e^−3.75 (scipy 0.0235177…)
    const mild = srmTest([2_100, 1_950, 1_950], [2, 2, 2]);
    expect(mild.chiSquare).toBeCloseTo(7.5, 12);
    expect(relative(mild.pValue!, Math.exp(-3.75))).toBeLessThan(1e-14);
    expect(mild.mismatch).toBe(false);
  });

  it('uses the weights, normalized: 6,200 / 3,800 against 60/40', () => {
    // χ² = 200²/6000 + 200²/4000 = 50/3; scipy p = 4.455709060405612e-05
    for (const weights of [
      [0.6, 0.4],
      [3, 2],
    ]) {
      const result = srmTest([6_200, 3_800], weights);
      expect(result.chiSquare).toBeCloseTo(50 / 3, 12);
      expect(relative(result.pValue!, 4.455709060405612e-5)).toBeLessThan(1e-12);
      expect(result.mismatch).toBe(true);
    }
    expect(srmTest([6_000, 4_000], [3, 2])).toEqual({ chiSquare: 0, pValue: 1, mismatch: false });
  });

  it('has nothing to say without visitors or with one arm, and refuses bad input', () => {
    const nothing = { chiSquare: null, pValue: null, mismatch: false };
    expect(srmTest([0, 0], [1, 1])).toEqual(nothing);
    expect(srmTest([500], [1])).toEqual(nothing);
    expect(srmTest([0, 20], [1, 1]).mismatch).toBe(true); // χ² = 20
    expect(() => srmTest([1, 2], [1])).toThrow(RangeError);
    expect(() => srmTest([1, 2], [1, 0])).toThrow(RangeError);
    expect(() => srmTest([1, -2], [1, 1])).toThrow(RangeError);
  });
});

describe('the worked example: 1000/100 against 1000/130', () => {
  const a = sample(1_000, 100);
  const b = sample(1_000, 130);

  it('pooled z-test: z = 2.10274, p = 0.0354885 (scipy)', () => {
    const { z, pValue } = twoProportionZTest(a, b);
    expect(z).toBeCloseTo(2.10274, 5);
    expect(pValue).toBeCloseTo(0.0354885, 7);
    expect(twoProportionZTest(b, a).z).toBeCloseTo(-z, 14);
    expect(twoProportionZTest(b, a).pValue).toBeCloseTo(pValue, 15);
  });

  it('interval of the difference: 0.03, [0.0021, 0.0579]', () => {
    const interval = differenceInterval(a, b)!;
    expect(interval.difference).toBeCloseTo(0.03, 15);
    expect(interval.low).toBeCloseTo(0.0021, 4);
    expect(interval.high).toBeCloseTo(0.0579, 4);
    const half = 1.959964 * Math.sqrt((0.1 * 0.9) / 1000 + (0.13 * 0.87) / 1000);
    expect(interval.low).toBeCloseTo(0.03 - half, 14);
    expect(interval.high).toBeCloseTo(0.03 + half, 14);
  });

  it('exact chance to beat control: 0.98217 (scipy integration: 0.9821650661163508)', () => {
    expect(Math.abs(chanceToBeatControl(a, b) - 0.98217)).toBeLessThan(1e-5);
    expect(Math.abs(chanceToBeatControl(a, b) - 0.9821650661163508)).toBeLessThan(1e-12);
  });

  it('always-valid p-value with S = 5,000: 0.379, well above the fixed 0.0355', () => {
    expect(DEFAULT_SEQUENTIAL_TUNING).toBe(5_000);
    expect(Math.abs(sequentialPValue(a, b) - 0.379)).toBeLessThan(1e-3);
    expect(sequentialPValue(a, b, 5_000)).toBe(sequentialPValue(a, b));
  });
});

describe('twoProportionZTest and differenceInterval', () => {
  it('find no evidence without variance or without visitors', () => {
    const none = { z: 0, pValue: 1 };
    expect(twoProportionZTest(sample(500, 0), sample(400, 0))).toEqual(none);
    expect(twoProportionZTest(sample(500, 500), sample(400, 400))).toEqual(none);
    expect(twoProportionZTest(sample(0, 0), sample(400, 40))).toEqual(none);
    expect(differenceInterval(sample(0, 0), sample(400, 40))).toBeNull();
    expect(differenceInterval(sample(500, 0), sample(400, 0))).toEqual({
      difference: 0,
      low: 0,
      high: 0,
    });
  });

  it('refuse impossible counts', () => {
    for (const bad of [sample(10, 11), sample(10, -1), sample(10.5, 1), sample(NaN, 0)]) {
      expect(() => twoProportionZTest(sample(10, 1), bad)).toThrow(RangeError);
      expect(() => differenceInterval(bad, sample(10, 1))).toThrow(RangeError);
      expect(() => sequentialPValue(sample(10, 1), bad)).toThrow(RangeError);
      expect(() => chanceToBeatControl(bad, sample(10, 1))).toThrow(RangeError);
    }
  });
});

describe('sequentialPValue', () => {
  it('is 1 without a difference, an arm or variance', () => {
    expect(sequentialPValue(sample(1_000, 100), sample(1_000, 100))).toBe(1);
    expect(sequentialPValue(sample(0, 0), sample(1_000, 100))).toBe(1);
    expect(sequentialPValue(sample(1_000, 0), sample(1_000, 0))).toBe(1);
  });

  it('uses the pooled SE when each rate is 0 or 1 but they differ', () => {
    expect(sequentialPValue(sample(100, 0), sample(100, 100))).toBeLessThan(1e-10);
    expect(sequentialPValue(sample(1, 0), sample(1, 1))).toBeGreaterThan(0.99);
  });

  it('is never below the fixed-horizon p-value here, and falls as evidence grows', () => {
    for (const n of [200, 1_000, 5_000, 20_000]) {
      const a = sample(n, n / 10);
      const b = sample(n, (n / 100) * 12);
      expect(sequentialPValue(a, b)).toBeGreaterThanOrEqual(twoProportionZTest(a, b).pValue);
    }
    expect(sequentialPValue(sample(5_000, 500), sample(5_000, 650))).toBeLessThan(0.001);
  });

  it('refuses a tuning or alpha out of range', () => {
    const a = sample(100, 10);
    expect(() => sequentialPValue(a, a, 0)).toThrow(RangeError);
    expect(() => sequentialPValue(a, a, Infinity)).toThrow(RangeError);
    expect(() => sequentialPValue(a, a, 5_000, 1)).toThrow(RangeError);
  });
});

describe('chanceToBeatControl', () => {
  it('matches closed forms on every branch of the sum', () => {
    // Both empty: two uniform posteriors.
    expect(chanceToBeatControl(sample(0, 0), sample(0, 0))).toBeCloseTo(0.5, 15);
    // Uniform A against Beta(n + 1, 1): (n + 1)/(n + 2); against Beta(1, n + 1): 1/(n + 2).
    expect(chanceToBeatControl(sample(0, 0), sample(8, 8))).toBeCloseTo(9 / 10, 14);
    expect(chanceToBeatControl(sample(0, 0), sample(8, 0))).toBeCloseTo(1 / 10, 14);
    // A ~ Beta(11, 1) (CDF x¹¹), B ~ Beta(4, 3): P(B > A) = E[B¹¹] = Π_{j<11} (4+j)/(7+j) = 1/34.
    expect(chanceToBeatControl(sample(10, 10), sample(5, 3))).toBeCloseTo(1 / 34, 14);
    expect(chanceToBeatControl(sample(5, 3), sample(10, 10))).toBeCloseTo(33 / 34, 14);
    // A ~ Beta(11, 1), B ~ Beta(1, 11): P(B > A) = 11·B(11, 12) = 11·10!·11!/22!.
    const reference = (11 * factorial(10) * factorial(11)) / factorial(22);
    expect(relative(chanceToBeatControl(sample(10, 10), sample(10, 0)), reference)).toBeLessThan(
      1e-10
    );
  });

  it('matches scipy and mpmath on large counts, quickly', () => {
    // References: ∫ f_B(x)·F_A(x) dx with scipy.stats.beta (quad, relative tolerance 1e-13),
    // confirmed where marked by the sum in 40-digit mpmath.
    const cases: [RateSample, RateSample, number][] = [
      [sample(10, 2), sample(10, 4), 0.8192724458204333], // mpmath
      [sample(200_000, 100_000), sample(200_000, 100_500), 0.9430770204217371], // mpmath
      [sample(1_000_000, 100_000), sample(1_000_000, 99_500), 0.1190357438872939], // mpmath
      [sample(1_000_000, 100_300), sample(1_000_000, 100_000), 1 - 0.7601030879700441],
      [sample(3_000_000, 300_000), sample(3_000_000, 301_000), 0.9130565607210647],
    ];
    const started = Date.now();
    for (const [a, b, reference] of cases) {
      expect(Math.abs(chanceToBeatControl(a, b) - reference)).toBeLessThan(1e-12);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('is Gaussian beyond a million of everything, and falls back on log-beta', () => {
    expect(EXACT_CHANCE_MAX_TERMS).toBe(1_000_000);
    // Every shape over a million (scipy): the Gaussian limit.
    const huge = chanceToBeatControl(sample(1e7, 1e6), sample(1e7, 1_000_800));
    expect(Math.abs(huge - 0.724472064172515)).toBeLessThan(1e-7);
    const twins = chanceToBeatControl(sample(2e7, 2e6), sample(2e7, 2_001_000));
    expect(Math.abs(twins - 0.7008989214809573)).toBeLessThan(1e-7);
    expect(chanceToBeatControl(sample(5e7, 5e6), sample(5e7, 5e6))).toBe(0.5);
    // 120,401 terms, but a first term of 1.2 million factors: log-beta (mpmath 0.86838253159770).
    const skewed = chanceToBeatControl(sample(4e7, 1_200_000), sample(4e6, 120_400));
    expect(Math.abs(skewed - 0.8683825315976981)).toBeLessThan(1e-6);
  });

  it('is complementary: P(B > A) + P(A > B) = 1', () => {
    const pairs: [RateSample, RateSample][] = [
      [sample(1_000, 100), sample(1_000, 130)],
      [sample(37, 5), sample(120, 9)],
      [sample(10, 10), sample(7, 2)],
      [sample(0, 0), sample(50, 20)],
      [sample(400, 390), sample(300, 296)],
    ];
    for (const [a, b] of pairs) {
      expect(chanceToBeatControl(a, b) + chanceToBeatControl(b, a)).toBeCloseTo(1, 12);
    }
    for (const n of [10, 1_000, 100_000, 2_000_000, 20_000_000]) {
      expect(chanceToBeatControl(sample(n, n / 10), sample(n, n / 10))).toBeCloseTo(0.5, 13);
    }
  });

  it('agrees with a seeded Monte Carlo estimate (200,000 draws)', () => {
    // mulberry32, Box–Muller, and Beta draws as a ratio of Marsaglia–Tsang Gamma draws.
    let seed = 20_261_125;
    const uniform = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
    };
    const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const gamma = (shape: number) => {
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        const x = gaussian();
        const v = (1 + c * x) ** 3;
        if (v > 0 && Math.log(uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
      }
    };
    const beta = (alpha: number, betaShape: number) => {
      const x = gamma(alpha);
      return x / (x + gamma(betaShape));
    };
    const draws = 200_000;
    for (const [a, b] of [
      [sample(1_000, 100), sample(1_000, 130)],
      [sample(60, 6), sample(50, 8)],
    ]) {
      let wins = 0;
      for (let i = 0; i < draws; i += 1) {
        const rateA = beta(1 + a.conversions, 1 + a.visitors - a.conversions);
        if (beta(1 + b.conversions, 1 + b.visitors - b.conversions) > rateA) wins += 1;
      }
      expect(Math.abs(wins / draws - chanceToBeatControl(a, b))).toBeLessThan(3e-3);
    }
  });
});

describe('sampleSizePerArm', () => {
  it('matches the reference plans (α = 0.05, power 0.8)', () => {
    expect(sampleSizePerArm(0.1, 0.1)).toBe(14_749);
    expect(sampleSizePerArm(0.03, 0.1)).toBe(53_208);
    // scipy, same formula: 13,492.2 → 13,493 and 384.6 → 385
    expect(sampleSizePerArm(0.1, -0.1)).toBe(13_493);
    expect(sampleSizePerArm(0.5, 0.2, 0.05, 0.8)).toBe(385);
  });

  it('needs more visitors for a stricter α or more power', () => {
    expect(sampleSizePerArm(0.1, 0.1, 0.01)).toBeGreaterThan(14_749);
    expect(sampleSizePerArm(0.1, 0.1, 0.05, 0.9)).toBeGreaterThan(14_749);
  });

  it('refuses impossible rates, effects and levels', () => {
    for (const [rate, effect, alpha, power] of [
      [0, 0.1, 0.05, 0.8],
      [1, 0.1, 0.05, 0.8],
      [0.6, 1, 0.05, 0.8], // p2 = 1.2
      [0.5, 1, 0.05, 0.8], // p2 = 1
      [0.1, 0, 0.05, 0.8],
      [0.1, -1, 0.05, 0.8],
      [NaN, 0.1, 0.05, 0.8],
      [0.1, 0.1, 0, 0.8],
      [0.1, 0.1, 0.05, 1],
    ]) {
      expect(() => sampleSizePerArm(rate, effect, alpha, power)).toThrow(RangeError);
    }
  });
});

describe('rateInterval', () => {
  it('is rate ± 1.959964·√(r(1−r)/n), clipped to [0, 1]', () => {
    const interval = rateInterval({ visitors: 1_000, conversions: 100 });
    const half = 1.959964 * Math.sqrt((0.1 * 0.9) / 1_000);
    expect(interval.rate).toBe(0.1);
    expect(interval.rateLow).toBeCloseTo(0.1 - half, 12);
    expect(interval.rateHigh).toBeCloseTo(0.1 + half, 12);
    expect(rateInterval({ visitors: 10, conversions: 0 })).toEqual({
      rate: 0,
      rateLow: 0,
      rateHigh: 0,
    });
    expect(rateInterval({ visitors: 0, conversions: 0 })).toEqual({
      rate: null,
      rateLow: null,
      rateHigh: null,
    });
  });
});

describe('analyzeExperiment', () => {
  const arms = (control: [number, number], other: [number, number], weights = [3, 3]) =>
    [
      {
        key: 'control',
        variant: null,
        weight: weights[0],
        visitors: control[0],
        conversions: control[1],
      },
      { key: 'b', variant: 'v', weight: weights[1], visitors: other[0], conversions: other[1] },
    ] satisfies ArmCounts[];

  it('fills control with nulls, normalizes weights and uses the p-value in force', () => {
    // No comparison: every figure null, and never significant.
    expect(Object.values(NO_COMPARISON).every((value) => value === null || value === false)).toBe(
      true
    );
    const fixed = analyzeExperiment({ arms: arms([1000, 100], [1000, 130]), sequential: false });
    expect(fixed.arms[0]).toEqual({
      key: 'control',
      variant: null,
      weight: 0.5,
      visitors: 1000,
      conversions: 100,
      ...rateInterval({ visitors: 1000, conversions: 100 }),
      ...NO_COMPARISON,
    });
    const row = fixed.arms[1];
    expect(row.weight).toBe(0.5);
    expect(row.rate).toBe(0.13);
    expect(row.uplift).toBeCloseTo(0.3, 12);
    expect(row.ciLow).toBeCloseTo(0.0021, 4);
    expect(row.ciHigh).toBeCloseTo(0.0579, 4);
    expect(row.pValue).toBeCloseTo(0.0354885, 7);
    expect(Math.abs(row.pValueSequential! - 0.379)).toBeLessThan(1e-3);
    expect(Math.abs(row.chanceToBeatControl! - 0.98217)).toBeLessThan(1e-5);
    expect(row.significant).toBe(true);
    expect(fixed.srm).toEqual({ chiSquare: 0, pValue: 1, mismatch: false });
    // Running: the always-valid p-value (0.379) is in force.
    const running = analyzeExperiment({ arms: arms([1000, 100], [1000, 130]), sequential: true });
    expect(running.arms[1].significant).toBe(false);
    // A stronger result is significant either way.
    for (const sequential of [true, false]) {
      const strong = analyzeExperiment({ arms: arms([5000, 500], [5000, 650]), sequential });
      expect(strong.arms[1].significant).toBe(true);
    }
    // The tuning N reaches the sequential p-value.
    const tuned = analyzeExperiment({
      arms: arms([1000, 100], [1000, 130]),
      sequential: true,
      sequentialTuning: 2_000,
    });
    expect(tuned.arms[1].pValueSequential).toBe(
      sequentialPValue(sample(1000, 100), sample(1000, 130), 2_000)
    );
    expect(tuned.arms[1].pValueSequential).not.toBe(running.arms[1].pValueSequential);
  });

  it('normalizes uneven weights and checks SRM against them', () => {
    const uneven = analyzeExperiment({
      arms: arms([7_500, 750], [2_500, 250], [3, 1]),
      sequential: false,
    });
    expect(uneven.arms.map((row) => row.weight)).toEqual([0.75, 0.25]);
    expect(uneven.srm.mismatch).toBe(false);
    expect(uneven.srm.chiSquare).toBeCloseTo(0, 12);
    // The same counts against 50/50 are a glaring mismatch.
    expect(
      analyzeExperiment({ arms: arms([7_500, 750], [2_500, 250]), sequential: false }).srm.mismatch
    ).toBe(true);
  });

  it('is never significant under 100 visitors per arm, nor with an SRM', () => {
    const small = analyzeExperiment({ arms: arms([99, 1], [99, 60]), sequential: false });
    expect(small.arms[1].pValue).toBeLessThan(1e-6);
    expect(small.arms[1].significant).toBe(false);
    const enough = analyzeExperiment({ arms: arms([100, 1], [100, 60]), sequential: false });
    expect(enough.arms[1].significant).toBe(true);
    const oneSmall = analyzeExperiment({
      arms: arms([2_000, 20], [99, 60], [20, 1]),
      sequential: false,
    });
    expect(oneSmall.srm.mismatch).toBe(false);
    expect(oneSmall.arms[1].significant).toBe(false);
    const skewed = analyzeExperiment({ arms: arms([3000, 300], [1000, 300]), sequential: false });
    expect(skewed.arms[1].pValue).toBeLessThan(1e-6);
    expect(skewed.srm.mismatch).toBe(true);
    expect(skewed.arms[1].significant).toBe(false);
  });

  it('compares every arm with control, wherever control is and whatever its key', () => {
    const result = analyzeExperiment({
      arms: [
        { key: 'x', variant: 'v1', weight: 1, visitors: 1_000, conversions: 130 },
        { key: 'base', variant: null, weight: 1, visitors: 1_000, conversions: 100 },
        { key: 'y', variant: 'v2', weight: 2, visitors: 2_000, conversions: 200 },
      ],
      controlKey: 'base',
      sequential: false,
    });
    expect(result.arms.map((row) => row.weight)).toEqual([0.25, 0.25, 0.5]);
    expect(result.arms[1].pValue).toBeNull();
    expect(result.arms[0].pValue).toBeCloseTo(0.0354885, 7);
    expect(result.arms[2].uplift).toBeCloseTo(0, 12);
    expect(result.arms[2].pValue).toBeCloseTo(1, 12);
    expect(result.arms[2].chanceToBeatControl).toBeGreaterThan(0.4);
    expect(result.srm.pValue).toBeCloseTo(1, 12);
    // Without a control arm there is nothing to compare with.
    const orphan = analyzeExperiment({
      arms: arms([100, 10], [100, 20]),
      sequential: false,
      controlKey: 'nope',
    });
    expect(orphan.arms.every((row) => row.pValue === null && !row.significant)).toBe(true);
    expect(orphan.arms[1].rate).toBe(0.2);
  });

  it('leaves comparisons null around an empty arm, and uplift null against a 0 % control', () => {
    const emptyArm = analyzeExperiment({ arms: arms([500, 50], [0, 0]), sequential: true });
    expect(emptyArm.arms[1]).toMatchObject({ rate: null, ...NO_COMPARISON });
    expect(emptyArm.srm.mismatch).toBe(true);
    const emptyControl = analyzeExperiment({ arms: arms([0, 0], [500, 50]), sequential: true });
    expect(emptyControl.arms.map((row) => row.rate)).toEqual([null, 0.1]);
    expect(emptyControl.arms[1].pValue).toBeNull();
    const zeroControl = analyzeExperiment({ arms: arms([500, 0], [500, 10]), sequential: false });
    expect(zeroControl.arms[1].uplift).toBeNull();
    expect(zeroControl.arms[1].ciLow).not.toBeNull();
    expect(zeroControl.arms[1].pValue).toBeLessThan(0.01);
    expect(analyzeExperiment({ arms: [], sequential: false })).toEqual({
      arms: [],
      srm: { chiSquare: null, pValue: null, mismatch: false },
    });
  });

  it('cleans inconsistent counts instead of throwing, and refuses bad weights', () => {
    const orphans = analyzeExperiment({ arms: arms([10, 12], [-3, 2.5]), sequential: false });
    expect(orphans.arms.map((row) => [row.visitors, row.conversions, row.rate])).toEqual([
      [10, 10, 1],
      [0, 0, null],
    ]);
    expect(() =>
      analyzeExperiment({ arms: arms([10, 1], [10, 1], [1, 0]), sequential: false })
    ).toThrow(RangeError);
  });

  it('never returns NaN or Infinity for degenerate counts', () => {
    const cases: [number, number][] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [10, 0],
      [10, 10],
      [150, 0],
      [150, 150],
      [500, 1],
      [NaN, NaN],
      [Infinity, 3],
    ];
    for (const control of cases) {
      for (const other of cases) {
        for (const sequential of [true, false]) {
          const { arms: rows, srm } = analyzeExperiment({ arms: arms(control, other), sequential });
          const values = [...rows.flatMap((row) => Object.values(row)), ...Object.values(srm)];
          for (const value of values) {
            if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
          }
          for (const row of rows) {
            for (const p of [row.pValue, row.pValueSequential, row.chanceToBeatControl]) {
              if (p !== null) expect(p >= 0 && p <= 1).toBe(true);
            }
          }
        }
      }
    }
  });
});
