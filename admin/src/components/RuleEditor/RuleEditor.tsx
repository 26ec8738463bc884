import { useEffect, useMemo, useRef, useState } from 'react';

import { Alert, Box, Field, Flex, Tabs, Textarea, Typography } from '@strapi/design-system';
import { useField } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { QueryBuilder, type RuleGroupType } from 'react-querybuilder';
import { useLocation } from 'react-router-dom';

import { useRequestErrors, useServerMessage } from '../../api/errors';
import { useCheckRuleMutation } from '../../api/personalizeApi';
import type { JsonLogicRule, RuleCheck } from '../../api/types';
import {
  equivalentRules,
  FIELD_GROUPS,
  OPERATORS,
  fieldsFor,
  operatorsFor,
  queryToRule,
  ruleToQuery,
  type ContextField,
  type FieldGroup,
} from '../../rules/jsonLogic';
import { PLUGIN_ID } from '../../pluginId';
import { message } from '../../utils/getTranslation';
import { ErrorUnder } from '../fields';
import { fieldLabel, OPERATOR_LABELS, useInterestOptions } from '../RuleSummary';
import { BuilderFrame, controlElements } from './controls';
import { RuleTest, useTestVisitor, type Sample } from './RuleTest';

export type { Sample } from './RuleTest';

interface RuleEditorProps {
  /** The form field the rule is: with the editor's route, it names the kept test visitor. */
  name: string;
  /** The rule when the editor opens (or when another entity is loaded). */
  initialRule: JsonLogicRule;
  /** Every change: the rule, and whether the server accepts it. */
  onChange: (rule: JsonLogicRule, valid: boolean) => void;
  /** Sample contexts for the test box (the personas' and stages' samples). */
  samples: Sample[];
  disabled?: boolean;
  label: string;
}

type Mode = 'builder' | 'json';

const pretty = (rule: JsonLogicRule) => (rule === null ? '' : JSON.stringify(rule, null, 2));

const GROUP_LABELS: Record<FieldGroup, ReturnType<typeof message>> = {
  visitor: message('rule.group.visitor', 'Visitor'),
  campaign: message('rule.group.campaign', 'Campaign (UTM)'),
  place: message('rule.group.place', 'Device & place'),
  behaviour: message('rule.group.behaviour', 'Behaviour'),
  interests: message('rule.group.interests', 'Interests'),
  time: message('rule.group.time', 'Time'),
  traits: message('rule.group.traits', 'CRM traits'),
};

/** The fields a builder query names, nested groups included. */
const queryFields = (group: RuleGroupType): string[] =>
  group.rules.flatMap((item) =>
    typeof item === 'string' ? [] : 'rules' in item ? queryFields(item) : [item.field]
  );

/**
 * The rule editor used wherever a rule is edited: a visual builder (react-querybuilder with the
 * design system), a raw JSON tab validated live by the server, and a test box. A rule the builder
 * cannot show without changing it opens in the JSON tab, with the reason.
 */
