import { isContextPath } from './context';
import { messageOf, type Message, type MessageId } from './messages';
import { FORBIDDEN_KEYS, isPlainObject } from './objects';
import { compileCondition } from './rule-compiler';
import { costIssues } from './rule-cost';
import type { CompiledRule, EvaluationData, Issue, Rule } from './types';

/**
 * The operators a rule may use. Everything else is refused on save, including json-logic-js's
 * own `map`, `filter`, `reduce`, `merge` (unbounded work, OOM crashes), `log` (console spam),
 * `method` (removed in 2.0, was an RCE) and `?:` (an alias of `if` the editor does not know).
 */
export const ALLOWED_OPERATORS = [
  'var',
  'missing',
  'missing_some',
  'if',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'and',
  'or',
  '<',
  '<=',
  '>',
  '>=',
  'min',
  'max',
  '+',
  '-',
  '*',
  '/',
  '%',
  'in',
  'cat',
  'substr',
  'some',
  'all',
  'none',
  'starts_with',
  'ends_with',
] as const;

export type Operator = (typeof ALLOWED_OPERATORS)[number];

/** Nesting of objects and arrays, the root counting as 1. */
export const MAX_RULE_DEPTH = 32;
/** Length of `JSON.stringify(rule)`. */
export const MAX_RULE_BYTES = 16_384;
/** Items of one array (a literal list or the arguments of an operator). */
export const MAX_ARRAY_LITERAL = 1_000;
/** `some` / `all` / `none` inside the condition of another one, at most this many levels. */
export const MAX_ITERATOR_NESTING = 2;
/** Issues reported for one rule at most (the rest would not help an editor). */
const MAX_ISSUES = 100;

const ALLOWED: ReadonlySet<string> = new Set(ALLOWED_OPERATORS);
const COMPARISONS: ReadonlySet<string> = new Set([
  '==',
  '===',
  '!=',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'in',
]);

/** Operators editors may know from json-logic-js, refused with the reason why. */
const WHY_FORBIDDEN: Readonly<Record<string, MessageId>> = Object.assign(Object.create(null), {
  map: 'rule.operatorLoops',
  filter: 'rule.operatorLoops',
  reduce: 'rule.operatorSlow',
  merge: 'rule.operatorHuge',
  method: 'rule.operatorMethod',
  log: 'rule.operatorLog',
  '?:': 'rule.operatorAlias',
});

/** [min, max] arguments of operators whose arity is fixed (others take any number). */
const ARITY: Readonly<Record<string, readonly [number, number]>> = Object.assign(
  Object.create(null),
  {
    '!': [1, 1],
    '!!': [1, 1],
    '==': [2, 2],
    '===': [2, 2],
    '!=': [2, 2],
    '!==': [2, 2],
    '<': [2, 3],
    '<=': [2, 3],
    '>': [2, 2],
    '>=': [2, 2],
    '-': [1, 2],
    '/': [2, 2],
    '%': [2, 2],
    '*': [1, MAX_ARRAY_LITERAL],
    min: [1, MAX_ARRAY_LITERAL],
    max: [1, MAX_ARRAY_LITERAL],
    in: [2, 2],
    substr: [2, 3],
    some: [2, 2],
    all: [2, 2],
    none: [2, 2],
    missing_some: [2, 2],
    starts_with: [2, 2],
    ends_with: [2, 2],
  }
);

const shorten = (value: string, max = 64) =>
  value.length > max ? `${value.slice(0, max)}…` : value;

const quote = (value: string) => JSON.stringify(shorten(value));

const join = (path: string, segment: string | number) =>
  path === '' ? String(segment) : `${path}.${segment}`;

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value;

const TOO_DEEP = messageOf('rule.tooDeep', { max: MAX_RULE_DEPTH });

interface Scan {
  tooLarge: boolean;
  tooDeep: boolean;
  cycle: boolean;
}

/**
 * A first pass without recursion: stops as soon as a lower bound of the JSON size passes
 * MAX_RULE_BYTES, so a huge or cyclic input costs little and never overflows the stack.
 */
