/**
 * The rule test's visitor form: persona and stage (their slugs, as frontends send them), visits,
 * UTM, device, country, events and CRM traits. Its values live in ./testVisitor.ts's terms.
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  IconButton,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  Tag,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Cross, Plus } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { useGetJourneyStagesQuery, useGetPersonasQuery } from '../../api/personalizeApi';
import { message } from '../../utils/getTranslation';
import { fieldLabel } from '../RuleSummary';
import {
  contextOf,
  formOf,
  type TestContext,
  type TraitRow,
  type VisitorForm,
} from './testVisitor';

const DEVICES = {
  mobile: message('rule.test.device.mobile', 'Mobile'),
  tablet: message('rule.test.device.tablet', 'Tablet'),
  desktop: message('rule.test.device.desktop', 'Desktop'),
  other: message('rule.test.device.other', 'Other'),
};

/** A cell of the form's grid: `col` of 12 columns, `s` on small screens, the whole row on phones. */
export const Cell = ({ col, s, children }: { col: number; s: number; children: ReactNode }) => (
  <Grid.Item col={col} s={s} xs={12} direction="column" alignItems="stretch">
    {children}
  </Grid.Item>
);

/** A label above a small input, as the design system's Field draws it. */
const Labelled = ({ label, children }: { label: string; children: ReactNode }) => (
  <Field.Root>
    <Field.Label>{label}</Field.Label>
    {children}
  </Field.Root>
);

