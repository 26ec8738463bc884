import { differenceInterval, sequentialPValue, srmTest, Z_975 } from './statistics';
import type { RateSample } from './statistics';

/**
 * The impact of personalization: visitors who got personalized content against the holdout, a
 * random share kept on the base content. One comparison of two rates, with the statistics of
 * statistics.ts; only the interval of the relative uplift is new here.
 */

export interface ImpactComparison {
  /** rate_personalized / rate_holdout − 1; null without visitors or at a holdout rate of 0. */
  uplift: number | null;
  /** rate_personalized − rate_holdout; null without visitors on either side. */
  absoluteUplift: number | null;
  /** 95 % interval of `uplift`; null when either rate is 0 (or missing). */
  ci: [number, number] | null;
  /** 95 % Wald interval of `absoluteUplift`. */
  absoluteCi: [number, number] | null;
  /** Always-valid p-value of the difference, so that the dashboard may be looked at daily. */
  pValueSequential: number | null;
  /** Whether the holdout got its share of visitors; pValue null when there is nothing to test. */
  srm: { pValue: number | null; mismatch: boolean };
}

/**
 * The 95 % interval of the relative uplift rp/rh − 1 by the delta method on log(rp/rh), whose
 * variance is (1 − rp)/(np·rp) + (1 − rh)/(nh·rh): a ratio of rates is skewed, and the log keeps
 * the interval inside (−1, ∞) and close to nominal coverage where the Wald interval of the ratio
 * is not. Null when a rate is 0 (no logarithm) or an arm is empty.
 */
const relativeInterval = (
  personalized: RateSample,
  holdout: RateSample
): [number, number] | null => {
  if (personalized.conversions === 0 || holdout.conversions === 0) return null;
  const rateP = personalized.conversions / personalized.visitors;
  const rateH = holdout.conversions / holdout.visitors;
  const logRatio = Math.log(rateP / rateH);
  const half =
    Z_975 *
    Math.sqrt(
      (1 - rateP) / (personalized.visitors * rateP) + (1 - rateH) / (holdout.visitors * rateH)
    );
  return [Math.exp(logRatio - half) - 1, Math.exp(logRatio + half) - 1];
};

/**
 * Personalized visitors against the holdout. `holdoutShare` in [0, 1) is the share of visitors
 * the holdout is meant to get, for the SRM check (none at 0). `sequentialTuning` is the
 * sequential p-value's expected total visitors (statistics.ts default when left out). Throws a
 * RangeError on impossible counts or share.
 */
export const compareToHoldout = (
  personalized: RateSample,
  holdout: RateSample,
  holdoutShare: number,
  sequentialTuning?: number
): ImpactComparison => {
  if (!(holdoutShare >= 0 && holdoutShare < 1)) {
    throw new RangeError('the holdout share must lie in [0, 1)');
  }
  // First, as it validates both samples.
  const interval = differenceInterval(holdout, personalized);
  const srm =
    holdoutShare === 0
      ? { pValue: null, mismatch: false }
      : srmTest([personalized.visitors, holdout.visitors], [1 - holdoutShare, holdoutShare]);
  if (interval === null) {
    return {
      uplift: null,
      absoluteUplift: null,
      ci: null,
      absoluteCi: null,
      pValueSequential: null,
      srm: { pValue: srm.pValue, mismatch: srm.mismatch },
    };
  }
  const rateH = holdout.conversions / holdout.visitors;
  return {
    uplift: rateH === 0 ? null : personalized.conversions / personalized.visitors / rateH - 1,
    absoluteUplift: interval.difference,
    ci: relativeInterval(personalized, holdout),
    absoluteCi: [interval.low, interval.high],
    pValueSequential: sequentialPValue(holdout, personalized, sequentialTuning),
    srm: { pValue: srm.pValue, mismatch: srm.mismatch },
  };
};
