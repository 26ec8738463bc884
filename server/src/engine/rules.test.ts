import * as jsonLogic from 'json-logic-js';

import {
  ALLOWED_OPERATORS,
  compileRule,
  MAX_ARRAY_LITERAL,
  MAX_RULE_BYTES,
  MAX_RULE_DEPTH,
  NEVER,
  RuleError,
  validateRule,
} from './rules';
import { MAX_RULE_COST, ruleCost } from './rule-cost';
import { serverFactsRead } from './context';
import type { EvaluationData, Issue } from './types';

const data: EvaluationData = {
  persona: 'family',
  visits: 3,
  pageViews: 12,
  events: ['configurator_completed', 'dealer_search'],
  referrer: 'https://www.google.com/search?q=suv',
  utm: { source: 'newsletter', campaign: 'family-suv' },
  geo: { country: 'DE', city: 'Berlin' },
  device: 'mobile',
  traits: { interests: ['family', 'camping'], fleetSize: 40, vip: true },
  now: { hour: 9, weekday: 1, date: '2026-03-02' },
};

const evaluate = (rule: unknown, input: EvaluationData = data) => {
  const compiled = compileRule(rule);
  if (compiled === null) throw new Error('no rule');
  return compiled(input);
};

const paths = (issues: Issue[]) => issues.map((issue) => issue.path);

/** `{"!": {"!": … {"var": "visits"}}}`: `levels` nested objects. */
const nestedNot = (levels: number): unknown => {
  let rule: unknown = { var: 'visits' };
  for (let i = 1; i < levels; i++) rule = { '!': rule };
  return rule;
};

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('ALLOWED_OPERATORS', () => {
  it('lists exactly the operators of docs/rules.md', () => {
    expect([...ALLOWED_OPERATORS].sort()).toEqual(
      [
        ...['var', 'missing', 'missing_some', 'if', '==', '===', '!=', '!==', '!', '!!'],
        ...['and', 'or', '<', '<=', '>', '>=', 'min', 'max', '+', '-', '*', '/', '%'],
        ...['in', 'cat', 'substr', 'some', 'all', 'none', 'starts_with', 'ends_with'],
      ].sort()
    );
  });
});

