import { readFileSync } from 'node:fs';
import path from 'node:path';

import * as jsonLogic from 'json-logic-js';

import { evaluationData, parseVisitorContext } from '../../server/src/engine/context';
import { compileCondition, compileLogic, truthy } from '../../server/src/engine/rule-compiler';
import { ALLOWED_OPERATORS, compileRule, validateRule } from '../../server/src/engine/rules';
import type { EvaluationData } from '../../server/src/engine/types';

// The compiler must compute what json-logic-js 2.0.5's `apply` computes: json-logic-js is the
// reference here, and nowhere in the engine any more.

type JsonLogic = typeof import('json-logic-js');
type Logic = Parameters<JsonLogic['apply']>[0];

/**
 * A private instance of json-logic-js with the plugin's two operators, written here from their
 * definition (both strings, else false): the engine must not register anything on the global one.
 */
let reference: JsonLogic;
jest.isolateModules(() => {
  reference = jest.requireActual<JsonLogic>('json-logic-js');
});
reference!.add_operation(
  'starts_with',
  (text: unknown, prefix: unknown) =>
    typeof text === 'string' && typeof prefix === 'string' && text.startsWith(prefix)
);
reference!.add_operation(
  'ends_with',
  (text: unknown, suffix: unknown) =>
    typeof text === 'string' && typeof suffix === 'string' && text.endsWith(suffix)
);

/** What evaluating something gave: its value, or that it threw. */
type Outcome = { threw: false; value: unknown } | { threw: true };

const outcome = (evaluate: () => unknown): Outcome => {
  try {
    return { threw: false, value: evaluate() };
  } catch {
    return { threw: true };
  }
};

/** Deep equality where NaN equals NaN and 0 differs from -0 (Object.is on every leaf). */
const same = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => same(item, b[i]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      (key) =>
        Object.prototype.hasOwnProperty.call(b, key) &&
        same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
    )
  );
};

const sameOutcome = (a: Outcome, b: Outcome) =>
  a.threw || b.threw ? a.threw === b.threw : same(a.value, b.value);

const show = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'number' && !Number.isFinite(item) ? String(item) : item
  );

const describeOutcome = (result: Outcome) => (result.threw ? 'throws' : show(result.value));

/** Every operator a node uses. */
const operatorsOf = (node: unknown, into = new Set<string>()): Set<string> => {
  if (Array.isArray(node)) node.forEach((item) => operatorsOf(item, into));
  else if (typeof node === 'object' && node !== null) {
    const keys = Object.keys(node);
    if (keys.length === 1) into.add(keys[0]);
    for (const key of keys) operatorsOf((node as Record<string, unknown>)[key], into);
  }
  return into;
};

describe('the reference', () => {
  it('is a private json-logic-js instance', () => {
    expect(reference).not.toBe(jsonLogic);
    expect(reference.apply({ starts_with: ['ab', 'a'] })).toBe(true);
  });

  it('importing the engine adds no operation to json-logic-js', () => {
    expect(compileRule({ starts_with: [{ var: 'persona' }, 'a'] })!({ persona: 'ab' })).toBe(true);
    for (const op of ['starts_with', 'ends_with']) {
      expect(() => jsonLogic.apply({ [op]: ['ab', 'a'] } as unknown as Logic)).toThrow(
        `Unrecognized operation ${op}`
      );
    }
  });
});

