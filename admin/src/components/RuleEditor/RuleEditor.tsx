import { useEffect, useMemo, useRef, useState } from 'react';

import {
  Alert,
  Badge,
  Box,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Tabs,
  Textarea,
  Typography,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { QueryBuilder, type RuleGroupType } from 'react-querybuilder';

import type { JsonLogicRule, RuleCheck } from '../../api/types';
import { usePersonalizeApi } from '../../api/usePersonalizeApi';
import {
  OPERATORS,
  fieldsFor,
  operatorsFor,
  queryToRule,
  ruleToQuery,
  type ContextField,
} from '../../rules/jsonLogic';
import { message } from '../../utils/getTranslation';
import { BuilderFrame, controlElements } from './controls';

export interface Sample {
  label: string;
  context: Record<string, unknown>;
}

interface RuleEditorProps {
  /** The rule when the editor opens (or when another entity is loaded). */
  initialRule: JsonLogicRule;
  /** Every change: the rule, and whether the server accepts it. */
  onChange: (rule: JsonLogicRule, valid: boolean) => void;
  /** Sample contexts for the test box (the personas' and stages' samples). */
  samples: Sample[];
  disabled?: boolean;
  label: string;
}

const OPERATOR_LABELS: Record<string, [string, string]> = {
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

type Mode = 'builder' | 'json';

const pretty = (rule: JsonLogicRule) => (rule === null ? '' : JSON.stringify(rule, null, 2));

/**
 * The rule editor used wherever a rule is edited: a visual builder (react-querybuilder with the
 * design system), a raw JSON tab validated live by the server, and a test box. A rule the builder
 * cannot show without changing it opens in the JSON tab, with the reason.
 */
export const RuleEditor = ({
  initialRule,
  onChange,
  samples,
  disabled,
  label,
}: RuleEditorProps) => {
  const { formatMessage } = useIntl();
  const api = usePersonalizeApi();
  const fields = useMemo<ContextField[]>(
    () =>
      fieldsFor(
        initialRule,
        samples.map((sample) => sample.context)
      ),
    // The field list is fixed for one opened rule.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [initialRule]
  );
  const imported = useMemo(() => ruleToQuery(initialRule, fields), [initialRule, fields]);
  const [mode, setMode] = useState<Mode>(imported.ok ? 'builder' : 'json');
  const [query, setQuery] = useState<RuleGroupType>(
    imported.ok ? imported.query : { combinator: 'and', rules: [] }
  );
  const [rule, setRule] = useState<JsonLogicRule>(initialRule);
  const [text, setText] = useState(pretty(initialRule));
  const [notice, setNotice] = useState<string | null>(
    imported.ok
      ? null
      : formatMessage(
          imported.reason === 'constant'
            ? message('rule.notice.constant', 'This rule is a constant; edit it as JSON.')
            : message(
                'rule.notice.unsupported',
                'The visual builder cannot show this rule without changing it, so it opens as JSON.'
              )
        )
  );
  const [check, setCheck] = useState<RuleCheck | { parseError: string } | null>(null);
  const [sampleIndex, setSampleIndex] = useState<string>('');
  const [pasted, setPasted] = useState('');
  const [testResult, setTestResult] = useState<boolean | string | null>(null);
  const report = useRef(onChange);
  report.current = onChange;

  // Validate every change with the server (debounced), and tell the parent.
  useEffect(() => {
    if (mode === 'json') {
      if (text.trim() === '') {
        setCheck({ valid: true, errors: [] });
        report.current(null, true);
        return;
      }
      let parsed: JsonLogicRule;
      try {
        parsed = JSON.parse(text) as JsonLogicRule;
      } catch (error) {
        setCheck({ parseError: (error as Error).message });
        report.current(rule, false);
        return;
      }
      setRule(parsed);
    }
    const current = mode === 'json' ? (JSON.parse(text) as JsonLogicRule) : rule;
    // Not savable until the server has checked it: Save waits for the answer below.
    report.current(current, false);
    const timer = setTimeout(() => {
      api
        .checkRule(current)
        .then((result) => {
          setCheck(result);
          report.current(current, result.valid);
        })
        .catch(() => report.current(current, false));
    }, 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, text, rule]);

  const onQueryChange = (next: RuleGroupType) => {
    setQuery(next);
    const exported = queryToRule(next, fields);
    setRule(exported);
    setText(pretty(exported));
  };

  const switchTo = (next: string) => {
    if (next === 'builder' && mode === 'json') {
      const back = ruleToQuery(
        rule,
        fieldsFor(
          rule,
          samples.map((sample) => sample.context)
        )
      );
      if (!back.ok) {
        setNotice(
          formatMessage(
            message(
              'rule.notice.unsupported',
              'The visual builder cannot show this rule without changing it, so it opens as JSON.'
            )
          )
        );
        return;
      }
      setQuery(back.query);
      setNotice(null);
    }
    setMode(next as Mode);
  };

  const runTest = async (context: unknown) => {
    try {
      const result = await api.checkRule(rule, context);
      setTestResult(result.valid ? Boolean(result.result) : (result.errors[0]?.message ?? ''));
    } catch (error) {
      setTestResult(
        (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error
          ?.message ?? String(error)
      );
    }
  };

  const errors =
    check && 'parseError' in check
      ? [
          formatMessage(message('rule.json.invalid', 'Not valid JSON: {error}'), {
            error: check.parseError,
          }),
        ]
      : (check?.errors ?? []).map((error) => `${error.path || '(rule)'}: ${error.message}`);

  const operators = OPERATORS.map((name) => ({
    name,
    value: name,
    label: formatMessage(message(OPERATOR_LABELS[name][0], OPERATOR_LABELS[name][1])),
  }));

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Typography variant="pi" fontWeight="bold">
        {label}
      </Typography>
      {notice ? (
        <Alert variant="default" closeLabel="" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      ) : null}
      <Tabs.Root value={mode} onValueChange={switchTo}>
        <Tabs.List aria-label={label}>
          <Tabs.Trigger value="builder">
            {formatMessage(message('rule.tab.builder', 'Visual builder'))}
          </Tabs.Trigger>
          <Tabs.Trigger value="json">
            {formatMessage(message('rule.tab.json', 'JSON'))}
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="builder">
          <Box paddingTop={3}>
            <BuilderFrame data-testid="rule-builder">
              <QueryBuilder
                fields={fields}
                query={query}
                onQueryChange={onQueryChange}
                controlElements={controlElements}
                getOperators={(field) =>
                  operators.filter((operator) =>
                    operatorsFor(
                      fields.find((candidate) => candidate.name === field)?.kind ?? 'text'
                    ).includes(operator.name)
                  )
                }
                getDefaultOperator={(field) =>
                  operatorsFor(
                    fields.find((candidate) => candidate.name === field)?.kind ?? 'text'
                  )[0]
                }
                combinators={[
                  { name: 'and', label: formatMessage(message('rule.and', 'all of (AND)')) },
                  { name: 'or', label: formatMessage(message('rule.or', 'any of (OR)')) },
                ]}
                translations={{
                  addRule: {
                    label: formatMessage(message('rule.addCondition', 'Condition')),
                    title: formatMessage(message('rule.addCondition', 'Condition')),
                  },
                  addGroup: {
                    label: formatMessage(message('rule.addGroup', 'Group')),
                    title: formatMessage(message('rule.addGroup', 'Group')),
                  },
                  removeRule: { label: '', title: formatMessage(message('rule.remove', 'Remove')) },
                  removeGroup: {
                    label: '',
                    title: formatMessage(message('rule.remove', 'Remove')),
                  },
                  notToggle: {
                    label: formatMessage(message('rule.not', 'NOT')),
                    title: formatMessage(message('rule.not', 'NOT')),
                  },
                  fields: { title: formatMessage(message('rule.field', 'Field')) },
                  operators: { title: formatMessage(message('rule.operator', 'Operator')) },
                  value: { title: formatMessage(message('rule.value', 'Value')) },
                  combinators: { title: formatMessage(message('rule.combinator', 'Combinator')) },
                }}
                showNotToggle
                listsAsArrays
                disabled={disabled}
              />
            </BuilderFrame>
            {query.rules.length === 0 ? (
              <Box paddingTop={2}>
                <Typography variant="pi" textColor="neutral600">
                  {formatMessage(message('rule.empty', 'No conditions: no rule.'))}
                </Typography>
              </Box>
            ) : null}
          </Box>
        </Tabs.Content>
        <Tabs.Content value="json">
          <Box paddingTop={3}>
            <Field.Root
              error={errors[0]}
              hint={formatMessage(
                message('rule.json.hint', 'JSON-logic; empty for no rule. See docs/rules.md.')
              )}
            >
              <Field.Label>{formatMessage(message('rule.tab.json', 'JSON'))}</Field.Label>
              <Textarea
                value={text}
                disabled={disabled}
                onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                  setText(event.target.value)
                }
                rows={8}
                style={{ fontFamily: 'monospace' }}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Box>
        </Tabs.Content>
      </Tabs.Root>
      {errors.length > 0 && mode === 'builder' ? (
        <Typography variant="pi" textColor="danger600" role="alert">
          {errors.join('; ')}
        </Typography>
      ) : null}
      <Box padding={3} background="neutral100" hasRadius>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="pi" fontWeight="bold">
            {formatMessage(message('rule.test.title', 'Test this rule'))}
          </Typography>
          <Flex gap={2} alignItems="flex-end" wrap="wrap">
            <Box minWidth="24rem">
              <SingleSelect
                aria-label={formatMessage(message('rule.test.sample', 'Sample context'))}
                placeholder={formatMessage(message('rule.test.sample', 'Sample context'))}
                size="S"
                value={sampleIndex}
                onChange={(next: string | number) => {
                  setSampleIndex(String(next));
                  const sample = samples[Number(next)];
                  if (sample) {
                    setPasted(JSON.stringify(sample.context));
                    void runTest(sample.context);
                  }
                }}
              >
                {samples.map((sample, index) => (
                  <SingleSelectOption key={sample.label} value={String(index)}>
                    {sample.label}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Box>
            <Box flex="1" minWidth="24rem">
              <Textarea
                aria-label={formatMessage(message('rule.test.context', 'Visitor context (JSON)'))}
                placeholder='{"visits": 3, "device": "mobile"}'
                value={pasted}
                rows={2}
                onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                  setPasted(event.target.value);
                  try {
                    void runTest(JSON.parse(event.target.value));
                  } catch {
                    setTestResult(
                      formatMessage(message('rule.json.invalidShort', 'Not valid JSON'))
                    );
                  }
                }}
              />
            </Box>
          </Flex>
          {testResult === null ? null : typeof testResult === 'boolean' ? (
            <Box>
              <Badge
                data-testid="rule-test-result"
                backgroundColor={testResult ? 'success100' : 'neutral150'}
                textColor={testResult ? 'success700' : 'neutral700'}
              >
                {formatMessage(
                  testResult
                    ? message('rule.test.matches', 'Matches')
                    : message('rule.test.noMatch', 'Does not match')
                )}
              </Badge>
            </Box>
          ) : (
            <Typography variant="pi" textColor="danger600">
              {testResult}
            </Typography>
          )}
        </Flex>
      </Box>
    </Flex>
  );
};
