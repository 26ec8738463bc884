import {
  MAX_CONTEXT_BYTES,
  MAX_EVENTS,
  MAX_TRAIT_VALUES,
  SCALAR_CHARS,
  maxTextLength,
} from './context';
import { messageOf } from './messages';
import type { Issue } from './types';

/**
 * The most work one evaluation of a rule may cost, in units of about a nanosecond of a server
 * core. A rule over it is refused on save, so that no rule can hold up the delivery: the worst
 * accepted rules evaluate in well under a millisecond against the largest accepted contexts
 * (bench/worst-rules.mjs, test/unit/rule-cost.test.ts).
 */
export const MAX_RULE_COST = 500_000;

/**
 * What evaluating one operation, or one literal value, costs in json-logic-js's interpreter;
 * compiled rules (rule-compiler.ts) spend less, so the bound errs on the safe side.
 */
const OPERATION_COST = 150;
const LITERAL_COST = 15;
/** Per character an operation reads or builds (joins, comparisons, copies, number parsing). */
const TEXT_COST = 1;
/**
 * Per character of a string that `in` searches: V8's `indexOf` takes up to about 8 ns a
 * character when the text is made to nearly match the needle everywhere ("aaa…" for "ab").
 */
const SEARCH_COST = 8;
/** Items `some` / `all` / `none` may iterate; all their items together are at most this long. */
const MAX_ITEMS = Math.max(MAX_EVENTS, MAX_TRAIT_VALUES);
const MAX_ITEMS_CHARS = MAX_CONTEXT_BYTES;

/**
 * `fixed + perItemChar × L`: a bound that grows with the length L of the list item the
 * enclosing `some` / `all` / `none` looks at (0 outside of one).
 */
interface Linear {
  fixed: number;
  perItemChar: number;
}

const constant = (fixed: number): Linear => ({ fixed, perItemChar: 0 });
const ZERO = constant(0);
const plus = (...terms: Linear[]): Linear => ({
  fixed: terms.reduce((sum, term) => sum + term.fixed, 0),
  perItemChar: terms.reduce((sum, term) => sum + term.perItemChar, 0),
});
const times = (factor: number, term: Linear): Linear => ({
  fixed: factor * term.fixed,
  perItemChar: factor * term.perItemChar,
});
/** An upper bound of the larger of several bounds. */
const upper = (...terms: Linear[]): Linear => ({
  fixed: Math.max(0, ...terms.map((term) => term.fixed)),
  perItemChar: Math.max(0, ...terms.map((term) => term.perItemChar)),
});

/**
 * A node's worst case: the work of evaluating it once, and its value written as text (`chars`
 * long, of which `string` if the value is a string rather than a list).
 */
interface Estimate {
  cost: Linear;
  chars: Linear;
  string: Linear;
}

/** What a number or a boolean is as text. */
const SCALAR: Omit<Estimate, 'cost'> = { chars: constant(SCALAR_CHARS), string: ZERO };

/** Operations that return a number or a boolean after reading their arguments (maybe as text). */
const SCALAR_RESULT: ReadonlySet<string> = new Set([
  ...['==', '===', '!=', '!==', '<', '<=', '>', '>=', '!', '!!'],
  ...['+', '-', '*', '/', '%', 'min', 'max', 'starts_with', 'ends_with'],
]);
const ITERATORS: ReadonlySet<string> = new Set(['some', 'all', 'none']);

const join = (path: string, segment: string | number) =>
  path === '' ? String(segment) : `${path}.${segment}`;

/** How a node's own work adds up over one evaluation of the whole rule. */
type Total = (work: Linear) => number;
const ONCE: Total = (work) => work.fixed;
/** Inside `some` / `all` / `none`: up to MAX_ITEMS items, of MAX_ITEMS_CHARS together. */
const PER_ITEM: Total = (work) => MAX_ITEMS * work.fixed + MAX_ITEMS_CHARS * work.perItemChar;

/**
 * The static worst case of one evaluation of a valid rule (validateRule has checked it):
 * OPERATION_COST per operation, LITERAL_COST per literal, TEXT_COST per character an operation
 * reads or builds, SEARCH_COST per character of a string `in` searches; a value read from the
 * context is as long as its schema allows (`maxTextLength`); `some` / `all` / `none` repeat
 * their condition for each item of a list of strings. `costliest` is the node whose own work
 * adds up to the most.
 */
class CostEstimator {
  costliest = { path: '', cost: -1, repeated: false };

  /** Records a node's own work; returns it. */
  private own(path: string, work: Linear, total: Total): Linear {
    const cost = total(work);
    if (cost > this.costliest.cost) {
      this.costliest = { path, cost, repeated: total === PER_ITEM };
    }
    return work;
  }