describe('every allowed operator works', () => {
  it.each<[string, unknown, boolean]>([
    ['var', { var: 'visits' }, true],
    ['var with a dotted path', { '==': [{ var: 'geo.country' }, 'DE'] }, true],
    ['var with a list index', { '==': [{ var: 'events.1' }, 'dealer_search'] }, true],
    ['var with a default', { '==': [{ var: ['utm.medium', 'none'] }, 'none'] }, true],
    ['var of a missing path', { var: 'traits.nope.deeper' }, false],
    ['missing (list)', { missing: ['visits', 'traits.nope'] }, true],
    ['missing (nothing missing)', { '!': { missing: ['visits', 'geo.country'] } }, true],
    ['missing (one list of keys)', { missing: [['visits', 'traits.nope']] }, true],
    ['missing_some', { missing_some: [1, ['visits', 'traits.nope']] }, false],
    ['missing_some (too few)', { missing_some: [2, ['visits', 'traits.nope']] }, true],
    ['if', { if: [{ '>': [{ var: 'visits' }, 2] }, true, false] }, true],
    ['if / else if / else', { if: [false, false, { var: 'traits.nope' }, false, 'yes'] }, true],
    ['==', { '==': [{ var: 'visits' }, '3'] }, true],
    ['===', { '===': [{ var: 'visits' }, '3'] }, false],
    ['!=', { '!=': [{ var: 'visits' }, 4] }, true],
    ['!==', { '!==': [{ var: 'visits' }, 3] }, false],
    ['!', { '!': [{ var: 'traits.nope' }] }, true],
    ['! (unary form)', { '!': { var: 'visits' } }, false],
    ['!!', { '!!': [{ var: 'events' }] }, true],
    ['and', { and: [true, { var: 'visits' }] }, true],
    ['or', { or: [false, 0, ''] }, false],
    ['<', { '<': [{ var: 'visits' }, 5] }, true],
    ['< (between)', { '<': [1, { var: 'visits' }, 3] }, false],
    ['<=', { '<=': [1, { var: 'visits' }, 3] }, true],
    ['>', { '>': [{ var: 'pageViews' }, 8] }, true],
    ['>=', { '>=': [{ var: 'traits.fleetSize' }, 50] }, false],
    ['min', { '==': [{ min: [{ var: 'visits' }, 9, 4] }, 3] }, true],
    ['max', { '==': [{ max: [{ var: 'visits' }, 9] }, 9] }, true],
    ['+', { '==': [{ '+': [{ var: 'visits' }, 1, '2'] }, 6] }, true],
    ['-', { '==': [{ '-': [{ var: 'visits' }, 1] }, 2] }, true],
    ['- (negation)', { '==': [{ '-': [{ var: 'visits' }] }, -3] }, true],
    ['*', { '==': [{ '*': [{ var: 'visits' }, 2] }, 6] }, true],
    ['/', { '==': [{ '/': [{ var: 'pageViews' }, 4] }, 3] }, true],
    ['%', { '==': [{ '%': [{ var: 'pageViews' }, 5] }, 2] }, true],
    ['in (list)', { in: ['camping', { var: 'traits.interests' }] }, true],
    ['in (literal list)', { in: [{ var: 'geo.country' }, ['AT', 'CH']] }, false],
    ['in (substring)', { in: ['suv', { var: 'utm.campaign' }] }, true],
    ['cat', { '==': [{ cat: [{ var: 'geo.country' }, '-', 1] }, 'DE-1'] }, true],
    ['substr', { '==': [{ substr: [{ var: 'utm.campaign' }, 0, 6] }, 'family'] }, true],
    ['substr (negative)', { '==': [{ substr: [{ var: 'utm.campaign' }, -3] }, 'suv'] }, true],
    ['some', { some: [{ var: 'events' }, { '==': [{ var: '' }, 'dealer_search'] }] }, true],
    ['all', { all: [{ var: 'events' }, { in: ['_', { var: '' }] }] }, true],
    ['all (empty list is false)', { all: [{ var: 'traits.nope' }, true] }, false],
    ['none', { none: [{ var: 'traits.interests' }, { '==': [{ var: '' }, 'golf'] }] }, true],
    ['starts_with', { starts_with: [{ var: 'referrer' }, 'https://www.google.'] }, true],
    ['starts_with (no match)', { starts_with: [{ var: 'referrer' }, 'http://'] }, false],
    ['ends_with', { ends_with: [{ var: 'utm.campaign' }, '-suv'] }, true],
    ['ends_with (no match)', { ends_with: [{ var: 'utm.campaign' }, 'family'] }, false],
    ['now.hour', { '<': [{ var: 'now.hour' }, 12] }, true],
    ['a literal true', true, true],
    ['a literal false', false, false],
    ['an empty list inside an operation (falsy)', { '!!': [[]] }, false],
  ])('%s', (_name, rule, expected) => {
    expect(validateRule(rule)).toEqual([]);
    expect(evaluate(rule)).toBe(expected);
  });

  it('covers every allowed operator above', () => {
    // Keeps the table honest when an operator is added.
    const covered = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (typeof node === 'object' && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          covered.add(key);
          collect(value);
        }
      }
    };
    collect([
      { var: 'x' },
      { missing: [] },
      { missing_some: [1, []] },
      ...[{ if: [] }, { '==': [] }, { '===': [] }, { '!=': [] }, { '!==': [] }, { '!': [] }],
      ...[{ '!!': [] }, { and: [] }, { or: [] }, { '<': [] }, { '<=': [] }, { '>': [] }],
      ...[{ '>=': [] }, { min: [] }, { max: [] }, { '+': [] }, { '-': [] }, { '*': [] }],
      ...[{ '/': [] }, { '%': [] }, { in: [] }, { cat: [] }, { substr: [] }, { some: [] }],
      ...[{ all: [] }, { none: [] }, { starts_with: [] }, { ends_with: [] }],
    ]);
    expect([...covered].sort()).toEqual([...ALLOWED_OPERATORS].sort());
  });

  it('starts_with / ends_with are false unless both arguments are strings', () => {
    expect(evaluate({ starts_with: [{ var: 'visits' }, '3'] })).toBe(false);
    expect(evaluate({ starts_with: ['3', { var: 'visits' }] })).toBe(false);
    expect(evaluate({ ends_with: [{ var: 'events' }, 'search'] })).toBe(false);
    expect(evaluate({ ends_with: [{ var: 'traits.nope' }, ''] })).toBe(false);
    expect(evaluate({ starts_with: ['', ''] })).toBe(true);
  });

  it('uses json-logic truthiness', () => {
    expect(evaluate({ var: 'events' })).toBe(true);
    expect(evaluate({ var: 'traits.nope' })).toBe(false);
    expect(evaluate({ '!!': [[]] })).toBe(false);
    expect(evaluate({ '!!': ['0'] })).toBe(true);
    expect(evaluate({ '!!': [0] })).toBe(false);
    expect(evaluate({ if: [{ var: 'utm' }, 'yes', ''] })).toBe(true);
  });
});

