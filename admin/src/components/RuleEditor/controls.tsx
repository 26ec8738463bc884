import { useState, type ReactNode } from 'react';

import {
  Box,
  Button,
  Checkbox,
  Combobox,
  ComboboxOption,
  Flex,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
  useFilter,
} from '@strapi/design-system';
import { Cross, Plus } from '@strapi/icons';
import { useIntl } from 'react-intl';
import {
  isOptionGroupArray,
  type ActionProps,
  type Controls,
  type FieldSelectorProps,
  type FullField,
  type FullOption,
  type NotToggleProps,
  type OptionGroup,
  type ValueEditorProps,
  type ValueSelectorProps,
} from 'react-querybuilder';
import styled from 'styled-components';

import { TRAIT_PATH, type ContextField } from '../../rules/jsonLogic';
import { message, useT } from '../../utils/getTranslation';

/**
 * react-querybuilder's controls drawn with the Strapi design system, so the builder looks like
 * the rest of the admin.
 */

/** A selector's options in groups: one unnamed group when they come as a plain list. */
const groupsOf = (options: ValueSelectorProps['options']): OptionGroup<FullOption>[] =>
  isOptionGroupArray(options) ? options : [{ label: '', options }];

const flatOptions = (options: ValueSelectorProps['options']): FullOption[] =>
  groupsOf(options).flatMap((group) => group.options);

const Selector = ({ options, value, handleOnChange, disabled, title }: ValueSelectorProps) => (
  <SingleSelect
    aria-label={title}
    value={value ?? ''}
    onChange={(next: string | number) => handleOnChange(String(next))}
    disabled={disabled}
    size="S"
  >
    {flatOptions(options).map((option) => (
      <SingleSelectOption key={option.name} value={option.name}>
        {option.label}
      </SingleSelectOption>
    ))}
  </SingleSelect>
);

/** The locale the DS Combobox filters its items in: a group's heading is filtered alike. */
const COMBOBOX_LOCALE = 'en-EN';

const GroupHeading = ({ children }: { children: ReactNode }) => (
  <Box paddingTop={2} paddingBottom={1} paddingLeft={4} paddingRight={4} role="presentation">
    <Typography variant="sigma" textColor="neutral600">
      {children}
    </Typography>
  </Box>
);

/** A trait's path from what an editor typed: `tier` or `traits.tier`. */
const traitPathOf = (typed: string): string | null => {
  const name = typed.trim().replace(/^traits\./, '');
  const path = `traits.${name}`;
  return name !== '' && TRAIT_PATH.test(path) ? path : null;
};

/**
 * The field picker: the context's fields in their groups, searchable by label; a name that is
 * no field is offered as a CRM trait (`traits.<name>`). While open, the input is the search
 * (empty at first, so that every field shows) and the chosen field its placeholder.
 */
const FieldSelector = ({ options, value, handleOnChange, disabled, title }: FieldSelectorProps) => {
  const t = useT();
  const { contains } = useFilter(COMBOBOX_LOCALE, { sensitivity: 'base' });
  const [search, setSearch] = useState<string | undefined>(undefined);
  const groups = groupsOf(options);
  const fields = groups.flatMap((group) => group.options);
  const chosen = fields.find((field) => field.name === value);
  const choose = (name: string) => {
    handleOnChange(name);
    setSearch(undefined);
  };
  return (
    <Combobox
      aria-label={title}
      size="S"
      autocomplete={{ type: 'list', filter: 'contains' }}
      value={value}
      textValue={search ?? chosen?.label ?? value}
      onTextValueChange={setSearch}
      onOpenChange={(open) => setSearch(open ? (search ?? '') : undefined)}
      placeholder={chosen?.label}
      disabled={disabled}
      onChange={(next) => {
        // A typed name that is no field stays a search (the trait offer below takes it).
        if (next !== undefined && fields.some((field) => field.name === next)) choose(next);
      }}
      creatable
      createMessage={(typed) =>
        t('rule.field.useTrait', 'Use the CRM trait "{name}"', {
          name: typed.trim().replace(/^traits\./, ''),
        })
      }
      onCreateOption={(typed) => {
        const path = traitPathOf(typed ?? '');
        if (path) choose(path);
      }}
    >
      {groups
        .filter((group) => group.options.some((field) => contains(field.label, search ?? '')))
        .flatMap((group) => [
          group.label ? (
            <GroupHeading key={`group:${group.label}`}>{group.label}</GroupHeading>
          ) : null,
          ...group.options.map((field) => (
            <ComboboxOption key={field.name} value={field.name}>
              {field.label}
            </ComboboxOption>
          )),
        ])}
    </Combobox>
  );
};

