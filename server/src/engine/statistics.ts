import jStat from 'jstat';

import type { ArmCounts, ArmResult } from './types';

/**
 * A/B statistics for conversion rates (issue 5, rules-and-stats.md §3): SRM, the difference of
 * rates with its interval, the pooled z-test, an always-valid p-value for daily peeking, the exact
 * chance to beat control, and sample sizes. jstat supplies Φ, χ² and the log-beta function.
 */

export interface SrmResult {
  chiSquare: number | null;
  pValue: number | null;
  mismatch: boolean;
}

export const Z_975 = 1.959964;
export const SRM_THRESHOLD = 0.001;
export const SIGNIFICANCE = 0.05;
export const MIN_VISITORS = 100;
/** GrowthBook's default tuning of the sequential p-value: the expected total visitors. */
export const DEFAULT_SEQUENTIAL_TUNING = 5_000;

/** Φ, the standard normal CDF. */
export const normalCdf = (z: number) => jStat.normal.cdf(z, 0, 1);

/** χ² goodness of fit of the visitor counts against the (normalized) weights, df = k − 1. */
export const srmTest = (visitors: readonly number[], weights: readonly number[]): SrmResult => {
  const total = visitors.reduce((sum, n) => sum + n, 0);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (total === 0 || visitors.length < 2) return { chiSquare: null, pValue: null, mismatch: false };
  let chiSquare = 0;
  visitors.forEach((observed, index) => {
    const expected = (total * weights[index]) / weightSum;
    chiSquare += (observed - expected) ** 2 / expected;
  });
  const df = visitors.length - 1;
  // For df = 1, 2Φ(−√x) avoids the cancellation of 1 − cdf in the far tail.
  const pValue =
    df === 1 ? 2 * normalCdf(-Math.sqrt(chiSquare)) : 1 - jStat.chisquare.cdf(chiSquare, df);
  return { chiSquare, pValue, mismatch: pValue < SRM_THRESHOLD };
};

interface Sample {
  visitors: number;
  conversions: number;
}

const rateOf = ({ visitors, conversions }: Sample) => conversions / visitors;

/** Two-sided pooled two-proportion z-test; p = 1 when the pooled rate is 0 or 1 (no evidence). */
export const twoProportionZTest = (a: Sample, b: Sample) => {
  const pooled = (a.conversions + b.conversions) / (a.visitors + b.visitors);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.visitors + 1 / b.visitors));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (rateOf(b) - rateOf(a)) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
};

/** The unpooled standard error of rateB − rateA. */
const differenceSe = (a: Sample, b: Sample) => {
  const pA = rateOf(a);
  const pB = rateOf(b);
  return Math.sqrt((pA * (1 - pA)) / a.visitors + (pB * (1 - pB)) / b.visitors);
};

/** 95 % interval of rateB − rateA. */
export const differenceInterval = (a: Sample, b: Sample) => {
  const delta = rateOf(b) - rateOf(a);
  const half = Z_975 * differenceSe(a, b);
  return { low: delta - half, high: delta + half };
};

/**
 * The always-valid p-value of GrowthBook's asymptotic confidence sequences (GAVI; Howard et al.
 * 2022): ρ from the tuning N, e = exp(ρ²N·(Δ/SE)²/(2(Nρ²+1)))/√(Nρ²+1), p = min(1, 1/e), with N the
 * total visitors of both arms. Valid however often it is looked at.
 */
