/**
 * Compiles a JSON-logic node once into a tree of closures that computes exactly what
 * json-logic-js 2.0.5's `apply` computes (test/unit/rule-compiler.test.ts checks it against
 * json-logic-js), without re-reading the rule on every call. No `eval`, no `new Function`: it
 * runs under a strict Content-Security-Policy and in Cloudflare Workers. Pure TypeScript, like
 * the rest of the engine.
 *
 * Every operator of ALLOWED_OPERATORS (rules.ts) is implemented, with json-logic-js's quirks:
 * loose `==`, `[]` is falsy, `and` / `or` return the deciding value, `+` and `*` go through
 * `parseFloat`, `var` walks inherited properties, `missing` re-reads computed keys as logic… The
 * other operators json-logic-js knows (`map`, `filter`, `reduce`, `merge`, `log`, `?:`) are
 * refused by validation, and throw "Unrecognized operation" here, like an unknown operator.
 */

/** What a compiled node computes from the data it is given. */
export type Evaluate = (data: unknown) => unknown;

/** A compiled node's json-logic truthiness, as a rule's verdict. */
export type Condition = (data: unknown) => boolean;

/** json-logic truthiness: JavaScript's, except that an empty list is false. */
export const truthy = (value: unknown): boolean =>
  Array.isArray(value) ? value.length > 0 : Boolean(value);

/** `starts_with`: both arguments must be strings, anything else is false. */
const startsWith = (text: unknown, prefix: unknown): boolean =>
  typeof text === 'string' && typeof prefix === 'string' && text.startsWith(prefix);

/** `ends_with`: both arguments must be strings, anything else is false. */
const endsWith = (text: unknown, suffix: unknown): boolean =>
  typeof text === 'string' && typeof suffix === 'string' && text.endsWith(suffix);

/** A compiled node; a `constant` one (no operation inside) always evaluates to `value`. */
interface Compiled {
  readonly evaluate: Evaluate;
  readonly constant: boolean;
  readonly value: unknown;
}

const constant = (value: unknown): Compiled => ({ evaluate: () => value, constant: true, value });
const computed = (evaluate: Evaluate): Compiled => ({
  evaluate,
  constant: false,
  value: undefined,
});

const UNDEFINED = constant(undefined);

/** json-logic-js's `is_logic`: an object (not a list) with exactly one key, the operator. */
const operationOf = (node: unknown): { op: string; args: readonly unknown[] } | null => {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  if (keys.length !== 1) return null;
  const raw = (node as Record<string, unknown>)[keys[0]];
  // A lone argument counts as a list of one: {"var": "x"} is {"var": ["x"]}.
  return { op: keys[0], args: Array.isArray(raw) ? raw : [raw] };
};

/** The values of compiled arguments, in order (json-logic-js evaluates every one of them). */
const valuesOf = (evaluators: readonly Evaluate[], data: unknown): unknown[] => {
  const values = new Array<unknown>(evaluators.length);
  for (let i = 0; i < evaluators.length; i++) values[i] = evaluators[i](data);
  return values;
};

/** parseFloat, without turning a number into text first (its value is the same, -0 aside). */
const toFloat = (value: unknown): number =>
  typeof value === 'number' ? (value === 0 ? 0 : value) : parseFloat(value as string);

// The operators that take their arguments' values, as json-logic-js 2.0.5 writes them. Casts to
// number only quiet TypeScript: JavaScript coerces whatever the values are, as json-logic-js's do.

