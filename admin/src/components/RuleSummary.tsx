import { useMemo } from 'react';

import { useIntl, type IntlShape } from 'react-intl';
import type { RuleGroupType, RuleType } from 'react-querybuilder';

import { useGetInterestsQuery } from '../api/personalizeApi';
import { fieldsFor, ruleToQuery, type InterestOption, type JsonLogic } from '../rules/jsonLogic';
import { message } from '../utils/getTranslation';
import { CellClamped } from './ListTable';

/** The operators as editors read them, in the builder and in summaries. */
export const OPERATOR_LABELS: Record<string, [string, string]> = {
  '==': ['rule.op.equals', 'equals'],
  '!=': ['rule.op.notEquals', 'does not equal'],
  '===': ['rule.op.strictEquals', 'is exactly'],
  '!==': ['rule.op.strictNotEquals', 'is not exactly'],
  '<': ['rule.op.less', 'is less than'],
  '<=': ['rule.op.lessOrEqual', 'is at most'],
  '>': ['rule.op.greater', 'is greater than'],
  '>=': ['rule.op.greaterOrEqual', 'is at least'],
  between: ['rule.op.between', 'is between'],
  notBetween: ['rule.op.notBetween', 'is not between'],
  in: ['rule.op.in', 'is one of'],
  notIn: ['rule.op.notIn', 'is none of'],
  contains: ['rule.op.contains', 'contains'],
  doesNotContain: ['rule.op.doesNotContain', 'does not contain'],
  beginsWith: ['rule.op.beginsWith', 'starts with'],
  doesNotBeginWith: ['rule.op.doesNotBeginWith', 'does not start with'],
  endsWith: ['rule.op.endsWith', 'ends with'],
  doesNotEndWith: ['rule.op.doesNotEndWith', 'does not end with'],
  exists: ['rule.op.exists', 'is present'],
  doesNotExist: ['rule.op.doesNotExist', 'is absent'],
};

/**
 * A context field as editors read it ("UTM campaign", "Trait tier", "Interest in Safety"): an
 * interest's score by the interest's name, when `interests` has it.
 */
export const fieldLabel = (
  { formatMessage }: IntlShape,
  name: string,
  interests: readonly InterestOption[] = []
) => {
  const trait = /^traits\.(.+)$/.exec(name);
  if (trait) return formatMessage(message('rule.field.trait', 'Trait {name}'), { name: trait[1] });
  const score = /^interests\.(.+)$/.exec(name);
  if (score) {
    const interest = interests.find((candidate) => candidate.slug === score[1]);
    return formatMessage(message('rule.field.interest', 'Interest in {name}'), {
      name: interest?.name ?? score[1],
    });
  }
  return formatMessage(message(`rule.field.${name}`, name));
};

/** The interests (empty until loaded, or without the permission to read them), for labels. */
export const useInterestOptions = (): InterestOption[] => {
  const { data } = useGetInterestsQuery();
  return useMemo(() => (data?.items ?? []).map(({ slug, name }) => ({ slug, name })), [data]);
};

const quoted = (value: unknown): string =>
  Array.isArray(value)
    ? value.map(quoted).join(', ')
    : typeof value === 'string'
      ? `"${value}"`
      : String(value);

const describe = (
  intl: IntlShape,
  group: RuleGroupType,
  interests: readonly InterestOption[]
): string => {
  const parts = group.rules.map((item) => {
    if ('rules' in item) return `(${describe(intl, item as RuleGroupType, interests)})`;
    const { field, operator, value } = item as RuleType;
    const [id, text] = OPERATOR_LABELS[operator] ?? [operator, operator];
    const presence = operator === 'exists' || operator === 'doesNotExist';
    return [fieldLabel(intl, field, interests), intl.formatMessage(message(id, text))]
      .concat(presence ? [] : [quoted(value)])
      .join(' ');
  });
  const joined = parts.join(
    ` ${intl.formatMessage(
      group.combinator === 'or'
        ? message('rule.summary.or', 'or')
        : message('rule.summary.and', 'and')
    )} `
  );
  return group.not
    ? `${intl.formatMessage(message('rule.summary.not', 'not'))} (${joined})`
    : joined;
};

/** A rule in plain words ("Visits is at least 2 and UTM campaign contains "eco""), or its JSON. */
export const useRuleSummary = () => {
  const intl = useIntl();
  const interests = useInterestOptions();
  return (rule: JsonLogic | undefined): string | null => {
    if (rule === null || rule === undefined) return null;
    if (rule === true) return intl.formatMessage(message('rule.summary.always', 'always'));
    if (rule === false) return intl.formatMessage(message('rule.summary.never', 'never'));
    const imported = ruleToQuery(rule, fieldsFor(rule, [], [], interests));
    return imported.ok ? describe(intl, imported.query, interests) : JSON.stringify(rule);
  };
};

/** A rule in plain words in a list's cell. */
export const RuleSummary = ({ rule }: { rule: JsonLogic | undefined }) => {
  const summary = useRuleSummary()(rule);
  return <CellClamped title={summary ?? undefined}>{summary ?? '–'}</CellClamped>;
};
