import isEqual from 'lodash/isEqual';
import { formatQuery, type Field, type RuleGroupType, type RuleType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';

/**
 * JSON-logic ↔ react-querybuilder query, for the visual rule editor. The library is configured
 * for every operator the builder offers, in both directions, and `ruleToQuery` refuses (with the
 * reason) any rule whose round trip is not equivalent: the editor then shows the raw JSON instead
 * of a builder that would silently drop or change part of the rule.
 */

export type JsonLogic = Record<string, unknown> | boolean | null;

const EQUALITY = ['==', '!=', '===', '!=='] as const;
const ORDER = ['<', '<=', '>', '>=', 'between', 'notBetween'] as const;
const MEMBERSHIP = ['in', 'notIn'] as const;
const TEXT_MATCH = [
  'contains',
  'doesNotContain',
  'beginsWith',
  'doesNotBeginWith',
  'endsWith',
  'doesNotEndWith',
] as const;
const PRESENCE = ['exists', 'doesNotExist'] as const;

/** The builder's operators: JSON-logic comparison keys, and names for the rest. */
export const OPERATORS = [
  ...EQUALITY,
  ...ORDER,
  ...MEMBERSHIP,
  ...TEXT_MATCH,
  ...PRESENCE,
] as const;

export type Operator = (typeof OPERATORS)[number];

export type ValueKind = 'number' | 'text' | 'list' | 'boolean' | 'select';

/** The field picker's groups, in the order it lists them. */
export const FIELD_GROUPS = [
  'visitor',
  'campaign',
  'place',
  'behaviour',
  'interests',
  'time',
  'traits',
] as const;

export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** A context field the builder offers (docs/architecture.md §4, docs/rules.md). */
export interface ContextField extends Field {
  name: string;
  label: string;
  kind: ValueKind;
  group: FieldGroup;
  values?: { name: string; label: string }[];
}

/** Operators that make sense for a kind of value. */
export const operatorsFor = (kind: ValueKind): readonly Operator[] =>
  (
    ({
      number: [...EQUALITY, ...ORDER, ...MEMBERSHIP, ...PRESENCE],
      text: [...EQUALITY, ...MEMBERSHIP, ...TEXT_MATCH, ...PRESENCE],
      select: ['==', '!=', ...MEMBERSHIP, ...PRESENCE],
      list: ['contains', 'doesNotContain', ...PRESENCE],
      boolean: ['==', '!=', ...PRESENCE],
    }) as const
  )[kind];

const field = (
  name: string,
  kind: ValueKind,
  group: FieldGroup,
  values?: string[]
): ContextField => ({
  name,
  label: name,
  kind,
  group,
  ...(values ? { values: values.map((value) => ({ name: value, label: value })) } : {}),
});

/** The documented context fields; `traits.*` fields are added from the rule and sample contexts. */
export const CONTEXT_FIELDS: ContextField[] = [
  field('visits', 'number', 'behaviour'),
  field('pageViews', 'number', 'behaviour'),
  field('events', 'list', 'behaviour'),
  field('persona', 'text', 'visitor'),
  field('stage', 'text', 'visitor'),
  field('utm.source', 'text', 'campaign'),
  field('utm.medium', 'text', 'campaign'),
  field('utm.campaign', 'text', 'campaign'),
  field('utm.term', 'text', 'campaign'),
  field('utm.content', 'text', 'campaign'),
  field('referrer', 'text', 'behaviour'),
  field('searchTerm', 'text', 'behaviour'),
  field('geo.country', 'text', 'place'),
  field('geo.region', 'text', 'place'),
  field('geo.city', 'text', 'place'),
  field('device', 'select', 'place', ['mobile', 'tablet', 'desktop', 'other']),
  field('locale', 'text', 'visitor'),
  field('weather', 'text', 'place'),
  field('now.hour', 'number', 'time'),
  field('now.weekday', 'number', 'time'),
  field('now.date', 'text', 'time'),
  field('consent.personalization', 'boolean', 'visitor'),
  field('consent.analytics', 'boolean', 'visitor'),
  field('topInterest', 'text', 'interests'),
];

/** A trait's field path (`traits.tier`); a trait name has no dot. */
export const TRAIT_PATH = /^traits\.[^.]+$/;

/** An interest score's field path (`interests.<slug>`), by the interest's slug. */
export const INTEREST_PATH = /^interests\.[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** An interest, as the builder offers it: a score field each, and a value of `topInterest`. */
export interface InterestOption {
  slug: string;
  name: string;
}

/** The paths matching `pattern` that a rule reads. */
const varPaths = (rule: unknown, pattern: RegExp, found = new Set<string>()): Set<string> => {
  if (Array.isArray(rule)) rule.forEach((item) => varPaths(item, pattern, found));
  else if (rule !== null && typeof rule === 'object') {
    for (const [key, value] of Object.entries(rule)) {
      if (key === 'var') {
        const path = Array.isArray(value) ? value[0] : value;
        if (typeof path === 'string' && pattern.test(path)) found.add(path);
      }
      varPaths(value, pattern, found);
    }
  }
  return found;
};

/** The keys of a sample context's object field (`traits`, `interests`). */
const sampleKeys = (sample: Record<string, unknown> | null | undefined, key: string) => {
  const value = sample?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
};

/**
 * The builder's fields: the documented ones, plus the traits the rule, the samples and
 * `otherPaths` (fields an editor just named) use, and a score field per interest (those given,
 * and those the rule, the samples or `otherPaths` name). `topInterest` is a choice among the
 * interests when there are some.
 */
export const fieldsFor = (
  rule: unknown,
  samples: (Record<string, unknown> | null | undefined)[] = [],
  otherPaths: Iterable<string> = [],
  interests: readonly InterestOption[] = []
): ContextField[] => {
  const traits = varPaths(rule, TRAIT_PATH);
  const scores = varPaths(rule, INTEREST_PATH);
  for (const path of otherPaths) {
    if (TRAIT_PATH.test(path)) traits.add(path);
    if (INTEREST_PATH.test(path)) scores.add(path);
  }
  for (const sample of samples) {
    for (const name of sampleKeys(sample, 'traits')) {
      if (!name.includes('.')) traits.add(`traits.${name}`);
    }
    for (const slug of sampleKeys(sample, 'interests')) {
      if (INTEREST_PATH.test(`interests.${slug}`)) scores.add(`interests.${slug}`);
    }
  }
  for (const interest of interests) scores.add(`interests.${interest.slug}`);
  const traitKind = (path: string): ValueKind => {
    for (const sample of samples) {
      const value = (sample?.traits as Record<string, unknown> | undefined)?.[path.slice(7)];
      if (Array.isArray(value)) return 'list';
      if (typeof value === 'number') return 'number';
      if (typeof value === 'boolean') return 'boolean';
    }
    return 'text';
  };
  const topInterest: ContextField =
    interests.length > 0
      ? {
          ...field('topInterest', 'select', 'interests'),
          values: interests.map((interest) => ({ name: interest.slug, label: interest.name })),
        }
      : field('topInterest', 'text', 'interests');
  return [
    ...CONTEXT_FIELDS.map((known) => (known.name === 'topInterest' ? topInterest : known)),
    ...[...scores].sort().map((path) => field(path, 'number', 'interests')),
    ...[...traits].sort().map((path) => field(path, traitKind(path), 'traits')),
  ];
};

type Logic = Record<string, unknown>;

const varName = (value: unknown): string | null =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  typeof (value as Logic).var === 'string'
    ? ((value as Logic).var as string)
    : null;

const isScalar = (value: unknown) =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

const args = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** `{op: [{var}, scalar]}` → a rule with `operator`. */
const comparison =
  (operator: Operator) =>
  (value: unknown): RuleType | false => {
    const [first, second, ...rest] = args(value);
    const name = varName(first);
    return name !== null && isScalar(second) && rest.length === 0
      ? { field: name, operator, value: second }
      : false;
  };

const NEGATIONS: Partial<Record<Operator, Operator>> = {
  between: 'notBetween',
  in: 'notIn',
  contains: 'doesNotContain',
  beginsWith: 'doesNotBeginWith',
  endsWith: 'doesNotEndWith',
  exists: 'doesNotExist',
};

const jsonLogicOperations: Record<string, (value: unknown) => RuleType | RuleGroupType | false> = {
  '==': comparison('=='),
  '!=': comparison('!='),
  '===': comparison('==='),
  '!==': comparison('!=='),
  '>': comparison('>'),
  '>=': comparison('>='),
  '<': (value) => {
    const list = args(value);
    return list.length === 2 ? comparison('<')(value) : false;
  },
  '<=': (value) => {
    const list = args(value);
    if (list.length === 2) return comparison('<=')(value);
    const name = varName(list[1]);
    return list.length === 3 && name !== null && isScalar(list[0]) && isScalar(list[2])
      ? { field: name, operator: 'between', value: [list[0], list[2]] }
      : false;
  },
  in: (value) => {
    const [first, second, ...rest] = args(value);
    if (rest.length > 0) return false;
    const name = varName(first);
    if (name !== null && Array.isArray(second) && second.every(isScalar))
      return { field: name, operator: 'in', value: second };
    const container = varName(second);
    return container !== null && isScalar(first)
      ? { field: container, operator: 'contains', value: first }
      : false;
  },
  starts_with: comparison('beginsWith'),
  ends_with: comparison('endsWith'),
  '!!': (value) => {
    const list = args(value);
    const name = varName(list[0]);
    return list.length === 1 && name !== null
      ? { field: name, operator: 'exists', value: '' }
      : false;
  },
  '!': (value) => {
    const list = args(value);
    if (list.length !== 1) return false;
    const name = varName(list[0]);
    if (name !== null) return { field: name, operator: 'doesNotExist', value: '' };
    const inner = parse(list[0]);
    // A negated single rule with a named negation reads better as that operator.
    if (inner.rules.length === 1 && !inner.not && !('rules' in inner.rules[0])) {
      const rule = inner.rules[0] as RuleType;
      const negation = NEGATIONS[rule.operator as Operator];
      if (negation) return { ...rule, operator: negation };
    }
    return inner.rules.length > 0 ? { ...inner, not: !inner.not } : false;
  },
};

const parse = (rule: unknown): RuleGroupType =>
  parseJsonLogic(rule as never, { jsonLogicOperations, listsAsArrays: true }) as RuleGroupType;

const numeric = (kind: ValueKind | undefined, value: unknown) =>
  kind === 'number' && typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value))
    ? Number(value)
    : value;