/** Operators that read their first 1–3 arguments (any further ones are evaluated, then ignored). */
const FIXED: Readonly<Record<string, (a: unknown, b: unknown, c: unknown) => unknown>> =
  Object.assign(Object.create(null), {
    '==': (a: unknown, b: unknown) => a == b,
    '===': (a: unknown, b: unknown) => a === b,
    '!=': (a: unknown, b: unknown) => a != b,
    '!==': (a: unknown, b: unknown) => a !== b,
    '>': (a: unknown, b: unknown) => (a as number) > (b as number),
    '>=': (a: unknown, b: unknown) => (a as number) >= (b as number),
    // A third argument makes a "between": a < b < c.
    '<': (a: unknown, b: unknown, c: unknown) =>
      c === undefined
        ? (a as number) < (b as number)
        : (a as number) < (b as number) && (b as number) < (c as number),
    '<=': (a: unknown, b: unknown, c: unknown) =>
      c === undefined
        ? (a as number) <= (b as number)
        : (a as number) <= (b as number) && (b as number) <= (c as number),
    '!!': (a: unknown) => truthy(a),
    '!': (a: unknown) => !truthy(a),
    '%': (a: unknown, b: unknown) => (a as number) % (b as number),
    // Membership in a list (strict equality), or a substring of a string.
    in: (a: unknown, b: unknown) => {
      if (!b || typeof (b as { indexOf?: unknown }).indexOf === 'undefined') return false;
      return (b as { indexOf: (item: unknown) => number }).indexOf(a) !== -1;
    },
    // A negative end counts from the end of the text (PHP's substr).
    substr: (source: unknown, start: unknown, end: unknown) => {
      if ((end as number) < 0) {
        const rest = String(source).substr(start as number);
        return rest.substr(0, rest.length + (end as number));
      }
      return String(source).substr(start as number, end as number);
    },
    '-': (a: unknown, b: unknown) =>
      b === undefined ? -(a as number) : (a as number) - (b as number),
    '/': (a: unknown, b: unknown) => (a as number) / (b as number),
    starts_with: startsWith,
    ends_with: endsWith,
  });

/** How many arguments each FIXED operator reads. */
const READS: Readonly<Record<string, number>> = Object.assign(Object.create(null), {
  '<': 3,
  '<=': 3,
  substr: 3,
  '!!': 1,
  '!': 1,
});

/** Operators that read every argument. */
const VARIADIC: Readonly<Record<string, (values: unknown[]) => unknown>> = Object.assign(
  Object.create(null),
  {
    cat: (values: unknown[]) => values.join(''),
    '+': (values: unknown[]) => values.reduce<number>((sum, b) => toFloat(sum) + toFloat(b), 0),
    // No initial value: one argument is returned as it is, none throws (as in json-logic-js).
    '*': (values: unknown[]) => values.reduce((product, b) => toFloat(product) * toFloat(b)),
    min: (values: unknown[]) => Math.min(...(values as number[])),
    max: (values: unknown[]) => Math.max(...(values as number[])),
  }
);

/** Operations whose value is always a boolean: their truthiness is their value. */
const BOOLEAN_VALUED: ReadonlySet<string> = new Set([
  ...['==', '===', '!=', '!==', '<', '<=', '>', '>=', '!', '!!', 'in'],
  ...['some', 'all', 'none', 'starts_with', 'ends_with'],
]);

/**
 * Comparisons of a computed value with a literal, each its own closure: V8 then inlines the
 * comparison instead of calling FIXED's through a call site shared by every operator.
 */
const COMPARED_WITH_LITERAL: Readonly<
  Record<string, (value: Evaluate, literal: unknown) => Evaluate>
> = Object.assign(Object.create(null), {
  '==': (value: Evaluate, literal: unknown) => (data: unknown) => value(data) == literal,
  '===': (value: Evaluate, literal: unknown) => (data: unknown) => value(data) === literal,
  '!=': (value: Evaluate, literal: unknown) => (data: unknown) => value(data) != literal,
  '!==': (value: Evaluate, literal: unknown) => (data: unknown) => value(data) !== literal,
  '>': (value: Evaluate, literal: unknown) => (data: unknown) =>
    (value(data) as number) > (literal as number),
  '>=': (value: Evaluate, literal: unknown) => (data: unknown) =>
    (value(data) as number) >= (literal as number),
  '<': (value: Evaluate, literal: unknown) => (data: unknown) =>
    (value(data) as number) < (literal as number),
  '<=': (value: Evaluate, literal: unknown) => (data: unknown) =>
    (value(data) as number) <= (literal as number),
});

/** Literal lists at least this long are searched through a Set (shorter ones by indexOf). */
const SET_SEARCH_MIN = 8;

