import type { DailyCounts } from '../api/types';

const Z_975 = 1.959964;

/** An arm's own 95 % interval of its conversion rate (normal approximation), for the chart. */
export const rateInterval = (visitors: number, conversions: number) => {
  if (visitors === 0) return null;
  const rate = conversions / visitors;
  const half = Z_975 * Math.sqrt((rate * (1 - rate)) / visitors);
  return { rate, low: Math.max(0, rate - half), high: Math.min(1, rate + half) };
};

/** One point per day: each arm's cumulative conversion rate up to that day (null before visitors). */
export const cumulativeSeries = (daily: DailyCounts[], arms: string[]) => {
  const dates = [...new Set(daily.map((row) => row.date))].sort();
  const totals = new Map(arms.map((arm) => [arm, { visitors: 0, conversions: 0 }]));
  return dates.map((date) => {
    const point: Record<string, string | number | null> = { date };
    for (const arm of arms) {
      const total = totals.get(arm)!;
      for (const row of daily) {
        if (row.date === date && row.arm === arm) {
          total.visitors += row.visitors;
          total.conversions += row.conversions;
        }
      }
      point[arm] = total.visitors > 0 ? total.conversions / total.visitors : null;
    }
    return point;
  });
};

/** The visitors each arm is expected to have, from the weights, for the SRM warning. */
export const expectedVisitors = (arms: { weight: number; visitors: number }[]) => {
  const total = arms.reduce((sum, arm) => sum + arm.visitors, 0);
  const weights = arms.reduce((sum, arm) => sum + arm.weight, 0);
  return arms.map((arm) => Math.round((total * arm.weight) / weights));
};

/**
 * How far an experiment is towards the sample size it needs: the arm with the fewest visitors
 * decides, because every comparison needs both of its arms to reach it.
 */
export const sampleProgress = (arms: { visitors: number }[], visitorsPerArm: number) => {
  const smallest = arms.length === 0 ? 0 : Math.min(...arms.map((arm) => arm.visitors));
  return { smallest, share: visitorsPerArm > 0 ? smallest / visitorsPerArm : 0 };
};
