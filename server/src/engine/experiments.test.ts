import {
  applyExperiments,
  armAt,
  assignArm,
  bucketArm,
  bucketOf,
  normalizeWeights,
  type ExperimentDefinition,
} from './experiments';
import { hash32 } from './segment';
import type { Decision, EvaluationData, VariantDefinition } from './types';

const experiment = (overrides: Partial<ExperimentDefinition> = {}): ExperimentDefinition => ({
  documentId: 'exp-1',
  key: 'cta-test',
  seed: 'f00dfeed',
  locale: null,
  status: 'running',
  winner: null,
  arms: [
    { key: 'control', variant: null, weight: 0.5 },
    { key: 'offer', variant: 'variant-offer', weight: 0.5 },
  ],
  trafficAllocation: 1,
  audience: null,
  goal: 'cta_click',
  ...overrides,
});

const visitors = (count: number, prefix = 'visitor') =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

/** How many standard deviations `observed` is from a binomial's mean. */
const zScore = (observed: number, trials: number, p: number) =>
  (observed - trials * p) / Math.sqrt(trials * p * (1 - p));

describe('bucketOf', () => {
  it('hashes seed:key:visitorId with MurmurHash3 x86 32 into [0, 1)', () => {
    expect(bucketOf('s', 'k', 'v')).toBe(hash32('s:k:v') / 2 ** 32);
    expect(bucketOf('s', 'k', 'v', 'arm')).toBe(hash32('s:k:v:arm') / 2 ** 32);
    for (const id of visitors(1_000)) {
      const position = bucketOf('seed', 'key', id);
      expect(position).toBeGreaterThanOrEqual(0);
      expect(position).toBeLessThan(1);
    }
  });

  it('is the same for the same inputs and differs with seed, key or salt', () => {
    expect(bucketOf('a', 'k', 'v')).toBe(bucketOf('a', 'k', 'v'));
    expect(bucketOf('a', 'k', 'v')).not.toBe(bucketOf('b', 'k', 'v'));
    expect(bucketOf('a', 'k', 'v')).not.toBe(bucketOf('a', 'j', 'v'));
    expect(bucketOf('a', 'k', 'v')).not.toBe(bucketOf('a', 'k', 'v', 'arm'));
  });
});

describe('armAt', () => {
  const arms = normalizeWeights([
    { key: 'control', variant: null, weight: 1 },
    { key: 'b', variant: 'x', weight: 2 },
    { key: 'c', variant: 'y', weight: 1 },
  ]);

  it('picks by cumulative weight', () => {
    expect(arms.map((arm) => arm.weight)).toEqual([0.25, 0.5, 0.25]);
    expect(armAt(arms, 0).key).toBe('control');
    expect(armAt(arms, 0.2499).key).toBe('control');
    expect(armAt(arms, 0.25).key).toBe('b');
    expect(armAt(arms, 0.7499).key).toBe('b');
    expect(armAt(arms, 0.75).key).toBe('c');
    expect(armAt(arms, 0.999999).key).toBe('c');
  });

  it('gives the last arm what rounding leaves above the sum', () => {
    const thirds = [1, 2, 3].map((n) => ({ key: `a${n}`, variant: null, weight: 0.3333333 }));
    expect(armAt(thirds, 0.9999999999).key).toBe('a3');
  });
});

