import { decide } from './decide';
import {
  applyProfileChange,
  decayedScore,
  interestScores,
  mergeProfile,
  topInterestOf,
  type Profile,
  type ProfileChange,
  type ProfileRules,
} from './profiles';
import type { StageDefinition } from './types';
import { evaluationData } from './context';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2026, 11, 1);

const STAGE_ORDER: Record<string, number> = { awareness: 1, consideration: 2, decision: 3 };
const rules: ProfileRules = {
  visitGapMs: 30 * MINUTE,
  halfLifeDays: (slug) => ({ safety: 30, fleet: 7 })[slug],
  stageOrder: (slug) => STAGE_ORDER[slug],
};

const view = (at: number, extra: Partial<Extract<ProfileChange, { kind: 'view' }>> = {}) =>
  ({ kind: 'view', at, signals: [], stage: null, ...extra }) as const;

const applyAll = (changes: ProfileChange[], start: Profile | null = null) =>
  changes.reduce<Profile | null>(
    (profile, change) => applyProfileChange(profile, change, rules),
    start
  ) as Profile;

describe('applyProfileChange', () => {
  it('counts page views, and a visit after each gap longer than visitGapMs', () => {
    const profile = applyAll([
      view(T0),
      view(T0 + 29 * MINUTE),
      view(T0 + 60 * MINUTE),
      view(T0 + 61 * MINUTE),
    ]);
    expect(profile).toMatchObject({
      visits: 2,
      pageViews: 4,
      firstSeen: T0,
      lastViewAt: T0 + 61 * MINUTE,
    });
  });

  // Visits excepted: they count gaps between views, which assumes views come in time order.
  it('gives the same profile whatever order the same changes are applied in', () => {
    const changes: ProfileChange[] = [
      view(T0, { signals: [{ interest: 'safety', points: 10 }], stage: 'consideration' }),
      { kind: 'event', at: T0 + DAY, name: 'purchase' },
      view(T0 + 10 * DAY, { signals: [{ interest: 'safety', points: 20 }], stage: 'awareness' }),
      { kind: 'traits', at: T0 + 2 * DAY, traits: { plan: 'pro' }, replace: false },
      { kind: 'event', at: T0 + 3 * DAY, name: 'purchase' },
    ];
    const forward = applyAll(changes);
    const backward = applyAll([...changes].reverse());
    expect(backward.interests.safety.score).toBeCloseTo(forward.interests.safety.score, 10);
    expect({ ...backward, interests: {}, visits: 0 }).toEqual({
      ...forward,
      interests: {},
      visits: 0,
    });
    expect(forward).toMatchObject({
      stageReached: 'consideration',
      events: { purchase: { count: 2, last: T0 + 3 * DAY } },
      traits: { plan: 'pro' },
    });
  });

  it('ignores signals of unknown interests and stages that no longer exist', () => {
    const profile = applyAll([
      view(T0, { signals: [{ interest: 'gone', points: 5 }], stage: 'gone' }),
    ]);
    expect(Object.keys(profile.interests)).toEqual([]);
    expect(profile.stageReached).toBeNull();
  });

  it('replaces traits on a replacing change, merges otherwise', () => {
    const merged = applyAll([
      { kind: 'traits', at: T0, traits: { plan: 'pro', seats: 3 }, replace: false },
      { kind: 'traits', at: T0, traits: { seats: 5 }, replace: false },
    ]);
    expect(merged.traits).toEqual({ plan: 'pro', seats: 5 });
    const replaced = applyProfileChange(
      merged,
      { kind: 'traits', at: T0, traits: { tier: 'gold' }, replace: true },
      rules
    );
    expect(replaced.traits).toEqual({ tier: 'gold' });
    // The input is never changed.
    expect(merged.traits).toEqual({ plan: 'pro', seats: 5 });
  });
});