export const RuleEditor = ({
  name,
  initialRule,
  onChange,
  samples,
  disabled,
  label,
}: RuleEditorProps) => {
  const intl = useIntl();
  const { formatMessage } = intl;
  const [checkRule] = useCheckRuleMutation();
  const { describe } = useRequestErrors();
  const say = useServerMessage();
  // One test visitor per kind of editor (the route without the entity's id) and rule field.
  const { pathname } = useLocation();
  const visitor = useTestVisitor(
    `${PLUGIN_ID}.ruleTest:${pathname.replace(/\/[^/]*$/, '')}:${name}`
  );
  const testContext = 'context' in visitor.parsed ? visitor.parsed.context : null;
  // A score field per interest, labelled with its name; `topInterest` a choice among them.
  const interests = useInterestOptions();
  const sampleContexts = [...samples.map((sample) => sample.context), testContext];
  // The rule whose traits the builder offers as fields: the opened one, then what JSON gave back.
  const [fieldsRule, setFieldsRule] = useState<JsonLogicRule>(initialRule);
  const unsupported = formatMessage(
    message(
      'rule.notice.unsupported',
      'The visual builder cannot show this rule without changing it, so it opens as JSON.'
    )
  );
  const [imported] = useState(() =>
    ruleToQuery(initialRule, fieldsFor(initialRule, sampleContexts))
  );
  const [mode, setMode] = useState<Mode>(imported.ok ? 'builder' : 'json');
  const [query, setQuery] = useState<RuleGroupType>(
    imported.ok ? imported.query : { combinator: 'and', rules: [] }
  );
  const namedFields = queryFields(query);
  const fields = useMemo<ContextField[]>(
    () =>
      fieldsFor(fieldsRule, sampleContexts, namedFields, interests).map((field) => ({
        ...field,
        label: fieldLabel(intl, field.name, interests),
      })),
    // Samples arrive once loaded; their contexts, not the array's identity, matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [fieldsRule, JSON.stringify(sampleContexts), namedFields.join(), intl, interests]
  );
  const fieldGroups = useMemo(
    () =>
      FIELD_GROUPS.map((group) => ({
        label: formatMessage(GROUP_LABELS[group]),
        options: fields.filter((field) => field.group === group),
      })).filter((group) => group.options.length > 0),
    [fields, formatMessage]
  );
  const [text, setText] = useState(pretty(initialRule));
  const [notice, setNotice] = useState<string | null>(
    imported.ok
      ? null
      : imported.reason === 'constant'
        ? formatMessage(
            message('rule.notice.constant', 'This rule is a constant; edit it as JSON.')
          )
        : unsupported
  );
  const [check, setCheck] = useState<RuleCheck | { parseError: string } | { refused: string }>();
  const report = useRef(onChange);
  report.current = onChange;

  // The rule being edited is derived: the builder's export, or the JSON tab's text parsed.
  const draft = useMemo<{ rule: JsonLogicRule } | { parseError: string }>(() => {
    if (mode === 'builder') return { rule: queryToRule(query, fields) };
    if (text.trim() === '') return { rule: null };
    try {
      return { rule: JSON.parse(text) as JsonLogicRule };
    } catch (error) {
      return { parseError: (error as Error).message };
    }
  }, [mode, query, text, fields]);
  const draftKey = JSON.stringify(draft);

  // Validate every change with the server (debounced), and tell the parent; a stale answer is
  // dropped.
  useEffect(() => {
    if ('parseError' in draft) {
      setCheck(draft);
      report.current(null, false);
      return;
    }
    const current = draft.rule;
    // Not savable until the server has checked it: Save waits for the answer below.
    report.current(current, false);
    let latest = true;
    const timer = setTimeout(async () => {
      const result = await checkRule({ rule: current });
      if (!latest) return;
      if ('error' in result) {
        setCheck({ refused: describe(result.error) });
        report.current(current, false);
      } else {
        setCheck(result.data);
        report.current(current, result.data.valid);
      }
    }, 250);
    return () => {
      latest = false;
      clearTimeout(timer);
    };
    // The key stands for the draft: a new object with the same rule is no change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey]);

  const switchTo = (next: string) => {
    if (next === mode || 'parseError' in draft) return;
    if (next === 'json') setText(pretty(draft.rule));
    else {
      const nextFields = fieldsFor(draft.rule, sampleContexts, [], interests);
      const back = ruleToQuery(draft.rule, nextFields);
      if (!back.ok) {
        setNotice(unsupported);
        return;
      }
      setFieldsRule(draft.rule);
      setQuery(back.query);
      setNotice(null);
    }
    setMode(next as Mode);
  };

  const errors =
    check === undefined
      ? []
      : 'parseError' in check
        ? [
            formatMessage(message('rule.json.invalid', 'Not valid JSON: {error}'), {
              error: check.parseError,
            }),
          ]
        : 'refused' in check
          ? [check.refused]
          : check.errors.map((error) => (error.path ? `${error.path}: ${say(error)}` : say(error)));
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
                fields={fieldGroups}
                getDefaultField="visits"
                query={query}
                onQueryChange={setQuery}
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
      <RuleTest
        rule={'parseError' in draft ? undefined : draft.rule}
        visitor={visitor}
        samples={samples}
        disabled={disabled}
      />
    </Flex>
  );
};

/** The rule editor bound to the enclosing Strapi `Form` at `name`, with the server's error under it. */
export const RuleField = ({
  name,
  onValidity,
  ...props
}: Omit<RuleEditorProps, 'initialRule' | 'onChange'> & {
  /** Whether the server accepts the rule: the editor's Save waits for it. */
  onValidity: (valid: boolean) => void;
}) => {
  const { initialValue, value, onChange } = useField<JsonLogicRule>(name);
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <RuleEditor
        {...props}
        name={name}
        initialRule={initialValue ?? null}
        onChange={(rule, valid) => {
          // The builder writes a rule its own way ({"and": [...]} around one condition): only a
          // different meaning is an edit, so opening a rule never counts as an unsaved change.
          if (!equivalentRules(rule, value ?? null)) onChange(name, rule);
          onValidity(valid);
        }}
      />
      <ErrorUnder path={name} />
    </Flex>
  );
};