const scan = (rule: unknown): Scan => {
  type Frame = { value: unknown; depth: number } | { leave: object };
  const stack: Frame[] = [{ value: rule, depth: 1 }];
  const onPath = new Set<object>();
  let size = 0;
  let tooDeep = false;
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if ('leave' in frame) {
      onPath.delete(frame.leave);
      continue;
    }
    const { value, depth } = frame;
    if (typeof value === 'string') size += value.length + 2;
    else if (typeof value !== 'object' || value === null) size += 1;
    else {
      if (onPath.has(value)) return { tooLarge: false, tooDeep, cycle: true };
      if (depth > MAX_RULE_DEPTH) tooDeep = true;
      onPath.add(value);
      stack.push({ leave: value });
      if (Array.isArray(value)) {
        size += 1 + Math.max(value.length, 1);
        if (size > MAX_RULE_BYTES) return { tooLarge: true, tooDeep, cycle: false };
        for (let i = value.length - 1; i >= 0; i--)
          stack.push({ value: value[i], depth: depth + 1 });
      } else {
        const keys = Object.keys(value);
        size += 1 + Math.max(keys.length, 1);
        for (const key of keys) size += key.length + 3;
        if (size > MAX_RULE_BYTES) return { tooLarge: true, tooDeep, cycle: false };
        for (let i = keys.length - 1; i >= 0; i--) {
          stack.push({ value: (value as Record<string, unknown>)[keys[i]], depth: depth + 1 });
        }
      }
    }
    if (size > MAX_RULE_BYTES) return { tooLarge: true, tooDeep, cycle: false };
  }
  return { tooLarge: false, tooDeep, cycle: false };
};

/** Whether a `var`'s arguments carry a default other than [] or null. */
const hasListDefault = (raw: unknown): boolean =>
  Array.isArray(raw) &&
  raw.length === 2 &&
  raw[1] !== null &&
  !(Array.isArray(raw[1]) && raw[1].length === 0);

class Validator {
  readonly issues: Issue[] = [];

