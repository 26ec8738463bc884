import { bucketOf } from './experiments';
import { holdoutPosition, inHoldout, NO_HOLDOUT } from './holdout';

const ids = Array.from({ length: 100_000 }, (_, index) => `visitor-${index}`);

describe('inHoldout', () => {
  it.each([0.01, 0.05, 0.1, 0.2])(
    'holds out %p of 100,000 visitor ids, within binomial bounds',
    (share) => {
      const held = ids.filter((id) => inHoldout({ share, seed: 'seed-a' }, id)).length;
      // 4 standard deviations of Binomial(100,000, share): fails by chance about once in 16,000.
      const sd = Math.sqrt(ids.length * share * (1 - share));
      expect(Math.abs(held - ids.length * share)).toBeLessThan(4 * sd);
    }
  );

  it('is deterministic, and a new seed draws a new holdout of the same size', () => {
    const holdout = { share: 0.1, seed: 'seed-a' };
    const first = ids.filter((id) => inHoldout(holdout, id));
    expect(ids.filter((id) => inHoldout({ ...holdout }, id))).toEqual(first);
    const redrawn = new Set(ids.filter((id) => inHoldout({ share: 0.1, seed: 'seed-b' }, id)));
    const both = first.filter((id) => redrawn.has(id)).length;
    // Independent draws overlap by share² of the visitors: 1,000 of 100,000.
    expect(Math.abs(both - 1_000)).toBeLessThan(4 * Math.sqrt(1_000));
  });

  it('keeps every held-out visitor held out when the share grows (a monotone rollout)', () => {
    const small = ids.filter((id) => inHoldout({ share: 0.05, seed: 's' }, id));
    expect(small.every((id) => inHoldout({ share: 0.2, seed: 's' }, id))).toBe(true);
  });

  it('is independent of experiment bucketing with the same seed', () => {
    // Visitors in the first half of an experiment's traffic are held out at the same rate.
    const inFirstHalf = ids.filter((id) => bucketOf('s', 'tone', id) < 0.5);
    const held = inFirstHalf.filter((id) => inHoldout({ share: 0.1, seed: 's' }, id)).length;
    const expected = inFirstHalf.length * 0.1;
    expect(Math.abs(held - expected)).toBeLessThan(4 * Math.sqrt(expected * 0.9));
    expect(holdoutPosition('s', 'v')).not.toBe(bucketOf('s', 'holdout', 'v'));
  });

  it('never holds out a visitor without an id, or anyone while off', () => {
    for (const visitorId of [undefined, null, '', 42]) {
      expect(inHoldout({ share: 0.2, seed: 's' }, visitorId)).toBe(false);
    }
    expect(ids.some((id) => inHoldout(NO_HOLDOUT, id))).toBe(false);
  });
});