describe('the JsonLogic vectors (test/unit/fixtures/jsonlogic-vectors.json)', () => {
  // The official suite (jsonlogic.com/tests.json) is not shipped by any npm package, so the
  // vectors are our own, in its format: "section", [rule, data, expected] or [rule, data].
  const file = path.join(__dirname, 'fixtures/jsonlogic-vectors.json');
  const entries = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  const vectors = entries.filter((entry): entry is unknown[] => Array.isArray(entry));

  it('cover every allowed operator', () => {
    const used = operatorsOf(vectors.map((vector) => vector[0]));
    expect(ALLOWED_OPERATORS.filter((op) => !used.has(op))).toEqual([]);
    expect(vectors.length).toBeGreaterThan(300);
  });

  it('give what json-logic-js gives, and the stated result where there is one', () => {
    const mismatches: string[] = [];
    for (const [rule, data, ...stated] of vectors) {
      const expected = outcome(() => reference.apply(rule as Logic, data));
      const value = outcome(() => compileLogic(rule)(data));
      const verdict = outcome(() => compileCondition(rule)(data));
      const expectedVerdict: Outcome = expected.threw
        ? expected
        : { threw: false, value: truthy(expected.value) };
      const problems = [
        sameOutcome(value, expected) ? '' : `value ${describeOutcome(value)}`,
        sameOutcome(verdict, expectedVerdict) ? '' : `truthiness ${describeOutcome(verdict)}`,
        stated.length === 0 || sameOutcome(expected, { threw: false, value: stated[0] })
          ? ''
          : `json-logic-js gives ${describeOutcome(expected)}`,
      ].filter(Boolean);
      if (problems.length > 0) {
        mismatches.push(
          `${show(rule)} on ${show(data)}: expected ${describeOutcome(expected)}, ${problems.join(', ')}`
        );
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/** mulberry32: a seeded PRNG, so a failure can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Random visitor contexts and rules over them, both drawing on the same values. */
const generator = (random: () => number) => {
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const maybe = <T>(probability: number, make: () => T): T | undefined =>
    random() < probability ? make() : undefined;

  const WORDS = ['mobile', 'desktop', 'family', 'suv', 'gold', 'test_drive', 'de-DE', 'a', 'ab'];
  const NUMERIC = ['0', '1', '3', '10', '2.5', ' 7', '1e2', 'true', 'null', ''];
  const STRINGS = [...WORDS, ...NUMERIC];
  const NUMBERS = [0, 1, 2, 3, 5, 10, 23, 50, -1, 0.5, 1.5];
  const EVENTS = ['test_drive_booked', 'purchased', 'dealer_search', '', '0', '10', 'a'];
  const list = <T>(make: () => T, max: number) => Array.from({ length: int(max + 1) }, make);

  const traitValue = (): unknown =>
    pick<() => unknown>([
      () => pick(STRINGS),
      () => pick(NUMBERS),
      () => random() < 0.5,
      () => list(() => pick(STRINGS), 3),
    ])();

  const context = (): EvaluationData => {
    const raw = {
      visitorId: maybe(0.3, () => `v-${int(100)}`),
      persona: maybe(0.5, () => pick(['family', 'fleet', 'a', '0', ''])),
      stage: maybe(0.3, () => pick(['lead', 'trial', 'customer'])),
      visits: maybe(0.8, () => int(12)),
      pageViews: maybe(0.5, () => pick([0, 1, 5, 10, 30])),
      events: maybe(0.7, () => list(() => pick(EVENTS), 4)),
      referrer: maybe(0.3, () => pick(['https://www.google.com/?q=suv', '', 'ab'])),
      searchTerm: maybe(0.3, () => pick(['family suv', 'suv', '', '10'])),
      utm: maybe(0.5, () => ({
        source: maybe(0.8, () => pick(['google', 'newsletter', '', 'a'])),
        campaign: maybe(0.7, () => pick(['gt-launch', 'spring-sale', 'suv', '0'])),
        medium: maybe(0.3, () => pick(STRINGS)),
      })),
      geo: maybe(0.7, () => ({
        country: pick(['DE', 'at', 'US', 'FR']),
        city: maybe(0.5, () => pick(['Berlin', 'Wien', ''])),
        region: maybe(0.2, () => pick(STRINGS)),
      })),
      device: maybe(0.6, () => pick(['mobile', 'tablet', 'desktop', 'other'] as const)),
      locale: maybe(0.5, () => pick(['de-DE', 'en-US', ''])),
      weather: maybe(0.3, () => pick(['rain', 'sun', '0'])),
      traits: maybe(0.7, () =>
        Object.fromEntries(
          ['tier', 'fleetSize', 'vip', 'interests', 'score']
            .filter(() => random() < 0.5)
            .map((key) => [key, traitValue()])
        )
      ),
      interests: maybe(0.3, () => ({ suv: pick([0, 0.5, 3]), family: pick([1, 2]) })),
      topInterest: maybe(0.2, () => pick(['suv', 'family', null])),
      consent: maybe(0.3, () => ({ analytics: random() < 0.5, personalization: random() < 0.5 })),
      now: maybe(0.3, () => ({ hour: int(24), weekday: int(7), date: '2026-03-01' })),
    };
    const parsed = parseVisitorContext(JSON.parse(JSON.stringify(raw)));
    if (!parsed.ok) throw new Error(`invalid context: ${JSON.stringify(parsed.issues)}`);
    return evaluationData(parsed.value, {
      now: new Date(Date.UTC(2026, 2, 1 + int(28), int(24))),
      userAgent: maybe(0.5, () => 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)'),
    });
  };

  const CONTEXT_PATHS = [
    ...['visits', 'pageViews', 'persona', 'stage', 'events', 'events.0', 'events.1', 'referrer'],
    ...['searchTerm', 'utm.source', 'utm.campaign', 'utm.medium', 'geo.country', 'geo.city'],
    ...['device', 'locale', 'weather', 'traits.tier', 'traits.fleetSize', 'traits.vip'],
    ...['traits.interests', 'traits.interests.0', 'traits.score', 'traits.tier.length'],
    ...['interests.suv', 'topInterest', 'consent.analytics', 'now.hour', 'now.weekday', ''],
  ];
  // Inside some / all / none, `var` reads the item (a string): any path, or an index.
  const ITEM_PATHS: readonly (string | number)[] = ['', '', '', 'length', 0, '1', 'x'];

  const literal = (): unknown =>
    pick<() => unknown>([
      () => pick(STRINGS),
      () => pick(NUMBERS),
      () => random() < 0.5,
      () => null,
      () => list(() => pick([...STRINGS, ...NUMBERS]), 3),
      // Long enough to be searched through a Set.
      () => Array.from({ length: 8 + int(4) }, () => pick([...STRINGS, ...NUMBERS])),
    ])();

  /** A `var`; `inItem`: inside an iterator. */
  const variable = (inItem: boolean): unknown => {
    const path = inItem ? pick(ITEM_PATHS) : pick(CONTEXT_PATHS);
    return pick<() => unknown>([
      () => ({ var: path }),
      () => ({ var: [path] }),
      () => ({ var: [path, literal()] }),
    ])();
  };

  /** `args` arguments, sometimes given unlisted when there is one. */
  const operation = (op: string, args: unknown[]): unknown =>
    args.length === 1 && random() < 0.3 ? { [op]: args[0] } : { [op]: args };

  const node = (depth: number, inItem: boolean, iterators: number): unknown => {
    if (depth <= 0 || random() < 0.2) return random() < 0.6 ? variable(inItem) : literal();
    const arg = () => node(depth - 1, inItem, iterators);
    const args = (min: number, max: number) =>
      Array.from({ length: min + int(max - min + 1) }, arg);
    const keys = () =>
      list(() => (inItem ? pick(ITEM_PATHS) : pick(CONTEXT_PATHS.filter(Boolean))), 3);
    const op = pick(ALLOWED_OPERATORS);
    switch (op) {
      case 'var':
        return variable(inItem);
      case 'missing':
        return random() < 0.3 ? { missing: [keys()] } : operation('missing', keys());
      case 'missing_some':
        return { missing_some: [int(3), random() < 0.2 ? [keys()] : keys()] };
      case 'some':
      case 'all':
      case 'none': {
        if (iterators >= 2) return variable(inItem);
        const source = inItem ? pick(ITEM_PATHS) : pick(['events', 'traits.interests', 'utm']);
        return {
          [op]: [
            { var: random() < 0.2 ? [source, []] : source },
            node(depth - 1, true, iterators + 1),
          ],
        };
      }
      case 'if':
        return operation(op, args(0, 5));
      case 'and':
      case 'or':
        return operation(op, args(0, 4));
      case '!':
      case '!!':
        return operation(op, args(1, 1));
      case '<':
      case '<=':
        return operation(op, args(2, 3));
      case '-':
        return operation(op, args(1, 2));
      case 'substr':
        return operation(op, args(2, 3));
      case '+':
      case 'cat':
        return operation(op, args(0, 3));
      case '*':
      case 'min':
      case 'max':
        return operation(op, args(1, 3));
      default:
        return operation(op, args(2, 2));
    }
  };

  const rule = () => node(1 + int(4), false, 0);
  return { context, rule };
};

describe('100,000 random rules and contexts', () => {
  it('give what json-logic-js gives, as a value and as a verdict', () => {
    const random = prng(20_261_203);
    const { context, rule } = generator(random);
    const contexts = Array.from({ length: 1_000 }, context);
    const RULES = 10_000;
    const CONTEXTS_PER_RULE = 10;
    const started = Date.now();
    const mismatches: string[] = [];
    let generated = 0;
    let valid = 0;
    let matched = 0;
    let threw = 0;
    const operators = new Set<string>();
    while (valid < RULES) {
      generated++;
      const candidate = rule();
      // null is "no rule": valid, but nothing to compile.
      if (candidate === null || validateRule(candidate).length > 0) continue;
      valid++;
      operatorsOf(candidate, operators);
      const compiled = compileRule(candidate)!;
      const evaluate = compileLogic(candidate);
      for (let i = 0; i < CONTEXTS_PER_RULE; i++) {
        const data = contexts[Math.floor(random() * contexts.length)];
        const expected = outcome(() => reference.apply(candidate as Logic, data));
        const value = outcome(() => evaluate(data));
        const verdict = compiled(data);
        const expectedVerdict = !expected.threw && truthy(expected.value);
        if (expected.threw) threw++;
        if (expectedVerdict) matched++;
        if (!sameOutcome(value, expected) || verdict !== expectedVerdict) {
          mismatches.push(
            `${show(candidate)} on ${show(data)}: json-logic-js ${describeOutcome(expected)}, ` +
              `compiled ${describeOutcome(value)} (verdict ${verdict})`
          );
        }
      }
      if (mismatches.length >= 10) break;
    }
    expect(mismatches).toEqual([]);
    // The generator must reach every operator and both verdicts, or the test proves little.
    expect(ALLOWED_OPERATORS.filter((op) => !operators.has(op))).toEqual([]);
    const pairs = RULES * CONTEXTS_PER_RULE;
    expect(matched).toBeGreaterThan(pairs * 0.2);
    expect(matched).toBeLessThan(pairs * 0.8);
    expect(valid / generated).toBeGreaterThan(0.3);
    // Mostly rules that turn a whole (null-prototype) object into text, as json-logic-js throws.
    expect(threw).toBeLessThan(pairs * 0.05);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('compileLogic', () => {
  it('hands out lists that no caller can change, and never the same list for two nodes', () => {
    const shared = ['DE'];
    const evaluate = compileLogic({ '===': [shared, shared] });
    expect(evaluate({})).toBe(false);
    expect(reference.apply({ '===': [shared, shared] })).toBe(false);
    const list = compileLogic(['a', ['b']])({}) as string[];
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => list.push('c')).toThrow(TypeError);
  });

  it('does not read the node again once compiled', () => {
    const rule = { in: [{ var: 'c' }, ['DE', 'AT']] };
    const evaluate = compileLogic(rule);
    rule.in[1] = ['FR'];
    expect(evaluate({ c: 'DE' })).toBe(true);
  });

  it('throws "Unrecognized operation" when evaluating an operator it does not know', () => {
    for (const op of ['map', 'merge', 'log', '?:', 'toString', 'Math.max']) {
      const evaluate = compileLogic({ [op]: [1] });
      expect(() => evaluate({})).toThrow(`Unrecognized operation ${op}`);
    }
    // …but only when it is reached, as json-logic-js does.
    expect(compileLogic({ or: [true, { merge: [] }] })({})).toBe(true);
  });
});
