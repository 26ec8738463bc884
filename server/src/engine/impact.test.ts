import { compareToHoldout } from './impact';
import { sequentialPValue } from './statistics';
import type { RateSample } from './statistics';

// Reference values are worked by hand from the formulas in impact.ts (checked with Python's math
// and scipy.stats.chi2.sf), never this module's own output.
const sample = (visitors: number, conversions: number): RateSample => ({ visitors, conversions });
const Z = 1.959964;

describe('compareToHoldout', () => {
  it('compares 5.5 % personalized with a 5 % holdout', () => {
    const result = compareToHoldout(sample(10_000, 550), sample(1_000, 50), 0.1);
    expect(result.uplift).toBeCloseTo(0.1, 14);
    // exp(ln 1.1 ± Z·√(0.945/550 + 0.95/50)) − 1
    const half = Z * Math.sqrt(0.945 / 550 + 0.95 / 50);
    expect(result.ci?.[0]).toBeCloseTo(Math.exp(Math.log(1.1) - half) - 1, 14);
    expect(result.ci?.[0]).toBeCloseTo(-0.1703931372460552, 12);
    expect(result.ci?.[1]).toBeCloseTo(0.4585221679378473, 12);
    // 0.005 ± Z·√(0.055·0.945/10,000 + 0.05·0.95/1,000)
    expect(result.absoluteUplift).toBeCloseTo(0.005, 15);
    expect(result.absoluteCi?.[0]).toBeCloseTo(-0.009227975238841824, 14);
    expect(result.absoluteCi?.[1]).toBeCloseTo(0.01922797523884182, 14);
    // Expected 9,900 / 1,100 of 11,000: χ² = 100²/9,900 + 100²/1,100 = 10.1010, p = 0.001482.
    expect(result.srm.pValue).toBeCloseTo(0.0014818807747203886, 12);
    expect(result.srm.mismatch).toBe(false);
    // Too little evidence yet for the always-valid p-value (capped at 1).
    expect(result.pValueSequential).toBe(1);
  });

  it('gives an interval that excludes 0 and a sequential p-value for a larger test', () => {
    const personalized = sample(45_000, 2_700);
    const holdout = sample(5_000, 250);
    const result = compareToHoldout(personalized, holdout, 0.1);
    expect(result.uplift).toBeCloseTo(0.2, 14);
    expect(result.ci?.[0]).toBeCloseTo(0.0576906320701529, 12);
    expect(result.ci?.[1]).toBeCloseTo(0.36145670230772153, 12);
    expect(result.absoluteCi?.[0]).toBeCloseTo(0.003572832051605488, 14);
    expect(result.absoluteCi?.[1]).toBeCloseTo(0.0164271679483945, 14);
    // ρ² = (−2 ln 0.05 + ln(1 − 2 ln 0.05))/5,000, N = 50,000, t = 0.01/SE (GAVI, statistics.ts).
    expect(result.pValueSequential).toBeCloseTo(0.09084567392095562, 12);
    expect(result.pValueSequential).toBe(sequentialPValue(holdout, personalized));
    // Exactly 10 % in the holdout.
    expect(result.srm).toEqual({ pValue: 1, mismatch: false });
  });

  it('passes the sequential tuning on', () => {
    const personalized = sample(45_000, 2_700);
    const holdout = sample(5_000, 250);
    const result = compareToHoldout(personalized, holdout, 0.1, 50_000);
    expect(result.pValueSequential).toBe(sequentialPValue(holdout, personalized, 50_000));
    expect(result.pValueSequential).not.toBe(sequentialPValue(holdout, personalized));
  });

  it('flags a holdout that got far more than its share', () => {
    // Expected 9,450 / 1,050 of 10,500: χ² = 450²/9,450 + 450²/1,050 = 214.29.
    const result = compareToHoldout(sample(9_000, 450), sample(1_500, 75), 0.1);
    expect(result.srm.pValue).toBeCloseTo(1.5954684843070695e-48, 58);
    expect(result.srm.mismatch).toBe(true);
  });

  it('gives no relative uplift at a holdout rate of 0, nor a relative interval at rate 0', () => {
    const zeroHoldout = compareToHoldout(sample(1_000, 10), sample(100, 0), 0.1);
    expect(zeroHoldout.uplift).toBeNull();
    expect(zeroHoldout.ci).toBeNull();
    expect(zeroHoldout.absoluteUplift).toBeCloseTo(0.01, 15);
    expect(zeroHoldout.absoluteCi).not.toBeNull();

    const zeroPersonalized = compareToHoldout(sample(1_000, 0), sample(100, 5), 0.1);
    expect(zeroPersonalized.uplift).toBe(-1);
    expect(zeroPersonalized.ci).toBeNull();
  });

  it('compares nothing without visitors on either side, but still checks SRM', () => {
    const result = compareToHoldout(sample(1_000, 50), sample(0, 0), 0.1);
    expect(result).toMatchObject({
      uplift: null,
      absoluteUplift: null,
      ci: null,
      absoluteCi: null,
      pValueSequential: null,
    });
    // 1,000 against an expected 900 / 100: χ² = 100²/900 + 100²/100 = 111.1.
    expect(result.srm.mismatch).toBe(true);
    expect(compareToHoldout(sample(0, 0), sample(0, 0), 0.1).srm).toEqual({
      pValue: null,
      mismatch: false,
    });
  });

  it('has no SRM check without a holdout share', () => {
    const result = compareToHoldout(sample(1_000, 50), sample(0, 0), 0);
    expect(result.srm).toEqual({ pValue: null, mismatch: false });
  });

  it('rejects impossible counts and shares', () => {
    expect(() => compareToHoldout(sample(10, 11), sample(10, 1), 0.1)).toThrow(RangeError);
    expect(() => compareToHoldout(sample(10, 1), sample(-1, 0), 0.1)).toThrow(RangeError);
    expect(() => compareToHoldout(sample(10, 1), sample(10, 1), 1)).toThrow(RangeError);
    expect(() => compareToHoldout(sample(10, 1), sample(10, 1), -0.1)).toThrow(RangeError);
    expect(() => compareToHoldout(sample(10, 1), sample(10, 1), Number.NaN)).toThrow(RangeError);
  });
});
