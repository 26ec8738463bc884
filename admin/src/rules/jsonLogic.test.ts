import { compileRule, evaluationData, parseVisitorContext } from '../../../server/src/engine';
import type { CompiledRule } from '../../../server/src/engine/types';
import {
  CONTEXT_FIELDS,
  equivalentRules,
  FIELD_GROUPS,
  fieldsFor,
  groupOf,
  queryToRule,
  ruleAt,
  ruleToQuery,
  type JsonLogic,
} from './jsonLogic';

/** A seeded PRNG, so that a failing context can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const random = prng(4);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const maybe = <T>(value: () => T): T | undefined => (random() < 0.6 ? value() : undefined);

const visitor = (input: unknown) => {
  const parsed = parseVisitorContext(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

/** Visitor contexts that exercise every field the rules below read. */
const contexts = Array.from({ length: 400 }, () =>
  evaluationData(
    visitor({
      visits: maybe(() => Math.floor(random() * 12)),
      pageViews: maybe(() => Math.floor(random() * 40)),
      events: maybe(() =>
        ['configurator_completed', 'test_drive_booked', 'brochure', 'purchased'].filter(
          () => random() < 0.4
        )
      ),
      utm: maybe(() => ({
        source: pick(['google', 'newsletter', 'facebook', 'fleet-expo']),
        campaign: pick(['family-spring', 'ev-launch', 'fleet-2026', 'spring-family']),
      })),
      referrer: maybe(() => pick(['https://www.google.de/', 'https://news.example.com/', ''])),
      geo: maybe(() => ({ country: pick(['DE', 'AT', 'CH', 'FR', 'US']) })),
      device: maybe(() => pick(['mobile', 'tablet', 'desktop', 'other'] as const)),
      locale: maybe(() => pick(['de-DE', 'en-GB', 'fr-FR'])),
      traits: maybe(() => ({
        interests: ['family', 'speed', 'safety'].filter(() => random() < 0.5),
        fleetSize: Math.floor(random() * 200),
        customerType: pick(['private', 'business']),
      })),
      consent: maybe(() => ({ personalization: random() < 0.8, analytics: random() < 0.5 })),
      interests: maybe(() => ({ safety: random() * 40, 'fleet-ops': random() * 40 })),
      topInterest: maybe(() => pick(['safety', 'fleet-ops', null])),
    }),
    { now: new Date(Date.UTC(2026, 10, 25, Math.floor(random() * 24))) }
  )
);

const SAMPLES = [{ traits: { interests: ['family'], fleetSize: 10, customerType: 'business' } }];

/** Rules the visual builder must show, and give back unchanged in meaning. */
const ROUND_TRIPS: [string, JsonLogic][] = [
  ['a comparison', { '>=': [{ var: 'visits' }, 3] }],
  ['an interest score', { '>=': [{ var: 'interests.fleet-ops' }, 12.5] }],
  ['the top interest', { in: [{ var: 'topInterest' }, ['safety', 'fleet-ops']] }],
  ['strict equality stays strict', { '===': [{ var: 'device' }, 'mobile'] }],
  ['strict inequality', { '!==': [{ var: 'geo.country' }, 'DE'] }],
  [
    'and of two',
    { and: [{ '>=': [{ var: 'visits' }, 2] }, { '==': [{ var: 'device' }, 'mobile'] }] },
  ],
  [
    'nested groups',
    {
      or: [
        { and: [{ '>': [{ var: 'pageViews' }, 5] }, { '<': [{ var: 'visits' }, 3] }] },
        {
          and: [
            { '==': [{ var: 'utm.source' }, 'newsletter'] },
            { '!=': [{ var: 'locale' }, 'fr-FR'] },
          ],
        },
      ],
    },
  ],
  [
    'a negated group',
    { '!': { and: [{ '>=': [{ var: 'visits' }, 2] }, { '==': [{ var: 'device' }, 'desktop'] }] } },
  ],
  ['a negated comparison', { '!': { '==': [{ var: 'utm.source' }, 'google'] } }],
  ['in a list', { in: [{ var: 'geo.country' }, ['DE', 'AT', 'CH']] }],
  ['not in a list', { '!': { in: [{ var: 'geo.country' }, ['DE', 'AT']] } }],
  ['an event in the events', { in: ['configurator_completed', { var: 'events' }] }],
  ['a trait list contains', { in: ['family', { var: 'traits.interests' }] }],
  ['substring in text', { in: ['spring', { var: 'utm.campaign' }] }],
  ['between, inclusive', { '<=': [8, { var: 'now.hour' }, 18] }],
  ['starts_with (custom operator)', { starts_with: [{ var: 'referrer' }, 'https://www.google.'] }],
  ['ends_with (custom operator)', { ends_with: [{ var: 'utm.campaign' }, '-spring'] }],
  [
    'starts_with inside an and group',
    {
      and: [{ starts_with: [{ var: 'utm.campaign' }, 'family'] }, { '>=': [{ var: 'visits' }, 1] }],
    },
  ],
  ['exists', { '!!': { var: 'utm.campaign' } }],
  ['does not exist', { '!': { var: 'geo.country' } }],
  ['a number trait', { '>': [{ var: 'traits.fleetSize' }, 50] }],
  ['a boolean field', { '==': [{ var: 'consent.analytics' }, true] }],
  [
    'three levels deep with mixed negations',
    {
      and: [
        {
          or: [
            { in: ['fleet-expo', { var: 'utm.source' }] },
            { '==': [{ var: 'traits.customerType' }, 'business'] },
          ],
        },
        { '!': { or: [{ '==': [{ var: 'device' }, 'mobile'] }, { '!': { var: 'visits' } }] } },
      ],
    },
  ],
];