  /** `inItem`: the data is a list item (a string), inside `some` / `all` / `none`. */
  node(value: unknown, path: string, inItem: boolean, total: Total): Estimate {
    const literal = () => this.own(path, constant(LITERAL_COST), total);
    if (typeof value === 'string') {
      const chars = constant(value.length);
      return { cost: literal(), chars, string: chars };
    }
    if (typeof value !== 'object' || value === null) return { ...SCALAR, cost: literal() };
    if (Array.isArray(value)) {
      const items = value.map((item, i) => this.node(item, join(path, i), inItem, total));
      return {
        cost: plus(literal(), ...items.map((item) => item.cost)),
        chars: plus(constant(value.length), ...items.map((item) => item.chars)),
        string: ZERO,
      };
    }

    const [op] = Object.keys(value);
    const raw = (value as Record<string, unknown>)[op];
    const here = join(path, op);
    const args: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
    const argPath = (index: number) => (Array.isArray(raw) ? join(here, index) : here);
    const operation = (extra: Linear = ZERO) =>
      this.own(path, plus(constant(OPERATION_COST), extra), total);

    if (op === 'var') {
      const read = Array.isArray(raw) ? (raw.length === 0 ? '' : raw[0]) : raw;
      const varPath = typeof read === 'string' || typeof read === 'number' ? read : '';
      // In an item, the data is the item itself (a string of L characters).
      const item: Linear = { fixed: 0, perItemChar: 1 };
      const bound = inItem
        ? varPath === ''
          ? { chars: item, string: item }
          : SCALAR
        : {
            chars: constant(maxTextLength(varPath).chars),
            string: constant(maxTextLength(varPath).string),
          };
      const fallback =
        Array.isArray(raw) && raw.length === 2
          ? this.node(raw[1], join(here, 1), inItem, total)
          : { cost: ZERO, chars: ZERO, string: ZERO };
      return {
        cost: plus(operation(), fallback.cost),
        chars: upper(bound.chars, fallback.chars),
        string: upper(bound.string, fallback.string),
      };
    }
    if (ITERATORS.has(op)) {
      const source = this.node(args[0], argPath(0), inItem, total);
      // List items are strings: an iterator inside another one has nothing to iterate, and its
      // condition is counted once, conservatively.
      const condition = this.node(args[1], argPath(1), true, inItem ? total : PER_ITEM);
      const repeated = inItem ? condition.cost : constant(PER_ITEM(condition.cost));
      return { ...SCALAR, cost: plus(operation(), source.cost, repeated) };
    }

    const parts = args.map((arg, i) => this.node(arg, argPath(i), inItem, total));
    const costs = parts.map((part) => part.cost);
    const read = plus(...parts.map((part) => part.chars));
    const reading = times(TEXT_COST, read);
    switch (op) {
      case 'cat':
        return { cost: plus(operation(reading), ...costs), chars: read, string: read };
      case 'substr':
        return {
          cost: plus(operation(reading), ...costs),
          chars: parts[0].chars,
          string: parts[0].chars,
        };
      case 'in': {
        const searched = times(SEARCH_COST, parts[1]?.string ?? ZERO);
        return { ...SCALAR, cost: plus(operation(plus(reading, searched)), ...costs) };
      }
      case 'if':
      case 'and':
      case 'or':
        return {
          cost: plus(operation(), ...costs),
          chars: upper(...parts.map((part) => part.chars)),
          string: upper(...parts.map((part) => part.string)),
        };
      default:
        // `missing` and `missing_some` return the keys they did not find.
        return {
          cost: plus(operation(reading), ...costs),
          chars: SCALAR_RESULT.has(op) ? SCALAR.chars : read,
          string: ZERO,
        };
    }
  }
}

/** The worst-case cost of one evaluation of a valid rule, and the node most of it comes from. */
export const ruleCost = (rule: unknown) => {
  const estimator = new CostEstimator();
  const { cost } = estimator.node(rule, '', false, ONCE);
  return { cost: Math.ceil(cost.fixed), costliest: estimator.costliest };
};

/** An issue at the costliest node when the rule is over MAX_RULE_COST; none otherwise. */
export const costIssues = (rule: unknown): Issue[] => {
  const { cost, costliest } = ruleCost(rule);
  if (cost <= MAX_RULE_COST) return [];
  return [
    {
      path: costliest.path,
      ...messageOf(costliest.repeated ? 'rule.tooExpensiveInList' : 'rule.tooExpensive', {
        cost,
        max: MAX_RULE_COST,
      }),
    },
  ];
};
