import { isPlainObject } from './objects';
import { compileCondition } from './rule-compiler';
import { RuleError, validateRule } from './rules';
import type { EvaluationData, Rule } from './types';

/** Whether one condition of a rule holds for a visitor, and the conditions it is made of. */
export interface ConditionMatch {
  /** Where the condition sits in the rule, as validation names it (`and.1`; '' for the rule). */
  path: string;
  matched: boolean;
  /** The conditions of an `and` / `or` (also under `!` / `!!`), each judged on its own. */
  conditions?: ConditionMatch[];
}

const join = (path: string, segment: string | number) =>
  path === '' ? String(segment) : `${path}.${segment}`;

/** The single operator of an operation and its arguments (json-logic-js lists a lone one). */
const operationOf = (node: unknown): { op: string; args: unknown[]; listed: boolean } | null => {
  if (!isPlainObject(node)) return null;
  const [op] = Object.keys(node);
  const raw = (node as Record<string, unknown>)[op];
  return { op, args: Array.isArray(raw) ? raw : [raw], listed: Array.isArray(raw) };
};

/** As the delivery judges a rule: truthy, and an evaluation error counts as false. */
const holds = (node: unknown, data: EvaluationData): boolean => {
  try {
    return compileCondition(node)(data);
  } catch {
    return false;
  }
};

/** The conditions `node` is made of: an `and` / `or`'s arguments, also through `!` / `!!`. */
const conditionsOf = (
  node: unknown,
  path: string,
  data: EvaluationData
): ConditionMatch[] | undefined => {
  const operation = operationOf(node);
  if (!operation) return undefined;
  const { op, args, listed } = operation;
  const argPath = (index: number) => (listed ? join(join(path, op), index) : join(path, op));
  if (op === 'and' || op === 'or') return args.map((arg, i) => judge(arg, argPath(i), data));
  if ((op === '!' || op === '!!') && args.length === 1)
    return conditionsOf(args[0], argPath(0), data);
  return undefined;
};

const judge = (node: unknown, path: string, data: EvaluationData): ConditionMatch => {
  const conditions = conditionsOf(node, path, data);
  return { path, matched: holds(node, data), ...(conditions ? { conditions } : {}) };
};

/**
 * Which conditions of a rule hold for a visitor (the rule editor's test): the whole rule and,
 * for each `and` / `or` in it, every argument judged on its own, as the delivery would judge it
 * alone. null for no rule; an invalid rule throws a RuleError, as `compileRule` does.
 */
export const matchConditions = (rule: Rule, data: EvaluationData): ConditionMatch | null => {
  if (rule === null || rule === undefined) return null;
  const issues = validateRule(rule);
  if (issues.length > 0) throw new RuleError(issues);
  return judge(rule, '', data);
};