describe('validateRule refuses', () => {
  it.each([
    ['a string', 'valueOf'],
    ['a number', 0],
    ['a list', [true]],
  ])('a bare literal at the top (%s): a rule is an operation or true/false', (_name, rule) => {
    expect(validateRule(rule)).toMatchObject([
      { path: '', message: expect.stringContaining('a rule is an operation') },
    ]);
  });

  it.each([
    ['map', { map: [{ var: 'events' }, { var: '' }] }],
    ['filter', { filter: [{ var: 'events' }, true] }],
    ['reduce', { reduce: [{ var: 'events' }, { '+': [1, 1] }, 0] }],
    ['merge', { merge: [[1], [2]] }],
    ['method', { method: [{ var: 'persona' }, 'toUpperCase'] }],
    ['log', { log: 'x' }],
    ['?:', { '?:': [true, 1, 2] }],
    ['valueOf', { valueOf: [] }],
    ['toString', { toString: [] }],
    ['constructor', { constructor: [] }],
    ['hasOwnProperty', { hasOwnProperty: ['x'] }],
    ['__defineGetter__', { __defineGetter__: ['x', 1] }],
    ['Math.max (a dotted operator)', { 'Math.max': [1, 2] }],
    ['an unknown operator', { regex: ['a', 'b'] }],
  ])('the forbidden operator %s, with its path', (_name, clause) => {
    const op = Object.keys(clause)[0];
    expect(validateRule(clause)).toMatchObject([
      {
        path: '',
        message: expect.stringContaining(`operator ${JSON.stringify(op)} is not allowed`),
      },
    ]);
    const nested = { and: [true, { or: [false, clause] }] };
    expect(paths(validateRule(nested))).toEqual(['and.1.or.1']);
    expect(() => compileRule(nested)).toThrow(RuleError);
  });

  it('explains why map, filter, reduce, merge and log are refused', () => {
    expect(validateRule({ reduce: [[], 1, 0] })[0].message).toMatch(/minutes/);
    expect(validateRule({ map: [[], 1] })[0].message).toMatch(/memory/);
    expect(validateRule({ log: 1 })[0].message).toMatch(/log/);
  });

  it('an own "__proto__" operator from JSON', () => {
    const rule = JSON.parse('{"and":[{"__proto__":[1]}]}');
    expect(validateRule(rule)).toMatchObject([
      { path: 'and.0', message: expect.stringContaining('"__proto__" is not allowed') },
    ]);
  });

  it.each([
    ['{"var":"__proto__"}', 'var'],
    ['{"var":"constructor.prototype"}', 'var'],
    ['{"var":"constructor"}', 'var'],
    ['{"var":"geo.__proto__.x"}', 'var'],
    ['{"var":"utm.prototype"}', 'var'],
    ['{"var":["__proto__", 1]}', 'var.0'],
    ['{"and":[true,{"var":"__proto__"}]}', 'and.1.var'],
    ['{"var":{"cat":["__pro","to__"]}}', 'var'],
    ['{"var":[{"var":"persona"}]}', 'var.0'],
    ['{"var":true}', 'var'],
    ['{"var":null}', 'var'],
    ['{"var":["a","b","c"]}', 'var'],
    ['{"missing":["__proto__"]}', 'missing.0'],
    ['{"missing":"constructor"}', 'missing'],
    ['{"missing":[["visits","__proto__"]]}', 'missing.0.1'],
    ['{"missing":[{"cat":["__pro","to__"]}]}', 'missing.0'],
    ['{"missing_some":[1,["visits","prototype"]]}', 'missing_some.1.1'],
    ['{"missing_some":[1,{"var":"keys"}]}', 'missing_some.1'],
    ['{"missing_some":[{"var":"visits"},["visits"]]}', 'missing_some.0'],
  ])('a dangerous or computed path: %s', (json, path) => {
    const issues = validateRule(JSON.parse(json));
    expect(paths(issues)).toEqual([path]);
  });

  it('iterators over anything but context data', () => {
    expect(validateRule({ some: [[1, 2, 3], { '==': [{ var: '' }, 1] }] })).toMatchObject([
      {
        path: 'some.0',
        message: expect.stringMatching(/first argument of "some" must be a "var"/),
      },
    ]);
    expect(paths(validateRule({ all: [{ if: [true, [1], [2]] }, true] }))).toEqual(['all.0']);
    expect(paths(validateRule({ none: ['abc', true] }))).toEqual(['none.0']);
    expect(paths(validateRule({ some: [{ var: '__proto__' }, true] }))).toEqual(['some.0.var']);
  });

  it('iterators over a default list instead of the context', () => {
    const list = Array.from({ length: 1_000 }, () => 'a');
    expect(
      paths(validateRule({ none: [{ var: ['x', list] }, { in: ['ab', { var: '' }] }] }))
    ).toEqual(['none.0.var']);
    expect(validateRule({ some: [{ var: ['events', []] }, { '==': [{ var: '' }, 'x'] }] })).toEqual(
      []
    );
    expect(
      validateRule({ some: [{ var: ['events', null] }, { '==': [{ var: '' }, 'x'] }] })
    ).toEqual([]);
  });

  it('iterators nested more than 2 deep', () => {
    const two = { some: [{ var: 'events' }, { all: [{ var: 'x' }, true] }] };
    expect(validateRule(two)).toEqual([]);
    const three = {
      some: [{ var: 'events' }, { all: [{ var: 'x' }, { none: [{ var: 'y' }, true] }] }],
    };
    expect(validateRule(three)).toMatchObject([
      { path: 'some.1.all.1', message: expect.stringMatching(/at most 2 levels/) },
    ]);
    // The source of an iterator is evaluated outside of it: this is still 2 deep.
    const sourceSide = { some: [{ var: 'events' }, { some: [{ var: 'b' }, true] }] };
    expect(validateRule(sourceSide)).toEqual([]);
  });

  it(`deeper than ${MAX_RULE_DEPTH} levels, at the offending node; ${MAX_RULE_DEPTH} is fine`, () => {
    expect(validateRule(nestedNot(MAX_RULE_DEPTH))).toEqual([]);
    expect(compileRule(nestedNot(MAX_RULE_DEPTH))).toEqual(expect.any(Function));
    const issues = validateRule(nestedNot(MAX_RULE_DEPTH + 1));
    expect(issues).toMatchObject([
      {
        path: `${'!.'.repeat(MAX_RULE_DEPTH)}`.slice(0, -1),
        message: expect.stringMatching(/32 levels/),
      },
    ]);
    // Lists count as levels too: 16 × {"and": [ … ]} is 32 levels.
    let listed: unknown = true;
    for (let i = 0; i < 16; i++) listed = { and: [listed] };
    expect(validateRule(listed)).toEqual([]);
    expect(validateRule({ and: [listed] })).toHaveLength(1);
  });

  it('a depth of 100,000 without overflowing the stack', () => {
    let deepList: unknown = 1;
    for (let i = 0; i < 100_000; i++) deepList = [deepList];
    expect(() => JSON.stringify(deepList)).toThrow(RangeError);
    expect(validateRule(deepList)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '', messageId: 'rule.tooDeeplyNested' }),
      ])
    );
    let deepNot: unknown = true;
    for (let i = 0; i < 100_000; i++) deepNot = { '!': deepNot };
    expect(validateRule(deepNot)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '', messageId: 'rule.tooDeeplyNested' }),
      ])
    );
    expect(() => compileRule(deepNot)).toThrow(RuleError);
  });

  it(`more than ${MAX_RULE_BYTES} bytes of JSON; exactly ${MAX_RULE_BYTES} is fine`, () => {
    const sized = (bytes: number) => {
      const rule = { '==': [{ var: 'persona' }, ''] };
      const padding = bytes - JSON.stringify(rule).length;
      return { '==': [{ var: 'persona' }, 'x'.repeat(padding)] };
    };
    expect(JSON.stringify(sized(MAX_RULE_BYTES)).length).toBe(MAX_RULE_BYTES);
    expect(validateRule(sized(MAX_RULE_BYTES))).toEqual([]);
    expect(validateRule(sized(MAX_RULE_BYTES + 1))).toMatchObject([
      { path: '', message: expect.stringMatching(/larger than 16384 bytes/) },
    ]);
    // Escapes count as JSON.stringify counts them.
    const quotes = { '==': [{ var: 'persona' }, '"'.repeat(8_180)] };
    expect(JSON.stringify(quotes).length).toBeGreaterThan(MAX_RULE_BYTES);
    expect(validateRule(quotes)).toHaveLength(1);
    expect(validateRule('x'.repeat(10_000_000))).toHaveLength(1);
  });

  it(`lists of more than ${MAX_ARRAY_LITERAL} items`, () => {
    const items = (count: number) => Array.from({ length: count }, (_, i) => i);
    expect(validateRule({ in: [{ var: 'visits' }, items(MAX_ARRAY_LITERAL)] })).toEqual([]);
    expect(validateRule({ in: [{ var: 'visits' }, items(MAX_ARRAY_LITERAL + 1)] })).toMatchObject([
      { path: 'in.1', message: expect.stringMatching(/at most 1000 items/) },
    ]);
    expect(paths(validateRule({ max: items(MAX_ARRAY_LITERAL + 1) }))).toEqual(['max']);
    expect(paths(validateRule({ and: [true, [[items(MAX_ARRAY_LITERAL + 1)]]] }))).toEqual([
      'and.1.0.0',
    ]);
    expect(validateRule(items(1_000_000))).toHaveLength(1);
  });

  it('objects that are not one operator', () => {
    expect(validateRule({})).toMatchObject([
      { path: '', message: expect.stringMatching(/exactly one operator, found an empty object/) },
    ]);
    expect(validateRule({ and: [true, { '==': [1, 1], '!=': [1, 2] }] })).toMatchObject([
      { path: 'and.1', message: expect.stringMatching(/found 2 keys \("==", "!="\)/) },
    ]);
    expect(paths(validateRule({ in: [{ var: 'geo' }, [{ country: 'DE', city: 'x' }]] }))).toEqual([
      'in.1.0',
    ]);
  });

  it.each<[string, unknown, string]>([
    ['!', { '!': [1, 2] }, '"!" takes 1 argument, found 2'],
    ['!!', { '!!': [] }, '"!!" takes 1 argument, found 0'],
    ['==', { '==': [1] }, '"==" takes 2 arguments, found 1'],
    ['<', { '<': [1, 2, 3, 4] }, '"<" takes 2 or 3 arguments, found 4'],
    ['in', { in: 'x' }, '"in" takes 2 arguments, found 1'],
    ['substr', { substr: ['x'] }, '"substr" takes 2 or 3 arguments, found 1'],
    ['some', { some: [{ var: 'events' }] }, '"some" takes 2 arguments, found 1'],
    ['max', { max: [] }, '"max" takes at least 1 argument'],
    ['starts_with', { starts_with: ['x'] }, '"starts_with" takes 2 arguments, found 1'],
  ])('a wrong number of arguments for %s', (_op, rule, message) => {
    expect(validateRule({ or: [false, rule] })).toMatchObject([
      { path: 'or.1', message: expect.stringContaining(message) },
    ]);
  });

  it('values that are not JSON', () => {
    expect(paths(validateRule({ '==': [{ var: 'visits' }, () => 1] }))).toEqual(['==.1']);
    expect(paths(validateRule({ '==': [{ var: 'visits' }, Symbol('x')] }))).toEqual(['==.1']);
    expect(paths(validateRule({ '==': [{ var: 'visits' }, NaN] }))).toEqual(['==.1']);
    expect(paths(validateRule({ '==': [{ var: 'visits' }, new Date()] }))).toEqual(['==.1']);
    expect(validateRule({ '==': [{ var: 'visits' }, BigInt(1)] })).toMatchObject([
      { path: '', message: expect.stringMatching(/not JSON/) },
    ]);
    expect(validateRule(() => true)).toHaveLength(1);
  });

  it('reports every problem, in document order, at most 100', () => {
    const rule = { and: [{ map: [] }, { var: '__proto__' }, { '==': [1] }] };
    expect(paths(validateRule(rule))).toEqual(['and.0', 'and.1.var', 'and.2']);
    const many = { or: Array.from({ length: 500 }, () => ({ log: 1 })) };
    expect(validateRule(many)).toHaveLength(100);
  });

  it('cyclic and hostile objects, without throwing', () => {
    const cyclic: Record<string, unknown[]> = { and: [] };
    cyclic.and.push(cyclic);
    expect(validateRule(cyclic)).toMatchObject([
      { path: '', message: expect.stringMatching(/cycle/) },
    ]);
    const shared = { var: 'visits' };
    expect(validateRule({ and: [shared, shared] })).toEqual([]);
    const getter = Object.defineProperty({}, 'var', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(validateRule(getter)).toHaveLength(1);
    const proxy = new Proxy({}, { ownKeys: () => ['a', 'b'] });
    expect(() => validateRule(proxy)).not.toThrow();
    expect(() => validateRule(Object.create(null))).not.toThrow();
  });

  it('accepts null-prototype objects (as some JSON parsers build them)', () => {
    const rule = Object.assign(Object.create(null), { '==': [{ var: 'visits' }, 3] });
    expect(validateRule(rule)).toEqual([]);
    expect(evaluate(rule)).toBe(true);
  });
});

