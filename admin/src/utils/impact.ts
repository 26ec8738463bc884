import type { ImpactDay } from '../api/types';

/** A UTC day as the impact report names it (YYYY-MM-DD). */
export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The day a date picker shows as that day (the picker's Date is local midnight of it): its local
 * calendar day, as YYYY-MM-DD.
 */
export const pickedDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(
    date.getDate()
  ).padStart(2, '0')}`;

/** The Date a date picker shows as `day` (local midnight of that calendar day). */
export const dayForPicker = (day: string) => {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
};

/**
 * One point per day of one goal: each population's cumulative conversion rate up to that day
 * (null before it has visitors), so that the lines settle as the days add up.
 */
export const cumulativeImpactSeries = (daily: ImpactDay[], goal: string) => {
  const rows = daily.filter((row) => row.goal === goal);
  const dates = [...new Set(rows.map((row) => row.date))].sort();
  const totals = {
    personalized: { visitors: 0, conversions: 0 },
    holdout: { visitors: 0, conversions: 0 },
  };
  return dates.map((date) => {
    for (const row of rows) {
      if (row.date !== date) continue;
      totals[row.population].visitors += row.visitors;
      totals[row.population].conversions += row.conversions;
    }
    const rate = ({ visitors, conversions }: { visitors: number; conversions: number }) =>
      visitors > 0 ? conversions / visitors : null;
    return { date, personalized: rate(totals.personalized), holdout: rate(totals.holdout) };
  });
};

/**
 * What the sequential p-value and the uplift say together: better or worse at the 5 % level,
 * or no clear difference (yet).
 */
export const impactVerdict = ({
  uplift,
  pValueSequential,
}: {
  uplift: number | null;
  pValueSequential: number | null;
}): 'better' | 'worse' | 'unclear' =>
  uplift === null || pValueSequential === null || pValueSequential >= 0.05
    ? 'unclear'
    : uplift > 0
      ? 'better'
      : 'worse';

/** Below these, a population's rate moves a lot from day to day: the page says so. */
export const FEW_VISITORS = 100;
export const FEW_CONVERSIONS = 10;
