import {
  cumulativeSeries,
  expectedVisitors,
  projectedSmallestArm,
  sampleProgress,
} from './results';

describe('cumulativeSeries', () => {
  it('accumulates visitors and conversions per arm day by day', () => {
    const series = cumulativeSeries(
      [
        { date: '2026-01-02', arm: 'control', visitors: 100, conversions: 10 },
        { date: '2026-01-01', arm: 'control', visitors: 100, conversions: 20 },
        { date: '2026-01-02', arm: 'offer', visitors: 50, conversions: 5 },
      ],
      ['control', 'offer']
    );
    expect(series).toEqual([
      { date: '2026-01-01', control: 0.2, offer: null },
      { date: '2026-01-02', control: 0.15, offer: 0.1 },
    ]);
  });
});

describe('expectedVisitors', () => {
  it('splits the total by weight', () => {
    expect(
      expectedVisitors([
        { weight: 0.9, visitors: 950 },
        { weight: 0.1, visitors: 50 },
      ])
    ).toEqual([900, 100]);
  });
});

describe('sampleProgress', () => {
  it('measures the smallest arm against the visitors needed per arm', () => {
    expect(sampleProgress([{ visitors: 900 }, { visitors: 600 }], 1_200)).toEqual({
      smallest: 600,
      share: 0.5,
    });
    expect(sampleProgress([], 1_200)).toEqual({ smallest: 0, share: 0 });
  });
});

describe('projectedSmallestArm', () => {
  it("takes the smallest arm's share of the visitors so far of the projected total", () => {
    const arms = [
      { visitors: 300, weight: 0.5 },
      { visitors: 100, weight: 0.5 },
    ];
    expect(projectedSmallestArm(arms, { projectedVisitors: 4_000 })).toBe(1_000);
  });

  it('uses the weights before any visitor, and says nothing without a projection', () => {
    const arms = [
      { visitors: 0, weight: 0.8 },
      { visitors: 0, weight: 0.2 },
    ];
    expect(projectedSmallestArm(arms, { projectedVisitors: 1_000 })).toBe(200);
    expect(projectedSmallestArm(arms, { projectedVisitors: null })).toBeNull();
  });
});