describe('interest scores', () => {
  it('halve with each half-life', () => {
    expect(decayedScore({ score: 40, at: T0 }, 30, T0 + 30 * DAY)).toBeCloseTo(20, 10);
    expect(decayedScore({ score: 40, at: T0 }, 30, T0 + 60 * DAY)).toBeCloseTo(10, 10);
    const profile = applyAll([
      view(T0, {
        signals: [
          { interest: 'safety', points: 40 },
          { interest: 'fleet', points: 40 },
        ],
      }),
    ]);
    expect(
      interestScores(
        profile,
        [
          { slug: 'safety', halfLifeDays: 30 },
          { slug: 'fleet', halfLifeDays: 7 },
        ],
        T0 + 7 * DAY
      )
    ).toEqual({ safety: 34.03, fleet: 20 });
  });

  it('name the top interest at or above the threshold, ties by slug', () => {
    expect(topInterestOf({ safety: 12, fleet: 30 }, 10)).toBe('fleet');
    expect(topInterestOf({ safety: 12, fleet: 12 }, 10)).toBe('fleet');
    expect(topInterestOf({ safety: 9.99 }, 10)).toBeNull();
    expect(topInterestOf({}, 0)).toBeNull();
  });
});

describe('mergeProfile', () => {
  const profile = applyAll([
    view(T0, { signals: [{ interest: 'safety', points: 30 }] }),
    { kind: 'event', at: T0, name: 'brochure' },
    { kind: 'traits', at: T0, traits: { plan: 'pro', region: 'north' }, replace: false },
  ]);
  const options = {
    interests: [{ slug: 'safety', halfLifeDays: 30 }],
    visitGapMs: 30 * MINUTE,
    topInterestThreshold: 10,
  };

  it('completes the context; what the request states wins', () => {
    const { context, use } = mergeProfile(
      { visitorId: 'v', events: ['cart'], traits: { plan: 'free' }, pageViews: 9 },
      profile,
      { ...options, now: T0 + 5 * MINUTE }
    );
    expect(context).toMatchObject({
      visits: 1,
      pageViews: 9,
      events: ['cart', 'brochure'],
      traits: { plan: 'free', region: 'north' },
      interests: { safety: 30 },
      topInterest: 'safety',
    });
    expect(use).toEqual({ visits: 1, pageViews: 9, topInterest: 'safety', stageReached: null });
  });

  it('counts the request as a new visit after the gap', () => {
    const { use } = mergeProfile({ visitorId: 'v' }, profile, {
      ...options,
      now: T0 + 31 * MINUTE,
    });
    expect(use.visits).toBe(2);
    expect(use.pageViews).toBe(1);
  });

  it('lets a stated topInterest (even null) win', () => {
    const { context } = mergeProfile({ visitorId: 'v', topInterest: null }, profile, {
      ...options,
      now: T0,
    });
    expect(context.topInterest).toBeNull();
  });
});

describe('a sticky stage in decide', () => {
  const stages: StageDefinition[] = [
    {
      slug: 'awareness',
      name: 'Awareness',
      order: 1,
      rule: Object.assign(() => true, { reads: new Set<string>(), logic: true }),
    },
    {
      slug: 'decision',
      name: 'Decision',
      order: 3,
      rule: Object.assign(() => false, { reads: new Set<string>(), logic: false }),
    },
  ];
  const data = evaluationData({ visitorId: 'v' }, { now: new Date(T0) });
  const decideWith = (stageReached: string | null, extra = {}) =>
    decide({
      personas: [],
      stages,
      variants: [],
      experiments: [],
      evaluationData: { ...data, ...extra },
      stageReached,
    });

  it('wins over a rule-matched stage that is not as far', () => {
    expect(decideWith('decision')).toMatchObject({ stage: 'decision', stageSource: 'profile' });
  });

  it('never over an explicit stage, nor when it is behind or unknown', () => {
    expect(decideWith('decision', { stage: 'awareness' })).toMatchObject({
      stage: 'awareness',
      stageSource: 'explicit',
    });
    expect(decideWith('gone')).toMatchObject({ stage: 'awareness', stageSource: 'rule' });
    expect(decideWith(null)).toMatchObject({ stage: 'awareness', stageSource: 'rule' });
  });
});