const AddAction = ({ label, handleOnClick, disabled, title }: ActionProps) => (
  <Button
    variant="tertiary"
    size="S"
    startIcon={<Plus />}
    onClick={(event: React.MouseEvent) => handleOnClick(event)}
    disabled={disabled}
    title={title}
  >
    {label}
  </Button>
);

const RemoveAction = ({ handleOnClick, disabled, title }: ActionProps) => (
  <IconButton
    label={title ?? 'Remove'}
    variant="ghost"
    onClick={(event: React.MouseEvent) => handleOnClick(event)}
    disabled={disabled}
  >
    <Cross />
  </IconButton>
);

const NotToggle = ({ checked, handleOnChange, disabled, label }: NotToggleProps) => (
  <Checkbox
    checked={Boolean(checked)}
    onCheckedChange={(next: boolean | 'indeterminate') => handleOnChange(next === true)}
    disabled={disabled}
  >
    {label}
  </Checkbox>
);

/** The value input: what fits the field's kind and the operator. */
const ValueEditor = ({
  operator,
  value,
  handleOnChange,
  fieldData,
  disabled,
  title,
}: ValueEditorProps<FullField>) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const field = fieldData as unknown as ContextField;
  if (operator === 'exists' || operator === 'doesNotExist') return null;
  if (operator === 'between' || operator === 'notBetween') {
    const [low, high] = Array.isArray(value) ? value : ['', ''];
    const input = (index: 0 | 1, current: unknown) => (
      <TextInput
        aria-label={formatMessage(
          index === 0 ? message('rule.value.from', 'From') : message('rule.value.to', 'To')
        )}
        size="S"
        type={field.kind === 'number' ? 'number' : 'text'}
        value={String(current ?? '')}
        disabled={disabled}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
          handleOnChange(
            index === 0 ? [event.target.value, high ?? ''] : [low ?? '', event.target.value]
          )
        }
      />
    );
    return (
      <Flex gap={1}>
        {input(0, low)}
        {input(1, high)}
      </Flex>
    );
  }
  const isList = operator === 'in' || operator === 'notIn';
  if (!isList && (field.kind === 'select' || field.kind === 'boolean')) {
    const options = field.values ?? [
      { name: 'true', label: 'true' },
      { name: 'false', label: 'false' },
    ];
    return (
      <SingleSelect
        aria-label={title}
        size="S"
        value={value === undefined || value === '' ? '' : String(value)}
        disabled={disabled}
        onChange={(next: string | number) => handleOnChange(String(next))}
      >
        {options.map((option) => (
          <SingleSelectOption key={option.name} value={option.name}>
            {option.label}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    );
  }
  return (
    <TextInput
      aria-label={title}
      size="S"
      type={field.kind === 'number' && !isList ? 'number' : 'text'}
      placeholder={isList ? t('rule.value.list', 'Comma-separated values') : undefined}
      value={Array.isArray(value) ? value.join(', ') : String(value ?? '')}
      disabled={disabled}
      onChange={(event: React.ChangeEvent<HTMLInputElement>) => handleOnChange(event.target.value)}
    />
  );
};

export const controlElements: Partial<Controls<FullField, string>> = {
  fieldSelector: FieldSelector,
  operatorSelector: Selector as Controls<FullField, string>['operatorSelector'],
  combinatorSelector: Selector as Controls<FullField, string>['combinatorSelector'],
  valueEditor: ValueEditor as Controls<FullField, string>['valueEditor'],
  addRuleAction: AddAction,
  addGroupAction: AddAction,
  removeRuleAction: RemoveAction,
  removeGroupAction: RemoveAction,
  notToggle: NotToggle,
};

/** Layout for react-querybuilder's class names (its own stylesheet is not loaded). */
export const BuilderFrame = styled.div`
  .ruleGroup {
    display: flex;
    flex-direction: column;
    gap: ${({ theme }) => theme.spaces[2]};
    padding: ${({ theme }) => theme.spaces[3]};
    border: 1px solid ${({ theme }) => theme.colors.neutral200};
    border-radius: ${({ theme }) => theme.borderRadius};
    background: ${({ theme }) => theme.colors.neutral100};
  }
  .ruleGroup .ruleGroup {
    background: ${({ theme }) => theme.colors.neutral0};
  }
  .ruleGroup-header,
  .rule {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${({ theme }) => theme.spaces[2]};
  }
  .ruleGroup-body {
    display: flex;
    flex-direction: column;
    gap: ${({ theme }) => theme.spaces[2]};
  }
  .ruleGroup-body:empty {
    display: none;
  }
  .rule > div {
    min-width: 14rem;
  }
`;
