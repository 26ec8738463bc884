import {
  analyzeExperiment,
  chanceToBeatControl,
  differenceInterval,
  normalCdf,
  sampleSizePerArm,
  sequentialPValue,
  srmTest,
  twoProportionZTest,
} from './statistics';
import type { ArmCounts } from './types';

// Reference values are closed forms, standard constants or scipy 1.17 (rules-and-stats.md §3.3).
const relative = (value: number, reference: number) => Math.abs(value - reference) / reference;

describe('normalCdf', () => {
  it('matches published values of Φ', () => {
    expect(relative(normalCdf(1.96), 0.9750021048517795)).toBeLessThan(1e-12);
    expect(relative(normalCdf(-1), 0.15865525393145707)).toBeLessThan(1e-12);
    expect(relative(normalCdf(-5), 2.866515718791939e-7)).toBeLessThan(1e-9);
  });
});

describe('srmTest', () => {
  it('is the χ² survival: df 1 → 2Φ(−√χ²), df 2 → e^(−χ²/2)', () => {
    // 10,100 / 9,900 against 50/50: χ² = 2.
    const even = srmTest([10_100, 9_900], [1, 1]);
    expect(even.chiSquare).toBeCloseTo(2, 12);
    expect(relative(even.pValue!, 2 * normalCdf(-Math.sqrt(2)))).toBeLessThan(1e-12);
    expect(even.mismatch).toBe(false);
    // Three arms of 1,000 expected each: χ² = (100² + 100² + 0)/1000 = 20 → p = e^−10.
    const three = srmTest([1_100, 900, 1_000], [1, 1, 1]);
    expect(three.chiSquare).toBeCloseTo(20, 12);
    expect(relative(three.pValue!, Math.exp(-10))).toBeLessThan(1e-9);
    expect(three.mismatch).toBe(true);
  });

  it('matches scipy on the reference SRM case and has nothing to say without visitors', () => {
    // scipy.stats.chisquare([5100, 4900]) → χ² = 4.0, p = 0.0455003
    expect(srmTest([5_100, 4_900], [0.5, 0.5]).pValue).toBeCloseTo(0.0455003, 6);
    expect(srmTest([0, 0], [1, 1])).toEqual({ chiSquare: null, pValue: null, mismatch: false });
  });
});

describe('the worked example: 1000/100 against 1000/130', () => {
  const a = { visitors: 1_000, conversions: 100 };
  const b = { visitors: 1_000, conversions: 130 };

  it('z-test, interval, exact chance to beat control and the sequential p-value', () => {
    const { z, pValue } = twoProportionZTest(a, b);
    expect(z).toBeCloseTo(2.10274, 5);
    expect(pValue).toBeCloseTo(0.0354885, 6);
    const { low, high } = differenceInterval(a, b);
    expect(low).toBeCloseTo(0.0021, 4);
    expect(high).toBeCloseTo(0.0579, 4);
    expect(Math.abs(chanceToBeatControl(a, b) - 0.98217)).toBeLessThan(1e-5);
    expect(Math.abs(sequentialPValue(a, b, 5_000) - 0.379)).toBeLessThan(1e-3);
  });

  it('chance to beat control is complementary and 0.5 when equal', () => {
    expect(chanceToBeatControl(a, b) + chanceToBeatControl(b, a)).toBeCloseTo(1, 12);
    expect(chanceToBeatControl(a, a)).toBeCloseTo(0.5, 9);
  });

  it('chance to beat control agrees with a seeded Monte Carlo estimate', () => {
    // Beta draws as the ratio of two Gamma draws (Marsaglia–Tsang), from a seeded generator.
    let state = 42;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 2 ** 32;
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
    const beta = (alpha: number, betaParam: number) => {
      const x = gamma(alpha);
      return x / (x + gamma(betaParam));
    };
    const draws = 200_000;
    let wins = 0;
    for (let i = 0; i < draws; i += 1) {
      if (beta(131, 871) > beta(101, 901)) wins += 1;
    }
    expect(Math.abs(wins / draws - chanceToBeatControl(a, b))).toBeLessThan(3e-3);
  });
});

describe('sampleSizePerArm', () => {
  it('matches the reference plans', () => {
    expect(sampleSizePerArm(0.1, 0.1)).toBe(14_749);
    expect(sampleSizePerArm(0.03, 0.1)).toBe(53_208);
  });

  it('refuses impossible rates', () => {
    expect(() => sampleSizePerArm(0, 0.1)).toThrow(RangeError);
    expect(() => sampleSizePerArm(0.6, 1)).toThrow(RangeError);
  });
});

describe('analyzeExperiment', () => {
  const arms = (control: [number, number], other: [number, number]): ArmCounts[] => [
    { key: 'control', variant: null, weight: 3, visitors: control[0], conversions: control[1] },
    { key: 'b', variant: 'v', weight: 3, visitors: other[0], conversions: other[1] },
  ];

  it('fills control with nulls, normalizes weights and uses the p-value in force', () => {
    const fixed = analyzeExperiment({ arms: arms([1000, 100], [1000, 130]), sequential: false });
    expect(fixed.arms[0]).toMatchObject({
      weight: 0.5,
      rate: 0.1,
      uplift: null,
      pValue: null,
      pValueSequential: null,
      chanceToBeatControl: null,
      significant: false,
    });
    expect(fixed.arms[1].uplift).toBeCloseTo(0.3, 12);
    expect(fixed.arms[1].significant).toBe(true);
    const running = analyzeExperiment({ arms: arms([1000, 100], [1000, 130]), sequential: true });
    expect(running.arms[1].significant).toBe(false);
  });

  it('is never significant under 100 visitors or with an SRM', () => {
    const small = analyzeExperiment({ arms: arms([99, 1], [99, 60]), sequential: false });
    expect(small.arms[1].pValue).toBeLessThan(1e-6);
    expect(small.arms[1].significant).toBe(false);
    const skewed = analyzeExperiment({ arms: arms([3000, 300], [1000, 300]), sequential: false });
    expect(skewed.srm.mismatch).toBe(true);
    expect(skewed.arms[1].significant).toBe(false);
  });

  it('never returns NaN or Infinity for degenerate counts', () => {
    const cases: [number, number][] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [1, 1],
      [500, 0],
    ];
    for (const control of cases) {
      for (const other of cases) {
        const { arms: rows, srm } = analyzeExperiment({
          arms: arms(control, other),
          sequential: true,
        });
        for (const value of [...rows.flatMap((row) => Object.values(row)), ...Object.values(srm)]) {
          if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
        }
      }
    }
  });
});