const booleanOf = (kind: ValueKind | undefined, value: unknown) =>
  kind === 'boolean' && (value === 'true' || value === 'false') ? value === 'true' : value;

const listOf = (value: unknown): unknown[] =>
  Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '')
      : [value];

/** One builder rule → JSON-logic, with values typed by the field's kind. */
const ruleProcessor = (fields: ContextField[]) => (rule: RuleType) => {
  const kind = fields.find((candidate) => candidate.name === rule.field)?.kind;
  const variable = { var: rule.field };
  const scalar = booleanOf(kind, numeric(kind, rule.value));
  const not = (logic: Logic) => ({ '!': logic });
  switch (rule.operator as Operator) {
    case '==':
    case '!=':
    case '===':
    case '!==':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { [rule.operator]: [variable, scalar] };
    case 'between':
    case 'notBetween': {
      const [low, high] = listOf(rule.value).map((item) => numeric(kind, item));
      const between = { '<=': [low, variable, high] };
      return rule.operator === 'between' ? between : not(between);
    }
    case 'in':
    case 'notIn': {
      const inList = { in: [variable, listOf(rule.value).map((item) => numeric(kind, item))] };
      return rule.operator === 'in' ? inList : not(inList);
    }
    case 'contains':
      return { in: [scalar, variable] };
    case 'doesNotContain':
      return not({ in: [scalar, variable] });
    case 'beginsWith':
      return { starts_with: [variable, scalar] };
    case 'doesNotBeginWith':
      return not({ starts_with: [variable, scalar] });
    case 'endsWith':
      return { ends_with: [variable, scalar] };
    case 'doesNotEndWith':
      return not({ ends_with: [variable, scalar] });
    case 'exists':
      return { '!!': variable };
    case 'doesNotExist':
      return { '!': variable };
    default:
      throw new Error(`The rule editor has no JSON-logic for the operator "${rule.operator}"`);
  }
};