  add(path: string, message: Message): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, ...message });
  }

  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  /** Any node: a literal or an operation. `iterators` = enclosing some/all/none. */
  node(value: unknown, path: string, depth: number, iterators: number): void {
    if (this.full) return;
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(value)) this.add(path, messageOf('rule.notFinite'));
        return;
      case 'object':
        break;
      default:
        this.add(path, messageOf('rule.notJsonType', { type: typeof value }));
        return;
    }
    if (value === null) return;
    if (depth > MAX_RULE_DEPTH) {
      this.add(path, TOO_DEEP);
      return;
    }
    if (Array.isArray(value)) {
      if (this.list(value, path)) {
        for (let i = 0; i < value.length; i++)
          this.node(value[i], join(path, i), depth + 1, iterators);
      }
      return;
    }
    if (!isPlainObject(value)) {
      this.add(path, messageOf('rule.notJsonValue'));
      return;
    }
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      this.add(
        path,
        keys.length === 0
          ? messageOf('rule.emptyOperation')
          : messageOf('rule.manyOperators', {
              count: keys.length,
              keys: `${keys
                .slice(0, 5)
                .map((key) => quote(key))
                .join(', ')}${keys.length > 5 ? ', …' : ''}`,
            })
      );
      return;
    }
    this.operation(keys[0], (value as Record<string, unknown>)[keys[0]], path, depth, iterators);
  }

  /** Checks the length of an array; true when its items may be checked. */
  list(value: readonly unknown[], path: string): boolean {
    if (value.length > MAX_ARRAY_LITERAL) {
      this.add(
        path,
        messageOf('rule.listTooLong', { max: MAX_ARRAY_LITERAL, count: value.length })
      );
      return false;
    }
    return true;
  }

  operation(op: string, raw: unknown, path: string, depth: number, iterators: number): void {
    const here = join(path, op);
    if (!ALLOWED.has(op)) {
      // The path of the operation itself (`and.1`), so an editor marks the whole clause.
      this.add(
        path,
        messageOf(WHY_FORBIDDEN[op] ?? 'rule.operatorNotAllowed', { operator: quote(op) })
      );
      return;
    }
    // json-logic-js turns a single argument into a list of one.
    const args: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
    if (Array.isArray(raw) && !this.list(raw, here)) return;
    const arity = ARITY[op];
    if (arity && (args.length < arity[0] || args.length > arity[1])) {
      const [min, max] = arity;
      const found = { operator: quote(op), found: args.length };
      this.add(
        path,
        min === max
          ? messageOf('rule.arity', { ...found, count: min })
          : max === MAX_ARRAY_LITERAL
            ? messageOf('rule.arityAtLeast', { ...found, min })
            : messageOf('rule.arityRange', { ...found, min, max })
      );
      return;
    }
    // A non-list argument sits one level above a list one.
    const argDepth = Array.isArray(raw) ? depth + 2 : depth + 1;
    const argPath = (index: number) => (Array.isArray(raw) ? join(here, index) : here);
    if (Array.isArray(raw) && depth + 1 > MAX_RULE_DEPTH) {
      this.add(here, TOO_DEEP);
      return;
    }

    switch (op) {
      case 'var':
        return this.variable(raw, here, depth + 1, iterators);
      case 'missing': {
        // Keys as arguments, or one list of keys.
        if (Array.isArray(raw) && raw.length === 1 && Array.isArray(raw[0])) {
          if (depth + 2 > MAX_RULE_DEPTH) {
            this.add(here, TOO_DEEP);
          } else if (this.list(raw[0], join(here, 0))) {
            raw[0].forEach((key, i) => this.key(key, join(join(here, 0), i), iterators));
          }
        } else {
          args.forEach((key, i) => this.key(key, argPath(i), iterators));
        }
        return;
      }
      case 'missing_some': {
        const count = args[0];
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
          this.add(argPath(0), messageOf('rule.missingSomeCount'));
        }
        const keys = args[1];
        const keysPath = argPath(1);
        if (!Array.isArray(keys)) {
          this.add(keysPath, messageOf('rule.missingSomeList'));
        } else if (argDepth > MAX_RULE_DEPTH) {
          this.add(keysPath, TOO_DEEP);
        } else if (this.list(keys, keysPath)) {
          keys.forEach((key, i) => this.key(key, join(keysPath, i), iterators));
        }
        return;
      }
      case 'some':
      case 'all':
      case 'none': {
        const level = iterators + 1;
        if (level > MAX_ITERATOR_NESTING) {
          this.add(path, messageOf('rule.iteratorNesting', { max: MAX_ITERATOR_NESTING }));
          return;
        }
        const source = args[0];
        const sourcePath = argPath(0);
        if (
          typeof source !== 'object' ||
          source === null ||
          Array.isArray(source) ||
          Object.keys(source).length !== 1 ||
          Object.keys(source)[0] !== 'var'
        ) {
          this.add(sourcePath, messageOf('rule.iteratorSource', { operator: quote(op) }));
        } else if (hasListDefault((source as { var: unknown }).var)) {
          // A default list would be iterated instead of the context's (up to 1,000 items, or
          // lists of lists), beyond what the cost bound assumes.
          this.add(
            join(sourcePath, 'var'),
            messageOf('rule.iteratorDefault', { operator: quote(op) })
          );
        } else {
          this.node(source, sourcePath, argDepth, iterators);
        }
        this.node(args[1], argPath(1), argDepth, level);
        return;
      }
      default:
        if (COMPARISONS.has(op)) {
          // What an editor left blank (`visits > ""`): such a condition compares with nothing.
          args.forEach((arg, i) => {
            if (arg === '') this.add(argPath(i), messageOf('rule.emptyValue'));
          });
        }
        args.forEach((arg, i) => this.node(arg, argPath(i), argDepth, iterators));
    }
  }

  /** The argument of `var`: a literal path, or [literal path] / [literal path, default]. */
  variable(raw: unknown, path: string, depth: number, iterators: number): void {
    if (Array.isArray(raw)) {
      if (raw.length > 2) {
        this.add(path, messageOf('rule.varArguments', { count: raw.length }));
        return;
      }
      if (raw.length === 0) return; // the whole data, like {"var": ""}
      this.path(raw[0], join(path, 0), 'var', iterators);
      if (raw.length === 2) this.node(raw[1], join(path, 1), depth + 1, iterators);
      return;
    }
    this.path(raw, path, 'var', iterators);
  }

  /** A key of `missing` / `missing_some`. */
  key(raw: unknown, path: string, iterators: number): void {
    this.path(raw, path, 'missing', iterators);
  }

  /** A path read from the data: the visitor context, or inside some/all/none the list's item. */
  path(raw: unknown, path: string, op: string, iterators: number): void {
    if (typeof raw === 'number') {
      if (!Number.isFinite(raw)) this.add(path, messageOf('rule.notFinite'));
      else if (iterators === 0) this.add(path, messageOf('rule.unknownField', { field: raw }));
      return;
    }
    if (typeof raw !== 'string') {
      this.add(
        path,
        typeof raw === 'object' && raw !== null && !Array.isArray(raw)
          ? messageOf('rule.pathComputed', { operator: quote(op) })
          : messageOf('rule.pathNotLiteral', { operator: quote(op), kind: kindOf(raw) })
      );
      return;
    }
    for (const segment of raw.split('.')) {
      if (FORBIDDEN_KEYS.has(segment)) {
        this.add(
          path,
          messageOf('rule.pathForbidden', { segment: quote(segment), path: quote(raw) })
        );
        return;
      }
    }
    if (iterators === 0 && !isContextPath(raw)) {
      this.add(path, messageOf('rule.unknownField', { field: quote(raw) }));
    }
  }
}

/**
 * Checks a stored or submitted rule: null/undefined mean "no rule" and are valid. Returns every
 * problem found (at most 100), each with the dotted path of the offending node. Never throws.
 */
