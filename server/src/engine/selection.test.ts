import { compileRule } from './rules';
import {
  compareVariants,
  isCandidate,
  pickVariant,
  shadowingVariant,
  specificity,
  type StoredVariant,
} from './selection';
import type { CompiledRule, VariantDefinition } from './types';

const variant = (
  overrides: Partial<VariantDefinition> & { documentId: string }
): VariantDefinition => ({
  name: overrides.documentId,
  persona: null,
  stage: null,
  rule: null,
  priority: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  overrides: {},
  ...overrides,
});

describe('specificity', () => {
  it('is 3 for persona+stage, 2 for persona, 1 for stage, 0 for neither', () => {
    expect(specificity({ persona: 'p', stage: 's' })).toBe(3);
    expect(specificity({ persona: 'p', stage: null })).toBe(2);
    expect(specificity({ persona: null, stage: 's' })).toBe(1);
    expect(specificity({ persona: null, stage: null })).toBe(0);
  });
});

describe('isCandidate', () => {
  const visitsAtLeast2 = compileRule({ '>=': [{ var: 'visits' }, 2] }) as CompiledRule;

  it('needs persona and stage null or equal, and the rule absent or truthy', () => {
    const data = { visits: 3 };
    expect(isCandidate(variant({ documentId: 'a' }), null, null, data)).toBe(true);
    expect(isCandidate(variant({ documentId: 'a', persona: 'family' }), 'family', null, data)).toBe(
      true
    );
    expect(isCandidate(variant({ documentId: 'a', persona: 'family' }), 'fleet', null, data)).toBe(
      false
    );
    expect(isCandidate(variant({ documentId: 'a', persona: 'family' }), null, null, data)).toBe(
      false
    );
    expect(
      isCandidate(variant({ documentId: 'a', stage: 'purchase' }), null, 'purchase', data)
    ).toBe(true);
    expect(
      isCandidate(variant({ documentId: 'a', stage: 'purchase' }), null, 'awareness', data)
    ).toBe(false);
    expect(isCandidate(variant({ documentId: 'a', rule: visitsAtLeast2 }), null, null, data)).toBe(
      true
    );
    expect(
      isCandidate(variant({ documentId: 'a', rule: visitsAtLeast2 }), null, null, { visits: 1 })
    ).toBe(false);
  });

  it('does not evaluate the rule when persona or stage already rule the variant out', () => {
    const rule = Object.assign(
      jest.fn(() => true),
      { reads: new Set<string>(), logic: true }
    );
    expect(isCandidate(variant({ documentId: 'a', persona: 'x', rule }), 'y', null, {})).toBe(
      false
    );
    expect(rule).not.toHaveBeenCalled();
  });
});

describe('compareVariants and pickVariant', () => {
  const low = variant({ documentId: 'low', priority: 0, persona: 'p', stage: 's' });
  const high = variant({ documentId: 'high', priority: 5 });
  const specific = variant({ documentId: 'specific', persona: 'p' });
  const general = variant({ documentId: 'general', stage: 's' });
  const older = variant({ documentId: 'z-older', createdAt: '2025-06-01T00:00:00.000Z' });
  const newer = variant({ documentId: 'a-newer', createdAt: '2025-07-01T00:00:00.000Z' });

  it('orders by priority desc first', () => {
    expect(compareVariants(high, low)).toBeLessThan(0);
    expect(pickVariant([low, high])).toBe(high);
  });

  it('then by specificity desc', () => {
    expect(pickVariant([general, specific])).toBe(specific);
    expect(pickVariant([general, specific, low])).toBe(low);
  });

  it('then by createdAt asc, comparing instants (not text)', () => {
    expect(pickVariant([newer, older])).toBe(older);
    const offset = variant({ documentId: 'b', createdAt: '2025-06-01T01:00:00+02:00' }); // 23:00Z the day before
    expect(pickVariant([older, offset])).toBe(offset);
  });

  it('then by documentId asc, so the order is total', () => {
    const a = variant({ documentId: 'a' });
    const b = variant({ documentId: 'b' });
    expect(pickVariant([b, a])).toBe(a);
    expect(pickVariant([a, b])).toBe(a);
    expect(compareVariants(a, a)).toBe(0);
  });

  it('picks null from no candidates and never mutates its input', () => {
    expect(pickVariant([])).toBeNull();
    const input = Object.freeze([newer, older, high, low]);
    expect(pickVariant(input)).toBe(high);
    expect(input).toEqual([newer, older, high, low]);
  });

  it('is independent of input order', () => {
    const all = [low, high, specific, general, older, newer];
    for (let i = 0; i < all.length; i++) {
      const rotated = [...all.slice(i), ...all.slice(0, i)];
      expect(pickVariant(rotated)).toBe(high);
      expect(pickVariant(rotated.reverse())).toBe(high);
    }
  });
});

describe('shadowingVariant', () => {
  const stored = (fields: Partial<StoredVariant> & { documentId: string }): StoredVariant => ({
    persona: null,
    stage: null,
    rule: null,
    priority: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  });
  const family = stored({ documentId: 'family', persona: 'family' });

  it('finds a broader variant with a higher priority: it is a candidate wherever this one is', () => {
    const everyone = stored({ documentId: 'everyone', priority: 5 });
    expect(shadowingVariant(family, [family, everyone])).toBe(everyone);
  });

  it('finds an equally targeted variant that comes first (created earlier)', () => {
    const older = stored({
      documentId: 'older',
      persona: 'family',
      createdAt: '2025-12-31T00:00:00.000Z',
    });
    expect(shadowingVariant(family, [older, family])).toBe(older);
    expect(shadowingVariant(older, [older, family])).toBeNull();
  });

  it('treats an identical rule as covering, a different or missing rule as not', () => {
    const rule = { '>=': [{ var: 'visits' }, 2] };
    const ruled = stored({ documentId: 'ruled', persona: 'family', rule, priority: 1 });
    const same = stored({
      documentId: 'same',
      rule: { '>=': [{ var: 'visits' }, 2] },
      priority: 2,
    });
    const other = stored({
      documentId: 'other',
      rule: { '>=': [{ var: 'visits' }, 3] },
      priority: 2,
    });
    expect(shadowingVariant(ruled, [ruled, same])).toBe(same);
    expect(shadowingVariant(ruled, [ruled, other])).toBeNull();
    // A variant with a rule never covers one without: the rule may not match.
    expect(shadowingVariant(family, [family, { ...same, persona: 'family' }])).toBeNull();
  });

  it('ignores narrower or differently targeted variants, whatever their priority', () => {
    const familyCustomer = stored({
      documentId: 'fc',
      persona: 'family',
      stage: 'customer',
      priority: 9,
    });
    const fleet = stored({ documentId: 'fleet', persona: 'fleet', priority: 9 });
    expect(shadowingVariant(family, [family, familyCustomer, fleet])).toBeNull();
  });

  it('lets specificity decide between equal priorities: the more specific is not shadowed', () => {
    const everyone = stored({ documentId: 'everyone', createdAt: '2020-01-01T00:00:00.000Z' });
    expect(shadowingVariant(family, [everyone, family])).toBeNull();
    expect(shadowingVariant(everyone, [everyone, family])).toBeNull();
  });
});