const isPrimitive = (value: unknown): boolean =>
  value === null || (typeof value !== 'object' && typeof value !== 'function');

/**
 * A literal list. Each occurrence gets its own frozen copy: json-logic-js builds a new list on
 * every evaluation, so two lists are never the same object, and nobody can change this one.
 */
const compileList = (items: readonly unknown[]): Compiled => {
  const compiled = items.map(compileNode);
  if (compiled.every((item) => item.constant)) {
    return constant(Object.freeze(compiled.map((item) => item.value)));
  }
  const evaluators = compiled.map((item) => item.evaluate);
  return computed((data) => valuesOf(evaluators, data));
};

/** `var`'s walk down a path: undefined, or null/undefined on the way, is `notFound`. */
const walk = (data: unknown, segments: readonly string[], notFound: unknown): unknown => {
  let current = data;
  for (let i = 0; i < segments.length; i++) {
    if (current === null || current === undefined) return notFound;
    current = (current as Record<string, unknown>)[segments[i]];
    if (current === undefined) return notFound;
  }
  return current;
};

/** json-logic-js's `var`: "", null or no path is the whole data; paths split at dots. */
const readVar = (data: unknown, path: unknown, fallback: unknown): unknown => {
  if (path === undefined || path === '' || path === null) return data;
  return walk(data, String(path).split('.'), fallback === undefined ? null : fallback);
};

const compileVar = (args: readonly unknown[]): Compiled => {
  const parts = args.map(compileNode);
  const [path, fallback = UNDEFINED] = parts;
  const literalPath =
    path?.constant && (typeof path.value === 'string' || typeof path.value === 'number');
  if (parts.length <= 2 && literalPath && path.value !== '') {
    // The common case: a literal path, split once.
    const segments = String(path.value).split('.');
    if (fallback.constant) {
      const notFound = fallback.value === undefined ? null : fallback.value;
      if (segments.length === 1) {
        const [key] = segments;
        return computed((data) => {
          if (data === null || data === undefined) return notFound;
          const value = (data as Record<string, unknown>)[key];
          return value === undefined ? notFound : value;
        });
      }
      return computed((data) => walk(data, segments, notFound));
    }
    // A computed default is evaluated first, whether it is needed or not.
    const notFound = fallback.evaluate;
    return computed((data) => {
      const value = notFound(data);
      return walk(data, segments, value === undefined ? null : value);
    });
  }
  if (parts.length === 0 || (parts.length === 1 && path.constant && path.value === '')) {
    return computed((data) => data);
  }
  const evaluators = parts.map((part) => part.evaluate);
  return computed((data) => {
    const values = valuesOf(evaluators, data);
    return readVar(data, values[0], values[1]);
  });
};

/**
 * `missing`: the keys whose value (as `{"var": key}` reads it) is null or "". Its keys are its
 * arguments, or the first one when that is a list. Keys that are lists or objects are read as
 * logic again, as json-logic-js does.
 */
const missingKeys = (
  keys: ArrayLike<unknown>,
  readers: readonly Evaluate[],
  data: unknown
): unknown[] => {
  const missing: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const value = readers[i](data);
    if (value === null || value === '') missing.push(keys[i]);
  }
  return missing;
};

const keysOf = (values: readonly unknown[]): readonly unknown[] =>
  Array.isArray(values[0]) ? values[0] : values;

const readerOf = (key: unknown): Evaluate => compileNode({ var: key }).evaluate;

const compileMissing = (args: readonly unknown[]): Compiled => {
  const parts = args.map(compileNode);
  if (parts.every((part) => part.constant)) {
    const keys = keysOf(parts.map((part) => part.value));
    const readers = keys.map(readerOf);
    return computed((data) => missingKeys(keys, readers, data));
  }
  const evaluators = parts.map((part) => part.evaluate);
  return computed((data) => {
    const keys = keysOf(valuesOf(evaluators, data));
    return missingKeys(keys, keys.map(readerOf), data);
  });
};

/**
 * `missing_some`: [] when at least `need` of the keys are present, else the missing ones. Like
 * json-logic-js, it applies `missing` to the list's value (so a list holding one list of keys
 * counts as one key) and subtracts from the list's length.
 */