export const validateRule = (rule: unknown): Issue[] => {
  if (rule === null || rule === undefined) return [];
  try {
    const scanned = scan(rule);
    if (scanned.cycle) return [{ path: '', ...messageOf('rule.cycle') }];
    const tooLarge = { path: '', ...messageOf('rule.tooLarge', { max: MAX_RULE_BYTES }) };
    const tooDeeplyNested = { path: '', ...messageOf('rule.tooDeeplyNested') };
    if (scanned.tooLarge) return scanned.tooDeep ? [tooLarge, tooDeeplyNested] : [tooLarge];
    let json: string | undefined;
    try {
      json = JSON.stringify(rule);
    } catch (error) {
      return [
        error instanceof RangeError ? tooDeeplyNested : { path: '', ...messageOf('rule.notJson') },
      ];
    }
    if (json === undefined) return [{ path: '', ...messageOf('rule.notJson') }];
    if (json.length > MAX_RULE_BYTES) return [tooLarge];
    // A bare string, number or list would be a constant (and a JSON string cannot be stored as
    // jsonb by Strapi on PostgreSQL), so a rule is an operation or true/false.
    if (typeof rule !== 'boolean' && !isPlainObject(rule)) {
      return [
        {
          path: '',
          ...messageOf('rule.notOperation', { example: '{"==": [{"var": "device"}, "mobile"]}' }),
        },
      ];
    }
    const validator = new Validator();
    validator.node(rule, '', 1, 0);
    return validator.issues.length > 0 ? validator.issues : costIssues(rule);
  } catch (error) {
    // Only reachable with hostile objects built in code (throwing getters, proxies).
    return [{ path: '', ...messageOf('rule.unreadable', { reason: shorten(String(error), 200) }) }];
  }
};

/** A rule that failed validation; `issues` says why. */
export class RuleError extends Error {
  readonly issues: Issue[];

  constructor(issues: Issue[]) {
    super(
      `invalid rule: ${issues
        .slice(0, 5)
        .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
        .join('; ')}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`
    );
    this.name = 'RuleError';
    this.issues = issues;
  }
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
};

/**
 * Validates and compiles a rule. null/undefined → null (no rule); an invalid rule throws a
 * RuleError. The returned function never throws: an evaluation error counts as false and is
 * reported to `onError` once per compiled rule. It computes what json-logic-js 2.0.5 would
 * (rule-compiler.ts), from a private frozen copy: whoever passed the rule may change their
 * object afterwards.
 */
export const compileRule = (
  rule: Rule,
  options: { onError?: (error: unknown) => void } = {}
): CompiledRule | null => {
  if (rule === null || rule === undefined) return null;
  const issues = validateRule(rule);
  if (issues.length > 0) throw new RuleError(issues);
  const logic = deepFreeze(JSON.parse(JSON.stringify(rule)) as unknown);
  const holds = compileCondition(logic);
  const { onError } = options;
  let reported = false;
  const evaluate = (evaluationData: EvaluationData): boolean => {
    try {
      return holds(evaluationData);
    } catch (error) {
      if (!reported) {
        reported = true;
        try {
          onError?.(error);
        } catch {
          // A failing logger must not fail the request.
        }
      }
      return false;
    }
  };
  return Object.assign(evaluate, { reads: fieldsRead(logic), logic });
};

/** A rule that never matches (e.g. in place of a stored rule that no longer validates). */
export const NEVER: CompiledRule = Object.assign(() => false, {
  reads: new Set<string>(),
  logic: false,
});

/**
 * The context fields a valid rule may read (`geo` for "geo.country"); `*` when it reads the
 * whole context. Inside `some` / `all` / `none`, `var` reads the list item, not the context.
 */
export const fieldsRead = (rule: unknown): ReadonlySet<string> => {
  const fields = new Set<string>();
  const field = (path: unknown) =>
    fields.add(path === '' || path === undefined ? '*' : String(path).split('.')[0]);
  const visit = (node: unknown, inItem: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, inItem);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const [op] = Object.keys(node);
    const raw = (node as Record<string, unknown>)[op];
    const args: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
    if (op === 'var') {
      if (!inItem) field(args[0]);
      visit(args[1], inItem);
    } else if (op === 'missing' || op === 'missing_some') {
      const keys =
        op === 'missing_some'
          ? args[1]
          : args.length === 1 && Array.isArray(args[0])
            ? args[0]
            : args;
      if (!inItem) for (const key of keys as unknown[]) field(key);
    } else if (op === 'some' || op === 'all' || op === 'none') {
      visit(args[0], inItem);
      visit(args[1], true);
    } else {
      visit(args, inItem);
    }
  };
  visit(rule, false);
  return fields;
};