/** The form of the most used context fields; the JSON holds the rest. */
export const VisitorFormFields = ({
  initial,
  disabled,
  onChange,
}: {
  initial: TestContext;
  disabled?: boolean;
  onChange: (context: TestContext) => void;
}) => {
  const intl = useIntl();
  const { formatMessage } = intl;
  const personas = useGetPersonasQuery().data?.items ?? [];
  const stages = [...(useGetJourneyStagesQuery().data?.items ?? [])].sort(
    (a, b) => a.order - b.order
  );
  const [form, setForm] = useState<VisitorForm>(() => formOf(initial));
  const [event, setEvent] = useState('');
  const update = (change: Partial<VisitorForm>) => {
    const next = { ...form, ...change };
    setForm(next);
    onChange(contextOf(next, initial));
  };
  const setTrait = (index: number, change: Partial<TraitRow>) =>
    update({
      traits: form.traits.map((row, i) => (i === index ? { ...row, ...change } : row)),
    });
  const addEvent = () => {
    const name = event.trim();
    if (name !== '' && !form.events.includes(name)) update({ events: [...form.events, name] });
    setEvent('');
  };
  const clearLabel = formatMessage(message('rule.test.clear', 'Clear'));
  const select = (
    key: 'persona' | 'stage' | 'device',
    label: string,
    options: { value: string; label: string }[]
  ) => (
    <Labelled label={label}>
      <SingleSelect
        size="S"
        value={form[key]}
        placeholder={formatMessage(message('rule.test.notSent', 'Not sent'))}
        onChange={(next: string | number) => update({ [key]: String(next) })}
        onClear={() => update({ [key]: '' })}
        clearLabel={clearLabel}
        disabled={disabled}
      >
        {options.map((option) => (
          <SingleSelectOption key={option.value} value={option.value}>
            {option.label}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Labelled>
  );
  const text = (
    key: 'utmSource' | 'utmMedium' | 'utmCampaign' | 'country',
    field: string,
    maxLength?: number
  ) => (
    <Labelled label={fieldLabel(intl, field)}>
      <TextInput
        size="S"
        value={form[key]}
        disabled={disabled}
        onChange={(change: React.ChangeEvent<HTMLInputElement>) =>
          update({ [key]: change.target.value })
        }
        maxLength={maxLength}
      />
    </Labelled>
  );

  return (
    <Grid.Root gap={3}>
      <Cell col={4} s={6}>
        {select(
          'persona',
          formatMessage(message('column.persona', 'Persona')),
          personas.map((persona) => ({ value: persona.slug, label: persona.name }))
        )}
      </Cell>
      <Cell col={4} s={6}>
        {select(
          'stage',
          formatMessage(message('column.stage', 'Journey stage')),
          stages.map((stage) => ({ value: stage.slug, label: stage.name }))
        )}
      </Cell>
      <Cell col={4} s={6}>
        {select(
          'device',
          fieldLabel(intl, 'device'),
          Object.entries(DEVICES).map(([value, label]) => ({ value, label: formatMessage(label) }))
        )}
      </Cell>
      <Cell col={4} s={4}>
        {text('utmSource', 'utm.source')}
      </Cell>
      <Cell col={4} s={4}>
        {text('utmMedium', 'utm.medium')}
      </Cell>
      <Cell col={4} s={4}>
        {text('utmCampaign', 'utm.campaign')}
      </Cell>
      <Cell col={3} s={6}>
        <Labelled label={fieldLabel(intl, 'visits')}>
          <NumberInput
            size="S"
            value={form.visits}
            disabled={disabled}
            onValueChange={(visits: number | undefined) => update({ visits })}
          />
        </Labelled>
      </Cell>
      <Cell col={3} s={6}>
        {text('country', 'geo.country', 2)}
      </Cell>
      <Cell col={6} s={12}>
        <Field.Root hint={formatMessage(message('rule.test.event.hint', 'Enter adds the event.'))}>
          <Field.Label>{fieldLabel(intl, 'events')}</Field.Label>
          <Flex gap={2}>
            <Box flex="1">
              <TextInput
                size="S"
                value={event}
                disabled={disabled}
                onChange={(change: React.ChangeEvent<HTMLInputElement>) =>
                  setEvent(change.target.value)
                }
                onKeyDown={(key: KeyboardEvent<HTMLInputElement>) => {
                  if (key.key !== 'Enter') return;
                  key.preventDefault();
                  addEvent();
                }}
              />
            </Box>
            <IconButton
              label={formatMessage(message('rule.test.event.add', 'Add event'))}
              variant="tertiary"
              onClick={addEvent}
              disabled={disabled || event.trim() === ''}
            >
              <Plus />
            </IconButton>
          </Flex>
          <Field.Hint />
        </Field.Root>
        <Flex gap={1} wrap="wrap" paddingTop={form.events.length > 0 ? 2 : 0}>
          {form.events.map((name) => (
            <Tag
              key={name}
              icon={<Cross />}
              label={formatMessage(message('rule.test.event.remove', 'Remove {name}'), { name })}
              disabled={disabled}
              onClick={() => update({ events: form.events.filter((other) => other !== name) })}
            >
              {name}
            </Tag>
          ))}
        </Flex>
      </Cell>
      <Cell col={12} s={12}>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography variant="pi" fontWeight="bold" textColor="neutral800">
            {formatMessage(message('rule.group.traits', 'CRM traits'))}
          </Typography>
          {form.traits.map((row, index) => (
            <Flex key={index} gap={2}>
              <Box flex="1">
                <TextInput
                  size="S"
                  aria-label={formatMessage(message('rule.test.trait.name', 'Trait name'))}
                  placeholder={formatMessage(message('rule.test.trait.name', 'Trait name'))}
                  value={row.name}
                  disabled={disabled}
                  onChange={(change: React.ChangeEvent<HTMLInputElement>) =>
                    setTrait(index, { name: change.target.value })
                  }
                />
              </Box>
              <Box flex="1">
                <TextInput
                  size="S"
                  aria-label={formatMessage(message('rule.test.trait.value', 'Value of {name}'), {
                    name: row.name,
                  })}
                  placeholder={formatMessage(message('rule.value', 'Value'))}
                  value={row.value}
                  disabled={disabled}
                  onChange={(change: React.ChangeEvent<HTMLInputElement>) =>
                    setTrait(index, { value: change.target.value })
                  }
                />
              </Box>
              <IconButton
                label={formatMessage(message('rule.test.trait.remove', 'Remove trait {name}'), {
                  name: row.name,
                })}
                variant="ghost"
                disabled={disabled}
                onClick={() => update({ traits: form.traits.filter((_row, i) => i !== index) })}
              >
                <Cross />
              </IconButton>
            </Flex>
          ))}
          <Box>
            <Button
              variant="tertiary"
              size="S"
              startIcon={<Plus />}
              disabled={disabled}
              onClick={() =>
                setForm({ ...form, traits: [...form.traits, { name: '', value: '' }] })
              }
            >
              {formatMessage(message('rule.test.trait.add', 'Add trait'))}
            </Button>
          </Box>
        </Flex>
      </Cell>
    </Grid.Root>
  );
};