export const sequentialPValue = (
  a: Sample,
  b: Sample,
  tuning = DEFAULT_SEQUENTIAL_TUNING,
  alpha = SIGNIFICANCE
) => {
  const se = differenceSe(a, b);
  if (se === 0) return 1;
  const n = a.visitors + b.visitors;
  const rho = Math.sqrt((-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuning);
  const nRho2 = n * rho * rho;
  const t = (rateOf(b) - rateOf(a)) / se;
  const logE = (nRho2 * t * t) / (2 * (nRho2 + 1)) - 0.5 * Math.log(nRho2 + 1);
  return Math.min(1, Math.exp(-logE));
};

/**
 * Exact P(B > A) for Beta(1 + c, 1 + n − c) posteriors (Evan Miller's closed form):
 * Σ_{i<αB} exp(lnB(αA+i, βA+βB) − ln(βB+i) − lnB(1+i, βB) − lnB(αA, βA)).
 * The sum runs over B's conversions, so it is summed over the smaller side by symmetry.
 */
export const chanceToBeatControl = (a: Sample, b: Sample): number => {
  const alphaA = 1 + a.conversions;
  const betaA = 1 + a.visitors - a.conversions;
  const alphaB = 1 + b.conversions;
  const betaB = 1 + b.visitors - b.conversions;
  if (alphaB > alphaA) return 1 - chanceToBeatControl(b, a);
  let total = 0;
  const constant = jStat.betaln(alphaA, betaA);
  for (let i = 0; i < alphaB; i += 1) {
    total += Math.exp(
      jStat.betaln(alphaA + i, betaA + betaB) -
        Math.log(betaB + i) -
        jStat.betaln(1 + i, betaB) -
        constant
    );
  }
  return Math.min(1, Math.max(0, total));
};

/**
 * Visitors per arm to detect a relative effect on a baseline rate:
 * n = (z₁₋α/₂ + z₁₋β)² · (p₁(1−p₁) + p₂(1−p₂)) / (p₂ − p₁)², rounded up.
 */
export const sampleSizePerArm = (
  baselineRate: number,
  minimumDetectableEffect: number,
  alpha = SIGNIFICANCE,
  power = 0.8
) => {
  const p1 = baselineRate;
  const p2 = baselineRate * (1 + minimumDetectableEffect);
  if (!(p1 > 0 && p1 < 1) || !(p2 > 0 && p2 < 1) || p1 === p2) {
    throw new RangeError('rates must lie strictly between 0 and 1 and differ');
  }
  const z = jStat.normal.inv(1 - alpha / 2, 0, 1) + jStat.normal.inv(power, 0, 1);
  return Math.ceil((z * z * (p1 * (1 - p1) + p2 * (1 - p2))) / (p2 - p1) ** 2);
};

/** Every arm against control, and the SRM check; `sequential` says which p-value is in force. */
export const analyzeExperiment = (input: {
  arms: readonly ArmCounts[];
  controlKey?: string;
  sequential: boolean;
  sequentialTuning?: number;
}): { arms: ArmResult[]; srm: SrmResult } => {
  const controlKey = input.controlKey ?? 'control';
  const weightSum = input.arms.reduce((sum, arm) => sum + arm.weight, 0);
  const srm = srmTest(
    input.arms.map((arm) => arm.visitors),
    input.arms.map((arm) => arm.weight)
  );
  const control = input.arms.find((arm) => arm.key === controlKey);
  const arms = input.arms.map((arm): ArmResult => {
    const row: ArmResult = {
      ...arm,
      weight: arm.weight / weightSum,
      rate: arm.visitors > 0 ? arm.conversions / arm.visitors : null,
      uplift: null,
      ciLow: null,
      ciHigh: null,
      pValue: null,
      pValueSequential: null,
      chanceToBeatControl: null,
      significant: false,
    };
    if (arm === control || !control || control.visitors === 0 || arm.visitors === 0) return row;
    const rateA = rateOf(control);
    const interval = differenceInterval(control, arm);
    row.uplift = rateA === 0 ? null : ((row.rate as number) - rateA) / rateA;
    row.ciLow = interval.low;
    row.ciHigh = interval.high;
    row.pValue = twoProportionZTest(control, arm).pValue;
    row.pValueSequential = sequentialPValue(control, arm, input.sequentialTuning);
    row.chanceToBeatControl = chanceToBeatControl(control, arm);
    const inForce = input.sequential ? row.pValueSequential : row.pValue;
    row.significant =
      control.visitors >= MIN_VISITORS &&
      arm.visitors >= MIN_VISITORS &&
      !srm.mismatch &&
      inForce < SIGNIFICANCE;
    return row;
  });
  return { arms, srm };
};