describe('compileRule', () => {
  it('returns null for no rule and throws a RuleError with the issues otherwise', () => {
    expect(compileRule(null)).toBeNull();
    expect(compileRule(undefined)).toBeNull();
    let caught: unknown;
    try {
      compileRule({ and: [{ map: [] }] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RuleError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as RuleError).issues).toMatchObject([
      { path: 'and.0', message: expect.stringMatching(/"map"/) },
    ]);
    expect((caught as RuleError).message).toMatch(/^invalid rule: and\.0: operator "map"/);
    expect((caught as RuleError).name).toBe('RuleError');
  });

  it('captures a private frozen copy of the rule, and shows it as `logic`', () => {
    const rule = { '==': [{ var: 'persona' }, 'family'] };
    const compiled = compileRule(rule)!;
    rule['=='][1] = 'fleet';
    (rule['=='][0] as { var: string }).var = 'stage';
    expect(compiled(data)).toBe(true);
    expect(compiled.logic).toEqual({ '==': [{ var: 'persona' }, 'family'] });
    expect(compiled.logic).not.toBe(rule);
    const logic = compiled.logic as { '==': [{ var: string }, string] };
    expect(Object.isFrozen(logic)).toBe(true);
    expect(Object.isFrozen(logic['=='])).toBe(true);
    expect(Object.isFrozen(logic['=='][0])).toBe(true);
    expect(compileRule(true)!.logic).toBe(true);
  });

  it('NEVER matches nothing, reads nothing and is the rule false', () => {
    expect(NEVER(data)).toBe(false);
    expect([...NEVER.reads]).toEqual([]);
    expect(NEVER.logic).toBe(false);
  });

  it('turns an evaluation error into false and reports it once', () => {
    const onError = jest.fn();
    // "in" calls indexOf on its second argument: a number has none, a string's throws for a symbol.
    const throwing = compileRule({ in: [{ var: 'searchTerm' }, 'haystack'] }, { onError })!;
    const hostile = { searchTerm: Symbol('x') };
    expect(throwing(hostile)).toBe(false);
    expect(throwing(hostile)).toBe(false);
    expect(throwing({ searchTerm: 'hay' })).toBe(true);
    expect(throwing(hostile)).toBe(false);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0][0]).toBeInstanceOf(TypeError);
  });

  it('counts an error as false even when the logger throws, or without a logger', () => {
    const throwing = Object.defineProperty({}, 'visits', {
      get() {
        throw new Error('a hostile getter');
      },
    });
    const rule = { '==': [{ var: 'visits' }, 1] };
    const failingLogger = compileRule(rule, {
      onError: () => {
        throw new Error('logger down');
      },
    })!;
    expect(failingLogger(throwing)).toBe(false);
    expect(failingLogger(throwing)).toBe(false);
    expect(compileRule(rule)!(throwing)).toBe(false);
  });

  it('evaluates on data with a null prototype and on nested arrays', () => {
    const bare = Object.assign(Object.create(null), {
      traits: Object.assign(Object.create(null), { a: 1 }),
    });
    expect(evaluate({ '==': [{ var: 'traits.a' }, 1] }, bare)).toBe(true);
    expect(evaluate({ '==': [{ var: 'traits.toString' }, null] }, bare)).toBe(true);
  });

  it('cannot read or write through the prototype, even with tricky but valid rules', () => {
    expect(evaluate({ cat: [{ var: 'traits.interests.length' }] })).toBe(true); // a list's own length
    expect(evaluate({ '==': [{ var: '' }, null] })).toBe(false); // {"var": ""} is the data itself
    expect(evaluate({ some: [{ var: 'events' }, { var: 'length' }] })).toBe(true);
  });
});

