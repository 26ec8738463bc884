import type { DailyCounts, Horizon } from '../api/types';

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

/**
 * The visitors the smallest arm will have by the planned end at the current rate: its share of
 * the visitors so far (the weights' before any) of the projected total; null without a projection.
 */
export const projectedSmallestArm = (
  arms: { visitors: number; weight: number }[],
  horizon: Pick<Horizon, 'projectedVisitors'>
) => {
  if (horizon.projectedVisitors === null || arms.length === 0) return null;
  const total = arms.reduce((sum, arm) => sum + arm.visitors, 0);
  const weights = arms.reduce((sum, arm) => sum + arm.weight, 0);
  const share = Math.min(
    ...arms.map((arm) =>
      total > 0 ? arm.visitors / total : weights > 0 ? arm.weight / weights : 0
    )
  );
  return Math.round(horizon.projectedVisitors * share);
};