/** An empty builder. */
export const emptyQuery = (): RuleGroupType => ({ combinator: 'and', rules: [] });

/** The builder's query as JSON-logic; an empty query is "no rule" (null). */
export const queryToRule = (query: RuleGroupType, fields: ContextField[]): JsonLogic => {
  if (query.rules.length === 0) return null;
  return formatQuery(query, {
    format: 'jsonlogic',
    fields,
    ruleProcessor: ruleProcessor(fields),
  }) as JsonLogic;
};

/**
 * A canonical form for comparing rules: single-item `and`/`or` unwrapped, one-argument operators
 * without their list, `!` of `!` removed.
 */
export const normalizeRule = (rule: unknown): unknown => {
  if (Array.isArray(rule)) return rule.map(normalizeRule);
  if (rule === null || typeof rule !== 'object') return rule;
  const entries = Object.entries(rule);
  if (entries.length !== 1) return rule;
  const [[operator, value]] = entries;
  if ((operator === 'and' || operator === 'or') && Array.isArray(value) && value.length === 1)
    return normalizeRule(value[0]);
  if ((operator === '!' || operator === '!!') && Array.isArray(value) && value.length === 1)
    return normalizeRule({ [operator]: value[0] });
  if (operator === '!') {
    const inner = normalizeRule(value);
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && '!' in inner)
      return normalizeRule({ '!!': (inner as Logic)['!'] });
    return { '!': inner };
  }
  if (operator === 'var') return rule;
  return { [operator]: normalizeRule(value) };
};