describe('hostile rules', () => {
  const FORBIDDEN = ['map', 'filter', 'reduce', 'merge', 'method', 'log', '?:', 'valueOf'];
  const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', '__defineGetter__'];
  const PATHS = [
    'visits',
    'events',
    'geo.country',
    'traits.interests',
    'now.hour',
    '',
    'events.0',
    'persona.length',
    ...PROTO,
    'geo.__proto__',
    'a.constructor.prototype',
  ];
  const LITERALS: unknown[] = [0, 1, -1, 1e308, '', 'x', 'DE', true, false, null, [], [1, 'a']];

  const generate = (random: () => number) => {
    const int = (max: number) => Math.floor(random() * max);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)];
    const node = (depth: number): unknown => {
      const roll = random();
      if (depth <= 0 || roll < 0.25) {
        const kind = int(10);
        if (kind === 0) return 'y'.repeat(int(3) === 0 ? 20_000 : 50);
        if (kind === 1) return Array.from({ length: int(2) === 0 ? 1_500 : 5 }, (_, i) => i);
        if (kind === 2) return { var: pick(PATHS) };
        if (kind === 3) return { var: [pick(PATHS), pick(LITERALS)] };
        return pick(LITERALS);
      }
      if (roll < 0.3) {
        // Deep nesting, sometimes over the limit.
        let deep: unknown = { var: 'visits' };
        const levels = int(3) === 0 ? 40 + int(2_000) : int(30);
        for (let i = 0; i < levels; i++) deep = { [pick(['!', '!!', 'and', 'or'])]: [deep] };
        return deep;
      }
      const args = Array.from({ length: int(5) }, () => node(depth - 1));
      const kind = int(10);
      if (kind === 0) return { [pick(FORBIDDEN)]: args };
      if (kind === 1) return { [pick(PROTO)]: args };
      if (kind === 2)
        return { [pick(['some', 'all', 'none'])]: [node(depth - 1), node(depth - 1)] };
      if (kind === 3)
        return { [pick(['some', 'all', 'none'])]: [{ var: pick(PATHS) }, node(depth - 1)] };
      if (kind === 4) return { missing: args.length > 0 ? args : [pick(PATHS)] };
      if (kind === 5) return { a: 1, b: 2 };
      if (kind === 6) return { [pick(ALLOWED_OPERATORS)]: node(depth - 1) }; // unary form
      return { [pick(ALLOWED_OPERATORS)]: args };
    };
    return node(2 + int(5));
  };

  const randomContext = (random: () => number): EvaluationData => {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    return Object.assign(Object.create(null), {
      persona: pick(['family', 'fleet', undefined]),
      visits: pick([0, 1, 5, 1e9, undefined]),
      events: pick([[], ['a', 'b'], Array(100).fill('configurator_completed'), undefined]),
      geo: pick([{ country: 'DE' }, undefined]),
      traits: pick([{ interests: ['a'], n: 3 }, {}, undefined]),
      now: { hour: 3, weekday: 2, date: '2026-01-01' },
    });
  };

  it('2,000 seeded random rules never make validateRule throw; valid ones evaluate safely', () => {
    const random = prng(20_261_125);
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    let valid = 0;
    let refused = 0;
    const started = Date.now();
    for (let i = 0; i < 2_000; i++) {
      const rule = generate(random);
      let issues: Issue[] = [];
      expect(() => {
        issues = validateRule(rule);
      }).not.toThrow();
      if (issues.length > 0) {
        refused++;
        expect(() => compileRule(rule)).toThrow(RuleError);
        for (const issue of issues) {
          expect(typeof issue.path).toBe('string');
          expect(issue.message.length).toBeGreaterThan(0);
        }
        continue;
      }
      valid++;
      // A valid rule stays valid after a JSON round trip (as it comes back from the database).
      expect(validateRule(JSON.parse(JSON.stringify(rule)))).toEqual([]);
      const compiled = compileRule(rule);
      for (let c = 0; c < 5; c++) {
        const evalStarted = Date.now();
        const result = compiled === null ? false : compiled(randomContext(random));
        expect(typeof result).toBe('boolean');
        expect(Date.now() - evalStarted).toBeLessThan(200);
      }
    }
    // The generator must produce both kinds, or the test proves nothing.
    expect(valid).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(500);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  });

  it('leaves Object.prototype and the json-logic operations intact', () => {
    const probe = {} as Record<string, unknown>;
    for (const key of ['polluted', 'isAdmin', 'x']) expect(probe[key]).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
    expect(jsonLogic.apply({ '==': [1, 1] })).toBe(true);
  });
});