const compileMissingSome = (args: readonly unknown[]): Compiled => {
  const parts = args.map(compileNode);
  const evaluators = parts.map((part) => part.evaluate);
  const missingOf = (keys: unknown): Evaluate => compileNode({ missing: keys }).evaluate;
  const options = parts[1] ?? UNDEFINED;
  const missingOfOptions = options.constant ? missingOf(options.value) : null;
  return computed((data) => {
    const [need, keys] = valuesOf(evaluators, data);
    const missing = (missingOfOptions ?? missingOf(keys))(data) as unknown[];
    return (keys as { length: number }).length - missing.length >= (need as number) ? [] : missing;
  });
};

/**
 * `if`: the branch after the first truthy condition, else the last odd argument, else `none`.
 * Branches are compiled by `branch`: for their value, or for their truthiness.
 */
const compileBranches = <T>(
  args: readonly unknown[],
  branch: (node: unknown) => (data: unknown) => T,
  none: T
) => {
  const pairs = Math.floor(args.length / 2);
  const tests = Array.from({ length: pairs }, (_, i) => compileCondition(args[2 * i]));
  const branches = Array.from({ length: pairs }, (_, i) => branch(args[2 * i + 1]));
  const otherwise = args.length % 2 === 1 ? branch(args[args.length - 1]) : () => none;
  return (data: unknown): T => {
    for (let i = 0; i < pairs; i++) if (tests[i](data)) return branches[i](data);
    return otherwise(data);
  };
};

/** `and` / `or`: the first falsy / truthy value, else the last one (undefined for none). */
const compileJunction = (isOr: boolean, args: readonly unknown[]): Compiled => {
  const parts = args.map((arg) => compileNode(arg).evaluate);
  return computed((data) => {
    let current: unknown;
    for (let i = 0; i < parts.length; i++) {
      current = parts[i](data);
      if (truthy(current) === isOr) return current;
    }
    return current;
  });
};

/**
 * What `some` / `all` / `none` return: on an empty list (or none at all), when an item's
 * condition is `stopAt`, and when no item was.
 */
const ITERATORS: Readonly<
  Record<string, { empty: boolean; stopAt: boolean; stopped: boolean; otherwise: boolean }>
> = Object.assign(Object.create(null), {
  some: { empty: false, stopAt: true, stopped: true, otherwise: false },
  all: { empty: false, stopAt: false, stopped: false, otherwise: true },
  none: { empty: true, stopAt: true, stopped: false, otherwise: true },
});

/** The condition is evaluated with each item as the data; more arguments are never evaluated. */
const compileIterator = (op: string, args: readonly unknown[]): Compiled => {
  const { empty, stopAt, stopped, otherwise } = ITERATORS[op];
  const source = compileNode(args[0]).evaluate;
  const condition = compileCondition(args[1]);
  return computed((data) => {
    const items = source(data);
    if (!Array.isArray(items) || items.length === 0) return empty;
    for (let i = 0; i < items.length; i++) {
      if (condition(items[i]) === stopAt) return stopped;
    }
    return otherwise;
  });
};

/**
 * `in` against a literal list of primitives: indexOf's strict equality, or a Set's (the same for
 * primitives once NaN, which indexOf never finds, is left out).
 */
const compileInLiteralList = (needle: Evaluate, list: readonly unknown[]): Compiled => {
  if (list.length >= SET_SEARCH_MIN && !list.some((item) => Number.isNaN(item))) {
    const members = new Set(list);
    return computed((data) => members.has(needle(data)));
  }
  return computed((data) => list.indexOf(needle(data)) !== -1);
};

