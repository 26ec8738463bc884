import { matchConditions } from './rule-match';
import { compileRule, RuleError } from './rules';
import type { EvaluationData } from './types';

const visitor: EvaluationData = {
  visits: 3,
  device: 'mobile',
  utm: { campaign: 'eco-week' },
  events: ['configurator_completed'],
  traits: { tier: 'gold' },
};

const visits = { '>=': [{ var: 'visits' }, 2] };
const desktop = { '==': [{ var: 'device' }, 'desktop'] };
const eco = { in: ['eco', { var: 'utm.campaign' }] };
const gold = { '==': [{ var: 'traits.tier' }, 'gold'] };

describe('matchConditions', () => {
  it('judges each condition of an and on its own, with the paths validation uses', () => {
    expect(matchConditions({ and: [visits, desktop, eco] }, visitor)).toEqual({
      path: '',
      matched: false,
      conditions: [
        { path: 'and.0', matched: true },
        { path: 'and.1', matched: false },
        { path: 'and.2', matched: true },
      ],
    });
  });

  it('goes into nested groups, and through a negation to the group it negates', () => {
    const rule = {
      or: [desktop, { '!': { and: [visits, gold] } }, { and: [eco, { or: [gold] }] }],
    };
    expect(matchConditions(rule, visitor)).toEqual({
      path: '',
      matched: true,
      conditions: [
        { path: 'or.0', matched: false },
        {
          path: 'or.1',
          matched: false,
          conditions: [
            { path: 'or.1.!.and.0', matched: true },
            { path: 'or.1.!.and.1', matched: true },
          ],
        },
        {
          path: 'or.2',
          matched: true,
          conditions: [
            { path: 'or.2.and.0', matched: true },
            {
              path: 'or.2.and.1',
              matched: true,
              conditions: [{ path: 'or.2.and.1.or.0', matched: true }],
            },
          ],
        },
      ],
    });
  });

  it('names a negation listed as one argument by its index', () => {
    expect(matchConditions({ '!': [{ or: [desktop, eco] }] }, visitor)).toEqual({
      path: '',
      matched: false,
      conditions: [
        { path: '!.0.or.0', matched: false },
        { path: '!.0.or.1', matched: true },
      ],
    });
  });

  it('keeps a single condition, a negated condition and a constant whole', () => {
    expect(matchConditions(visits, visitor)).toEqual({ path: '', matched: true });
    expect(matchConditions({ '!': { in: ['x', { var: 'events' }] } }, visitor)).toEqual({
      path: '',
      matched: true,
    });
    expect(matchConditions(false, visitor)).toEqual({ path: '', matched: false });
  });

  it('judges the whole rule as the delivery does', () => {
    const rules = [
      { and: [visits, { or: [desktop, gold] }] },
      { or: [desktop, { '!!': { var: 'traits.missing' } }] },
      { some: [{ var: 'events' }, { '==': [{ var: '' }, 'configurator_completed'] }] },
    ];
    for (const rule of rules) {
      expect(matchConditions(rule, visitor)?.matched).toBe(compileRule(rule)!(visitor));
    }
  });

  it('is null without a rule and refuses an invalid one', () => {
    expect(matchConditions(null, visitor)).toBeNull();
    expect(() => matchConditions({ and: [{ log: 1 }] }, visitor)).toThrow(RuleError);
    expect(() => matchConditions({ '==': [{ var: 'utm.campain' }, 'x'] }, visitor)).toThrow(
      /utm\.campain/
    );
  });
});