describe('the cost bound', () => {
  /** The review's rule: a 1,000-fold `cat` of each item, inside `some` over a trait list. */
  const reviewRule = {
    some: [
      { var: 'traits.t' },
      { in: ['zzz', { cat: Array.from({ length: 1_000 }, () => ({ var: '' })) }] },
    ],
  };

  it("refuses the review's 11 KB rule, at its costliest node", () => {
    expect(JSON.stringify(reviewRule).length).toBeLessThan(MAX_RULE_BYTES);
    const issues = validateRule(reviewRule);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('some.1');
    expect(issues[0].message).toMatch(/too expensive.*once for every item of the list/);
    expect(ruleCost(reviewRule).cost).toBeGreaterThan(MAX_RULE_COST);
  });
});

describe('fieldsRead', () => {
  it('lists the context fields a rule reads, outside of list items', () => {
    expect([...compileRule({ '==': [{ var: 'geo.country' }, 'DE'] })!.reads]).toEqual(['geo']);
    const rule = compileRule({
      and: [
        { some: [{ var: 'events' }, { '==': [{ var: '' }, 'x'] }] },
        { '!': { missing: ['device', 'utm.source'] } },
        { '<': [{ var: ['now.hour', 0] }, 12] },
      ],
    });
    expect([...rule!.reads].sort()).toEqual(['device', 'events', 'now', 'utm']);
    expect([...compileRule({ '!!': { var: '' } })!.reads]).toEqual(['*']);
    expect([...compileRule(true)!.reads]).toEqual([]);
  });

  it('tells which server-supplied facts a decision may depend on', () => {
    const supplied = new Set(['device', 'now', 'geo'] as const);
    const device = compileRule({ '==': [{ var: 'device' }, 'mobile'] });
    const persona = compileRule({ '==': [{ var: 'persona' }, 'family'] });
    const everything = compileRule({ in: ['x', { cat: [{ var: '' }] }] });
    expect([...serverFactsRead([device, persona, null], supplied)]).toEqual(['device']);
    expect([...serverFactsRead([persona], supplied)]).toEqual([]);
    expect([...serverFactsRead([everything], supplied)].sort()).toEqual(['device', 'geo', 'now']);
    expect([...serverFactsRead([device], new Set())]).toEqual([]);
  });
});