describe('bucketArm', () => {
  it('splits 100,000 visitors 50/50 and 90/10 within 4 standard deviations', () => {
    const ids = visitors(100_000);
    const even = ids.filter((id) => bucketArm(experiment(), id)?.key === 'offer').length;
    expect(Math.abs(zScore(even, ids.length, 0.5))).toBeLessThan(4);
    const skewed = experiment({
      arms: [
        { key: 'control', variant: null, weight: 0.9 },
        { key: 'offer', variant: 'v', weight: 0.1 },
      ],
    });
    const tenth = ids.filter((id) => bucketArm(skewed, id)?.key === 'offer').length;
    expect(Math.abs(zScore(tenth, ids.length, 0.1))).toBeLessThan(4);
  });

  it('takes `trafficAllocation` of the visitors, and raising it keeps everyone in the same arm', () => {
    const ids = visitors(50_000);
    const at20 = experiment({ trafficAllocation: 0.2 });
    const at50 = experiment({ trafficAllocation: 0.5 });
    const in20 = ids.filter((id) => bucketArm(at20, id) !== null);
    expect(Math.abs(zScore(in20.length, ids.length, 0.2))).toBeLessThan(4);
    for (const id of in20) expect(bucketArm(at50, id)?.key).toBe(bucketArm(at20, id)?.key);
  });

  it('assigns independently in two experiments with different seeds', () => {
    const ids = visitors(40_000, 'u');
    const a = experiment({ seed: 'seed-a' });
    const b = experiment({ seed: 'seed-b', key: 'other' });
    const both = ids.filter(
      (id) => bucketArm(a, id)?.key === 'offer' && bucketArm(b, id)?.key === 'offer'
    ).length;
    expect(Math.abs(zScore(both, ids.length, 0.25))).toBeLessThan(4);
  });
});

describe('assignArm', () => {
  it('needs a visitorId', () => {
    expect(assignArm(experiment(), {})).toBeNull();
    expect(assignArm(experiment(), { visitorId: '' })).toBeNull();
    expect(assignArm(experiment(), { visitorId: 'v-1' })).not.toBeNull();
  });

  it('respects the audience', () => {
    const fleetOnly = experiment({
      audience: Object.assign((data: EvaluationData) => data.persona === 'fleet', {
        reads: new Set(['persona']),
        logic: { '==': [{ var: 'persona' }, 'fleet'] },
      }),
    });
    expect(assignArm(fleetOnly, { visitorId: 'v-1', persona: 'family' })).toBeNull();
    expect(assignArm(fleetOnly, { visitorId: 'v-1', persona: 'fleet' })).not.toBeNull();
  });

  it('gives every would-be participant the winner once completed, and nobody else', () => {
    const ids = visitors(2_000);
    const running = experiment({ trafficAllocation: 0.5 });
    const completed = experiment({ trafficAllocation: 0.5, status: 'completed', winner: 'offer' });
    for (const id of ids) {
      const arm = assignArm(completed, { visitorId: id });
      if (bucketArm(running, id) === null) expect(arm).toBeNull();
      else expect(arm?.key).toBe('offer');
    }
    const noWinner = experiment({ status: 'completed', winner: null });
    expect(ids.every((id) => assignArm(noWinner, { visitorId: id }) === null)).toBe(true);
  });
});

describe('applyExperiments', () => {
  const offer: VariantDefinition = {
    documentId: 'variant-offer',
    name: 'Offer',
    persona: null,
    stage: null,
    rule: null,
    priority: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    overrides: { ctaLabel: 'Get your personal offer' },
  };
  const personalized: Decision = {
    persona: 'family',
    personaSource: 'rule',
    stage: null,
    stageSource: null,
    variant: { ...offer, documentId: 'variant-family' },
    reason: 'persona',
    warnings: [],
  };
  const idIn = (arm: string) =>
    visitors(100).find((id) => bucketArm(experiment(), id)?.key === arm) as string;

  it('replaces the pick with the arm and says so', () => {
    const toOffer = applyExperiments(personalized, [experiment()], [offer], {
      visitorId: idIn('offer'),
    });
    expect(toOffer).toMatchObject({
      variant: offer,
      reason: 'experiment',
      experiment: { key: 'cta-test', arm: 'offer' },
      persona: 'family',
    });
    const toControl = applyExperiments(personalized, [experiment()], [offer], {
      visitorId: idIn('control'),
    });
    expect(toControl).toMatchObject({ variant: null, reason: 'experiment' });
  });

  it('leaves the decision alone when the arm variant is not published here', () => {
    const decision = applyExperiments(personalized, [experiment()], [], {
      visitorId: idIn('offer'),
    });
    expect(decision).toBe(personalized);
  });

  it('leaves the decision alone without a visitorId', () => {
    expect(applyExperiments(personalized, [experiment()], [offer], {})).toBe(personalized);
  });
});
