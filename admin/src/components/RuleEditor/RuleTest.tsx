import { useEffect, useMemo, useState } from 'react';

import {
  Badge,
  Box,
  Field,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { Check, Cross } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { useRequestErrors } from '../../api/errors';
import { useCheckRuleMutation } from '../../api/personalizeApi';
import type { JsonLogicRule, RuleCheck } from '../../api/types';
import { groupOf, ruleAt } from '../../rules/jsonLogic';
import { SectionTitle } from '../SectionTitle';
import { message, useT } from '../../utils/getTranslation';
import { useRuleSummary } from '../RuleSummary';
import { parseTestContext, type TestContext } from './testVisitor';
import { Cell, VisitorFormFields } from './VisitorForm';

export interface Sample {
  label: string;
  context: Record<string, unknown>;
}

type ConditionMatch = NonNullable<RuleCheck['match']>;

const pretty = (context: TestContext) =>
  Object.keys(context).length === 0 ? '' : JSON.stringify(context, null, 2);

/** sessionStorage, which a browser may refuse (private modes, disabled storage). */
const stored = {
  get: (key: string) => {
    try {
      return window.sessionStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set: (key: string, value: string) => {
    try {
      if (value === '') window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch {
      // The test visitor then lasts as long as the editor.
    }
  },
};

/**
 * The test visitor of one kind of editor (`storageKey`): its JSON text, kept for the browser
 * session so that saving (which may reload the editor) and the next entity of the same kind keep
 * it. The form is drawn from the last valid context (`formContext`) and redrawn (`revision`)
 * whenever the JSON or a sample replaces it; the form's own edits rewrite the JSON.
 */
export const useTestVisitor = (storageKey: string) => {
  const [text, setText] = useState(() => stored.get(storageKey) ?? '');
  const parsed = useMemo(() => parseTestContext(text), [text]);
  const [formContext, setFormContext] = useState<TestContext>(() =>
    'context' in parsed ? parsed.context : {}
  );
  const [revision, setRevision] = useState(0);
  useEffect(() => stored.set(storageKey, text), [storageKey, text]);
  return {
    text,
    parsed,
    formContext,
    revision,
    /** The form changed: the JSON follows. */
    setFromForm: (context: TestContext) => setText(pretty(context)),
    /** The JSON was edited or a sample loaded: the form follows when it is a context. */
    setText: (next: string) => {
      setText(next);
      const result = parseTestContext(next);
      if ('context' in result) {
        setFormContext(result.context);
        setRevision((current) => current + 1);
      }
    },
  };
};

export type TestVisitor = ReturnType<typeof useTestVisitor>;

/** One condition and whether it holds; a group lists its conditions under it. */
const ConditionItem = ({ node, rule }: { node: ConditionMatch; rule: JsonLogicRule }) => {
  const { formatMessage } = useIntl();
  const summary = useRuleSummary();
  const part = ruleAt(rule, node.path);
  const group = node.conditions ? groupOf(part) : null;
  const label = group
    ? formatMessage(
        group.combinator === 'and'
          ? group.negated
            ? message('rule.test.group.notAnd', 'Not all of these')
            : message('rule.test.group.and', 'All of these')
          : group.negated
            ? message('rule.test.group.notOr', 'None of these')
            : message('rule.test.group.or', 'Any of these')
      )
    : (summary(part as JsonLogicRule) ?? JSON.stringify(part));
  return (
    <Box tag="li">
      <Flex gap={2} alignItems="flex-start">
        <Box paddingTop={1} aria-hidden>
          {node.matched ? <Check fill="success600" /> : <Cross fill="danger600" />}
        </Box>
        <Typography variant="omega" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
          <VisuallyHidden>
            {formatMessage(
              node.matched
                ? message('rule.test.matches', 'Matches')
                : message('rule.test.noMatch', 'Does not match')
            )}
            :{' '}
          </VisuallyHidden>
          {label}
        </Typography>
      </Flex>
      {node.conditions ? <ConditionList nodes={node.conditions} rule={rule} nested /> : null}
    </Box>
  );
};

const ConditionList = ({
  nodes,
  rule,
  nested,
}: {
  nodes: ConditionMatch[];
  rule: JsonLogicRule;
  nested?: boolean;
}) => (
  <Box tag="ul" paddingLeft={nested ? 6 : 0} paddingTop={nested ? 1 : 0}>
    <Flex direction="column" alignItems="stretch" gap={1}>
      {nodes.map((node) => (
        <ConditionItem key={node.path} node={node} rule={rule} />
      ))}
    </Flex>
  </Box>
);

/** What the list shows: a plain `and` / `or`'s conditions, or else the rule as one condition. */
const listed = (match: ConditionMatch, rule: JsonLogicRule): ConditionMatch[] =>
  match.conditions && groupOf(rule)?.negated === false ? match.conditions : [match];

type Outcome = { rule: JsonLogicRule; check: RuleCheck } | { problem: string } | null;

/**
 * The rule test: a visitor built with a form or as JSON (both in sync), or loaded from the
 * personas' and stages' samples, and whether the rule, and each of its conditions, matches it.
 */
export const RuleTest = ({
  rule,
  visitor,
  samples,
  disabled,
}: {
  /** The rule being edited; undefined while its JSON does not parse. */
  rule: JsonLogicRule | undefined;
  visitor: TestVisitor;
  samples: Sample[];
  disabled?: boolean;
}) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const [checkRule] = useCheckRuleMutation();
  const { describe } = useRequestErrors();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const context = 'context' in visitor.parsed ? visitor.parsed.context : null;
  const ruleKey = JSON.stringify(rule);
  const contextKey = JSON.stringify(context);

  // Test the rule whenever it or the visitor changes (debounced); a stale answer is dropped.
  useEffect(() => {
    if (rule === undefined || context === null || Object.keys(context).length === 0) {
      setOutcome(null);
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      const result = await checkRule({ rule, context });
      if (!current) return;
      setOutcome(
        'error' in result ? { problem: describe(result.error) } : { rule, check: result.data }
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The keys stand for the rule and the context.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ruleKey, contextKey]);

  const jsonError =
    'error' in visitor.parsed
      ? formatMessage(
          visitor.parsed.error === 'json'
            ? message('rule.json.invalidShort', 'Not valid JSON')
            : message('rule.test.notObject', 'A visitor context is a JSON object.')
        )
      : undefined;
  const check = outcome && 'check' in outcome ? outcome.check : null;
  const match = check?.match;
  const problem =
    outcome && 'problem' in outcome
      ? outcome.problem
      : check && !check.valid
        ? t('rule.test.invalidRule', 'Correct the rule to test it.')
        : null;

  return (
    <Box padding={4} background="neutral100" hasRadius data-testid="rule-test">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <SectionTitle
              tag="h3"
              title={t('rule.test.title', 'Test this rule')}
              hint={t(
                'rule.test.hint',
                'Describe a visitor with the form or as JSON: both stay in sync.'
              )}
            />
          </Flex>
          {samples.length > 0 ? (
            <Box minWidth="20rem">
              <SingleSelect
                aria-label={t('rule.test.sample', 'Sample context')}
                placeholder={t('rule.test.loadSample', 'Load a sample context')}
                size="S"
                value={null}
                disabled={disabled}
                onChange={(next: string | number) => {
                  const sample = samples[Number(next)];
                  if (sample) visitor.setText(pretty(sample.context));
                }}
              >
                {samples.map((sample, index) => (
                  <SingleSelectOption key={`${sample.label}-${index}`} value={String(index)}>
                    {sample.label}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
          ) : null}
        </Flex>
        <Grid.Root gap={4}>
          <Cell col={8} s={12}>
            <VisitorFormFields
              key={visitor.revision}
              initial={visitor.formContext}
              disabled={disabled}
              onChange={visitor.setFromForm}
            />
          </Cell>
          <Cell col={4} s={12}>
            <Field.Root error={jsonError}>
              <Field.Label>{t('rule.test.context', 'Visitor context (JSON)')}</Field.Label>
              <Textarea
                placeholder='{"visits": 3, "device": "mobile"}'
                value={visitor.text}
                rows={12}
                disabled={disabled}
                onChange={(change: React.ChangeEvent<HTMLTextAreaElement>) =>
                  visitor.setText(change.target.value)
                }
                style={{ fontFamily: 'monospace' }}
              />
              <Field.Error />
            </Field.Root>
          </Cell>
        </Grid.Root>
        <Box aria-live="polite">
          {problem ? (
            <Typography variant="pi" textColor="danger600" role="alert">
              {problem}
            </Typography>
          ) : check?.result !== undefined && outcome && 'rule' in outcome ? (
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Box>
                <Badge
                  data-testid="rule-test-result"
                  backgroundColor={check.result ? 'success100' : 'neutral150'}
                  textColor={check.result ? 'success700' : 'neutral700'}
                >
                  {formatMessage(
                    check.result
                      ? message('rule.test.matches', 'Matches')
                      : message('rule.test.noMatch', 'Does not match')
                  )}
                </Badge>
              </Box>
              {match ? (
                <Box data-testid="rule-test-conditions">
                  <ConditionList nodes={listed(match, outcome.rule)} rule={outcome.rule} />
                </Box>
              ) : null}
            </Flex>
          ) : null}
        </Box>
      </Flex>
    </Box>
  );
};
