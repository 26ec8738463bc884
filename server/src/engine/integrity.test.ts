import jStat from 'jstat';

import {
  BURST_P_VALUE,
  MIN_EVENTS,
  NO_EVENTS,
  poissonUpperTail,
  sourceSpread,
  worstBurst,
} from './integrity';

describe('sourceSpread', () => {
  it('takes the top 1 % of sources, at least one', () => {
    expect(sourceSpread([])).toEqual(NO_EVENTS);
    expect(NO_EVENTS).toMatchObject({
      events: 0,
      sources: 0,
      topSourceShare: null,
      dominated: false,
    });
    // 200 sources: the top 2 hold 30 + 20 of 250 events.
    const counts = [30, 20, ...Array.from({ length: 198 }, () => 1), 0];
    expect(sourceSpread(counts)).toEqual({
      events: 248,
      sources: 200,
      top1PercentShare: 50 / 248,
      topSourceShare: 30 / 248,
      topSourceEvents: 30,
      dominated: true,
    });
    expect(sourceSpread([5, 5]).top1PercentShare).toBe(0.5);
  });

  it('calls an arm dominated by one source only with enough of its events', () => {
    expect(sourceSpread([MIN_EVENTS, ...Array(89).fill(1)]).dominated).toBe(true);
    expect(sourceSpread([MIN_EVENTS - 1]).dominated).toBe(false);
    expect(sourceSpread([10, ...Array(200).fill(1)]).dominated).toBe(false);
  });
});

describe('poissonUpperTail', () => {
  it('matches 1 − CDF where that is precise, and stays precise far in the tail', () => {
    for (const [k, lambda] of [
      [3, 2],
      [10, 5],
      [1, 0.5],
    ] as const) {
      let cdf = 0;
      for (let i = 0; i < k; i += 1)
        cdf += Math.exp(-lambda + i * Math.log(lambda) - jStat.gammaln(i + 1));
      expect(poissonUpperTail(k, lambda)).toBeCloseTo(1 - cdf, 10);
    }
    // P(X ≥ 75 | λ = 1.25): about 5e-94, far below what 1 − CDF can express.
    const tail = poissonUpperTail(75, 1.25);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-80);
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(4, 0)).toBe(0);
  });
});

describe('worstBurst', () => {
  const minute = (hour: number, m: number) => hour * 60 + m;

  it('finds conversions that no population produces at the rate of their hour', () => {
    const perMinute = new Map<number, number>();
    // A busy, steady hour: 6 a minute.
    for (let m = 0; m < 60; m += 1) perMinute.set(minute(1000, m), 6);
    expect(worstBurst(perMinute)).toBeNull();
    // 75 in one minute of an otherwise quiet hour.
    perMinute.set(minute(1001, 10), 75);
    perMinute.set(minute(1001, 30), 2);
    const burst = worstBurst(perMinute);
    expect(burst).toMatchObject({ minute: minute(1001, 10) * 60_000, conversions: 75 });
    expect(burst!.expected).toBeCloseTo(77 / 60, 10);
    expect(burst!.pValue).toBeLessThan(BURST_P_VALUE);
  });

  it(`ignores minutes with fewer than ${MIN_EVENTS} conversions`, () => {
    expect(worstBurst(new Map([[minute(5, 0), MIN_EVENTS - 1]]))).toBeNull();
  });
});