export const equivalentRules = (a: unknown, b: unknown) =>
  isEqual(normalizeRule(a), normalizeRule(b));

export type Import =
  | { ok: true; query: RuleGroupType }
  | { ok: false; reason: 'constant' | 'unsupported' };

/**
 * A stored rule as a builder query, only when the builder gives back an equivalent rule:
 * otherwise the reason, and the editor shows the raw JSON.
 */
export const ruleToQuery = (rule: JsonLogic, fields: ContextField[]): Import => {
  if (rule === null) return { ok: true, query: emptyQuery() };
  if (typeof rule === 'boolean') return { ok: false, reason: 'constant' };
  const query = parse(rule);
  const known = new Set(fields.map((candidate) => candidate.name));
  const unknownField = (group: RuleGroupType): boolean =>
    group.rules.some((item) =>
      'rules' in item ? unknownField(item as RuleGroupType) : !known.has((item as RuleType).field)
    );
  if (query.rules.length === 0 || unknownField(query)) return { ok: false, reason: 'unsupported' };
  let exported: JsonLogic;
  try {
    exported = queryToRule(query, fields);
  } catch {
    return { ok: false, reason: 'unsupported' };
  }
  return equivalentRules(exported, rule)
    ? { ok: true, query }
    : { ok: false, reason: 'unsupported' };
};

/** The part of a rule at a validation path (`and.1`, `or.0.!.and.2`; '' for the whole rule). */
export const ruleAt = (rule: unknown, path: string): unknown => {
  if (path === '') return rule;
  let node: unknown = rule;
  for (const segment of path.split('.')) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (node !== null && typeof node === 'object') node = (node as Logic)[segment];
    else return undefined;
  }
  return node;
};

/** An `and` / `or` as a group of conditions, through the `!` / `!!` around it. */
export const groupOf = (rule: unknown): { combinator: 'and' | 'or'; negated: boolean } | null => {
  let node = rule;
  let negated = false;
  for (;;) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
    const entries = Object.entries(node);
    if (entries.length !== 1) return null;
    const [[operator, value]] = entries;
    if (operator === 'and' || operator === 'or') return { combinator: operator, negated };
    if (operator !== '!' && operator !== '!!') return null;
    if (operator === '!') negated = !negated;
    node = Array.isArray(value) && value.length === 1 ? value[0] : value;
  }
};