/** Rules the builder cannot show: the editor must open the raw JSON tab for them. */
const LOSSY: [string, JsonLogic, 'constant' | 'unsupported'][] = [
  ['a constant', true, 'constant'],
  ['if / else', { if: [{ '==': [{ var: 'device' }, 'mobile'] }, true, false] }, 'unsupported'],
  ['var with a default', { '==': [{ var: ['utm.source', 'direct'] }, 'direct'] }, 'unsupported'],
  [
    'some over the events',
    { some: [{ var: 'events' }, { starts_with: [{ var: '' }, 'test'] }] },
    'unsupported',
  ],
  [
    'an unknown operator inside an and (never silently dropped)',
    { and: [{ '>=': [{ var: 'visits' }, 1] }, { cat: ['a', 'b'] }] },
    'unsupported',
  ],
  ['mixed-type list', { in: [{ var: 'visits' }, [1, '2', 3]] }, 'unsupported'],
  ['an undocumented field', { '==': [{ var: 'colour' }, 'red'] }, 'unsupported'],
  ['arithmetic', { '>': [{ '+': [{ var: 'visits' }, { var: 'pageViews' }] }, 10] }, 'unsupported'],
];

const compiled = (rule: JsonLogic) => compileRule(rule) as CompiledRule;

describe('the rule editor round trip: JSON-logic → builder → JSON-logic', () => {
  it.each(ROUND_TRIPS)('%s', (_name, rule) => {
    const fields = fieldsFor(rule, SAMPLES);
    const imported = ruleToQuery(rule, fields);
    if (!imported.ok) throw new Error(`not shown in the builder: ${imported.reason}`);
    const exported = queryToRule(imported.query, fields);
    expect(equivalentRules(exported, rule)).toBe(true);
    // Equivalent in meaning too: the engine agrees on every sample visitor.
    const before = compiled(rule);
    const after = compiled(exported);
    const differing = contexts.filter((data) => before(data) !== after(data));
    expect(differing).toEqual([]);
    // And stable: a second round trip changes nothing.
    const again = ruleToQuery(exported, fields);
    expect(again.ok && queryToRule(again.query, fields)).toEqual(exported);
  });

  it('exercises the rules: every round-trip rule matches some visitors and not others', () => {
    for (const [name, rule] of ROUND_TRIPS) {
      const matches = contexts.filter((data) => compiled(rule)(data)).length;
      expect([name, matches > 0 && matches < contexts.length]).toEqual([name, true]);
    }
  });

  it.each(LOSSY)('refuses to show %s in the builder', (_name, rule, reason) => {
    expect(ruleToQuery(rule, fieldsFor(rule, SAMPLES))).toEqual({ ok: false, reason });
  });

  it('turns an empty builder into "no rule" and "no rule" into an empty builder', () => {
    const imported = ruleToQuery(null, CONTEXT_FIELDS);
    expect(imported).toEqual({ ok: true, query: { combinator: 'and', rules: [] } });
    expect(queryToRule({ combinator: 'and', rules: [] }, CONTEXT_FIELDS)).toBeNull();
  });

  it('exports what an editor types with the right types: numbers, lists, booleans', () => {
    const fields = fieldsFor(null, SAMPLES);
    expect(
      queryToRule(
        {
          combinator: 'or',
          rules: [
            { field: 'visits', operator: '>=', value: '3' },
            { field: 'geo.country', operator: 'in', value: 'DE, AT' },
            { field: 'now.hour', operator: 'between', value: ['8', '18'] },
            { field: 'consent.analytics', operator: '==', value: 'true' },
            { field: 'traits.interests', operator: 'contains', value: 'family' },
          ],
        },
        fields
      )
    ).toEqual({
      or: [
        { '>=': [{ var: 'visits' }, 3] },
        { in: [{ var: 'geo.country' }, ['DE', 'AT']] },
        { '<=': [8, { var: 'now.hour' }, 18] },
        { '==': [{ var: 'consent.analytics' }, true] },
        { in: ['family', { var: 'traits.interests' }] },
      ],
    });
  });

  it('tells a changed rule from an equivalent one', () => {
    expect(
      equivalentRules({ and: [{ '==': [{ var: 'visits' }, 1] }] }, { '==': [{ var: 'visits' }, 1] })
    ).toBe(true);
    expect(
      equivalentRules({ '===': [{ var: 'visits' }, 1] }, { '==': [{ var: 'visits' }, 1] })
    ).toBe(false);
    expect(equivalentRules({ '!': [{ '!': { var: 'x' } }] }, { '!!': { var: 'x' } })).toBe(true);
  });
});

