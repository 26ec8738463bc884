import { cumulativeImpactSeries, dayForPicker, impactVerdict, pickedDay } from './impact';

describe('the impact page', () => {
  it('draws each population’s cumulative rate per day of one goal', () => {
    const series = cumulativeImpactSeries(
      [
        {
          date: '2026-03-02',
          goal: 'cta',
          population: 'personalized',
          visitors: 10,
          conversions: 3,
        },
        {
          date: '2026-03-01',
          goal: 'cta',
          population: 'personalized',
          visitors: 10,
          conversions: 1,
        },
        { date: '2026-03-02', goal: 'cta', population: 'holdout', visitors: 4, conversions: 1 },
        { date: '2026-03-01', goal: 'other', population: 'holdout', visitors: 9, conversions: 9 },
      ],
      'cta'
    );
    expect(series).toEqual([
      { date: '2026-03-01', personalized: 0.1, holdout: null },
      { date: '2026-03-02', personalized: 0.2, holdout: 0.25 },
    ]);
  });

  it('says better or worse only below p = 0.05', () => {
    expect(impactVerdict({ uplift: 0.2, pValueSequential: 0.01 })).toBe('better');
    expect(impactVerdict({ uplift: -0.2, pValueSequential: 0.01 })).toBe('worse');
    expect(impactVerdict({ uplift: 0.2, pValueSequential: 0.2 })).toBe('unclear');
    expect(impactVerdict({ uplift: null, pValueSequential: null })).toBe('unclear');
  });

  it('reads a picked day as the calendar day the picker shows', () => {
    expect(pickedDay(dayForPicker('2026-01-31'))).toBe('2026-01-31');
    expect(pickedDay(dayForPicker('2026-12-01'))).toBe('2026-12-01');
  });
});
