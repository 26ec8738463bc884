import jStat from 'jstat';

import type { Burst, SourceSpread } from './types';

/**
 * Signs that an experiment's events were manufactured rather than produced by visitors: one
 * source (a hashed client address) behind a large share of an arm's exposures or conversions,
 * and conversions arriving in bursts that no visitor population produces. Pure: the events
 * service counts, this decides.
 */

/** One source at or above this share of an arm's events (and at least MIN_EVENTS of them) dominates it. */
export const DOMINANT_SHARE = 0.1;
export const MIN_EVENTS = 10;
/** A minute whose conversions are this unlikely at the rate of their hour is a burst. */
export const BURST_P_VALUE = 1e-6;

/** The spread of no events: no source, no share, nothing dominated. */
export const NO_EVENTS: SourceSpread = {
  events: 0,
  sources: 0,
  top1PercentShare: null,
  topSourceShare: null,
  topSourceEvents: 0,
  dominated: false,
};

/** How `counts` (events per source) spread over their sources, and whether one dominates. */
export const sourceSpread = (counts: readonly number[]): SourceSpread => {
  const sorted = counts.filter((count) => count > 0).sort((a, b) => b - a);
  const events = sorted.reduce((sum, count) => sum + count, 0);
  if (events === 0) return NO_EVENTS;
  const top = sorted.slice(0, Math.max(1, Math.ceil(sorted.length * 0.01)));
  const topSourceShare = sorted[0] / events;
  return {
    events,
    sources: sorted.length,
    top1PercentShare: top.reduce((sum, count) => sum + count, 0) / events,
    topSourceShare,
    topSourceEvents: sorted[0],
    dominated: topSourceShare >= DOMINANT_SHARE && sorted[0] >= MIN_EVENTS,
  };
};

/** P(X ≥ k) for X ~ Poisson(λ), precise in the far tail (no 1 − CDF cancellation). */
export const poissonUpperTail = (k: number, lambda: number): number => {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  return Math.min(1, Math.max(0, jStat.lowRegGamma(k, lambda)));
};

const MINUTE_MS = 60_000;

/**
 * The most unlikely minute of an arm's conversions, judged against the average rate of its own
 * hour (traffic varies over a day, not within a few minutes), when it is a burst: at least
 * MIN_EVENTS conversions with a Poisson tail below BURST_P_VALUE. `perMinute`: conversions by
 * minute since the epoch.
 */
export const worstBurst = (perMinute: ReadonlyMap<number, number>): Burst | null => {
  const perHour = new Map<number, number>();
  for (const [minute, count] of perMinute) {
    const hour = Math.floor(minute / 60);
    perHour.set(hour, (perHour.get(hour) ?? 0) + count);
  }
  let worst: Burst | null = null;
  for (const [minute, count] of perMinute) {
    if (count < MIN_EVENTS) continue;
    const expected = (perHour.get(Math.floor(minute / 60)) ?? 0) / 60;
    const pValue = poissonUpperTail(count, expected);
    if (pValue < BURST_P_VALUE && (worst === null || pValue < worst.pValue)) {
      worst = { minute: minute * MINUTE_MS, conversions: count, expected, pValue };
    }
  }
  return worst;
};