describe('the field picker and the rule test', () => {
  it('puts every field in a group, and adds the traits an editor just named', () => {
    expect(CONTEXT_FIELDS.every((field) => FIELD_GROUPS.includes(field.group))).toBe(true);
    const fields = fieldsFor(null, SAMPLES, ['traits.tier', 'utm.source', 'traits.a.b']);
    const traits = fields.filter((field) => field.group === 'traits').map((field) => field.name);
    expect(traits).toEqual([
      'traits.customerType',
      'traits.fleetSize',
      'traits.interests',
      'traits.tier',
    ]);
  });

  it('offers a score field per interest, and the top interest as a choice among them', () => {
    const interests = [
      { slug: 'safety', name: 'Safety' },
      { slug: 'fleet-ops', name: 'Fleet operations' },
    ];
    const fields = fieldsFor(
      { '>': [{ var: 'interests.gone' }, 1] },
      [{ interests: { range: 3 } }],
      ['interests.typed', 'interests.Not A Slug'],
      interests
    );
    const group = fields.filter((field) => field.group === 'interests');
    expect(group.map((field) => [field.name, field.kind])).toEqual([
      ['topInterest', 'select'],
      ['interests.fleet-ops', 'number'],
      ['interests.gone', 'number'],
      ['interests.range', 'number'],
      ['interests.safety', 'number'],
      ['interests.typed', 'number'],
    ]);
    expect(group[0].values).toEqual([
      { name: 'safety', label: 'Safety' },
      { name: 'fleet-ops', label: 'Fleet operations' },
    ]);
    // Without interests, the top interest is typed.
    expect(fieldsFor(null).find((field) => field.name === 'topInterest')?.kind).toBe('text');
    // A score typed in the builder is a number in the rule.
    expect(
      queryToRule(
        {
          combinator: 'and',
          rules: [
            { field: 'interests.safety', operator: '>=', value: '20' },
            { field: 'topInterest', operator: '==', value: 'safety' },
          ],
        },
        fields
      )
    ).toEqual({
      and: [
        { '>=': [{ var: 'interests.safety' }, 20] },
        { '==': [{ var: 'topInterest' }, 'safety'] },
      ],
    });
  });

  it('finds the part of a rule at a validation path, and a group through its negation', () => {
    const rule = { or: [{ '!': { and: [{ var: 'a' }, { var: 'b' }] } }, { '!': [{ or: [] }] }] };
    expect(ruleAt(rule, '')).toBe(rule);
    expect(ruleAt(rule, 'or.0.!.and.1')).toEqual({ var: 'b' });
    expect(ruleAt(rule, 'or.7.x')).toBeUndefined();
    expect(groupOf(rule)).toEqual({ combinator: 'or', negated: false });
    expect(groupOf(ruleAt(rule, 'or.0'))).toEqual({ combinator: 'and', negated: true });
    expect(groupOf(ruleAt(rule, 'or.1'))).toEqual({ combinator: 'or', negated: true });
    expect(groupOf({ '!!': { '!': { and: [] } } })).toEqual({ combinator: 'and', negated: true });
    expect(groupOf({ '!': { var: 'a' } })).toBeNull();
  });
});