/** An operator that takes its arguments' values. */
const compileEager = (op: string, args: readonly unknown[]): Compiled => {
  const parts = args.map(compileNode);
  const evaluators = parts.map((part) => part.evaluate);
  const variadic = VARIADIC[op];
  if (variadic) return computed((data) => variadic(valuesOf(evaluators, data)));
  const fixed = FIXED[op];
  if (!fixed) {
    return computed((data) => {
      valuesOf(evaluators, data);
      throw new Error(`Unrecognized operation ${op}`);
    });
  }
  const reads = READS[op] ?? 2;
  if (parts.length > reads) {
    return computed((data) => {
      const values = valuesOf(evaluators, data);
      return fixed(values[0], values[1], values[2]);
    });
  }
  const [first = UNDEFINED, second = UNDEFINED, third = UNDEFINED] = parts;
  if (
    op === 'in' &&
    parts.length === 2 &&
    second.constant &&
    Array.isArray(second.value) &&
    second.value.every(isPrimitive)
  ) {
    return compileInLiteralList(first.evaluate, second.value);
  }
  const a = first.evaluate;
  if (reads === 1) return computed((data) => fixed(a(data), undefined, undefined));
  // A literal side is read once, here, rather than called for on every evaluation.
  if (parts.length === 2 && second.constant && COMPARED_WITH_LITERAL[op]) {
    return computed(COMPARED_WITH_LITERAL[op](a, second.value));
  }
  if (parts.length <= 2 && second.constant) {
    const b = second.value;
    return computed((data) => fixed(a(data), b, undefined));
  }
  if (parts.length <= 2 && first.constant) {
    const value = first.value;
    const b = second.evaluate;
    return computed((data) => fixed(value, b(data), undefined));
  }
  const b = second.evaluate;
  const c = third.evaluate;
  return computed((data) => fixed(a(data), b(data), c(data)));
};

const compileOperation = (op: string, args: readonly unknown[]): Compiled => {
  switch (op) {
    case 'var':
      return compileVar(args);
    case 'missing':
      return compileMissing(args);
    case 'missing_some':
      return compileMissingSome(args);
    case 'if':
      return computed(compileBranches<unknown>(args, compileLogic, null));
    case 'and':
      return compileJunction(false, args);
    case 'or':
      return compileJunction(true, args);
    case 'some':
    case 'all':
    case 'none':
      return compileIterator(op, args);
    default:
      return compileEager(op, args);
  }
};

const compileNode = (node: unknown): Compiled => {
  if (Array.isArray(node)) return compileList(node);
  const operation = operationOf(node);
  // A literal (or an object that is not an operation) is its own value.
  return operation === null ? constant(node) : compileOperation(operation.op, operation.args);
};

/**
 * Compiles a node (a rule that validateRule accepted, or any part of one) into a function of the
 * data that returns what json-logic-js's `apply(node, data)` returns, and throws when it throws.
 * Paths and literal lists are copied; an object that is not an operation is kept as it is, as
 * json-logic-js returns it (compileRule compiles a frozen private copy of the rule).
 */
export const compileLogic = (node: unknown): Evaluate => compileNode(node).evaluate;

/**
 * Compiles a node into its truthiness: `truthy(apply(node, data))`, without building the values
 * that only decide it (`and` / `or` / `if` branches, negations, boolean operations).
 */
export const compileCondition = (node: unknown): Condition => {
  const operation = operationOf(node);
  if (operation === null) {
    const compiled = compileNode(node);
    if (compiled.constant) {
      const verdict = truthy(compiled.value);
      return () => verdict;
    }
    const { evaluate } = compiled;
    return (data) => truthy(evaluate(data));
  }
  const { op, args } = operation;
  if (op === 'and' || op === 'or') {
    // truthy(and) is "every argument is truthy" (and there is one); truthy(or) is "some is".
    const parts = args.map(compileCondition);
    const isOr = op === 'or';
    return (data) => {
      for (let i = 0; i < parts.length; i++) if (parts[i](data) === isOr) return isOr;
      return !isOr && parts.length > 0;
    };
  }
  if (op === 'if') return compileBranches(args, compileCondition, false);
  if ((op === '!' || op === '!!') && args.length === 1) {
    const argument = compileCondition(args[0]);
    return op === '!' ? (data) => !argument(data) : argument;
  }
  const { evaluate } = compileNode(node);
  // These operations return a boolean whatever their arguments.
  if (BOOLEAN_VALUED.has(op)) return evaluate as Condition;
  return (data) => truthy(evaluate(data));
};