describe('validateRule and the visitor context', () => {
  it.each([
    [
      '{"in":["eco",{"var":"utm.campain"}]}',
      'in.1.var',
      'the visitor context has no field "utm.campain"',
    ],
    ['{"==":[{"var":"visit"},2]}', '==.0.var', 'the visitor context has no field "visit"'],
    [
      '{"==":[{"var":"visits.count"},2]}',
      '==.0.var',
      'the visitor context has no field "visits.count"',
    ],
    ['{"missing":["geo.county"]}', 'missing.0', 'the visitor context has no field "geo.county"'],
    ['{">":[{"var":"visits"},""]}', '>.1', 'the value to compare with is empty'],
    ['{"in":["",{"var":"utm.campaign"}]}', 'in.0', 'the value to compare with is empty'],
  ])('refuses a field the context cannot hold, or an empty value: %s', (json, path, message) => {
    expect(validateRule(JSON.parse(json))).toMatchObject([{ path, message }]);
  });

  it.each([
    '{"in":["eco",{"var":"utm.campaign"}]}',
    '{"==":[{"var":"traits.any.thing"},2]}',
    '{"==":[{"var":"events.0"},"signup"]}',
    '{"some":[{"var":"events"},{"==":[{"var":""},"signup"]}]}',
    '{"==":[{"var":"now.hour"},9]}',
    '{"!":{"var":"consent.analytics"}}',
    '{"==":[{"var":"utm.campaign"},"eco"]}',
  ])('accepts every field a context can hold: %s', (json) => {
    expect(validateRule(JSON.parse(json))).toEqual([]);
  });
});
