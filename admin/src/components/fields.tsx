import type { ReactNode } from 'react';

import {
  DateTimePicker,
  Field,
  Grid,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Textarea,
  Typography,
} from '@strapi/design-system';
import { useField, useForm } from '@strapi/strapi/admin';

import { errorUnder } from '../api/errors';
import { useT } from '../utils/getTranslation';

/** The latest date the Content Manager's date-time fields offer. */
const MAX_DATE = new Date(2099, 11, 31);

/**
 * Design-system fields bound to the enclosing Strapi `Form` by `name` (a path such as
 * `arms.1.weight`): its value, its change handler and the server's error at that path. They are
 * disabled with the form.
 */

interface FieldProps {
  name: string;
  label: string;
  hint?: ReactNode;
  required?: boolean;
  disabled?: boolean;
}

const useFormField = <Value,>(name: string, disabled?: boolean) => {
  const { value, error, onChange } = useField<Value>(name);
  const formDisabled = useForm('useFormField', (state) => state.disabled);
  return {
    value,
    error,
    disabled: Boolean(disabled || formDisabled),
    change: (next: Value) => onChange(name, next),
  };
};

export const TextField = ({ name, label, hint, required, disabled }: FieldProps) => {
  const field = useFormField<string>(name, disabled);
  return (
    <Field.Root name={name} hint={hint} error={field.error} required={required} width="100%">
      <Field.Label>{label}</Field.Label>
      <TextInput
        value={field.value ?? ''}
        disabled={field.disabled}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => field.change(event.target.value)}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

export const NumberField = ({
  name,
  label,
  hint,
  disabled,
  min,
  max,
}: FieldProps & { min?: number; max?: number }) => {
  const field = useFormField<number>(name, disabled);
  return (
    <Field.Root name={name} hint={hint} error={field.error} width="100%">
      <Field.Label>{label}</Field.Label>
      <NumberInput
        value={field.value}
        disabled={field.disabled}
        onValueChange={(next: number | undefined) =>
          field.change(Math.min(max ?? Infinity, Math.max(min ?? -Infinity, next ?? min ?? 0)))
        }
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

export const TextareaField = ({
  name,
  label,
  hint,
  disabled,
  monospace,
}: FieldProps & { monospace?: boolean }) => {
  const field = useFormField<string>(name, disabled);
  return (
    <Field.Root name={name} hint={hint} error={field.error} width="100%">
      <Field.Label>{label}</Field.Label>
      <Textarea
        value={field.value ?? ''}
        disabled={field.disabled}
        style={monospace ? { fontFamily: 'monospace' } : undefined}
        onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
          field.change(event.target.value)
        }
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

/**
 * A date and time in the admin's time zone (the browser's), kept in the form as an ISO string
 * (null when cleared), as the Content Manager's date-time fields do.
 */
export const DateTimeField = ({ name, label, hint, disabled }: FieldProps) => {
  const t = useT();
  const field = useFormField<string | null>(name, disabled);
  return (
    <Field.Root name={name} hint={hint} error={field.error} width="100%">
      <Field.Label>{label}</Field.Label>
      <DateTimePicker
        value={field.value ? new Date(field.value) : null}
        disabled={field.disabled}
        maxDate={MAX_DATE}
        clearLabel={t('field.clear', 'Clear')}
        dateLabel={t('field.date', 'Date')}
        timeLabel={t('field.time', 'Time')}
        onChange={(date: Date | undefined) => field.change(date ? date.toISOString() : null)}
        onClear={() => field.change(null)}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

/** The server's first error at `path` or under it (`rule.and.0` for `rule`), as an alert. */
export const ErrorUnder = ({ path }: { path: string }) => {
  const error = errorUnder(
    useForm('ErrorUnder', (state) => state.errors),
    path
  );
  return error ? (
    <Typography variant="pi" textColor="danger600" role="alert">
      {error}
    </Typography>
  ) : null;
};

/** A choice among `options`, with its label, hint and error, outside a `Form` as well. */
export const SelectInput = ({
  name,
  label,
  hint,
  options,
  value,
  onChange,
  disabled,
  error,
}: FieldProps & {
  options: { value: string; label: string }[];
  value: string | undefined;
  onChange: (value: string) => void;
  error?: string;
}) => (
  <Field.Root name={name} error={error} hint={hint} width="100%">
    <Field.Label>{label}</Field.Label>
    <SingleSelect
      value={value}
      disabled={disabled}
      onChange={(next: string | number) => onChange(String(next))}
    >
      {options.map((option) => (
        <SingleSelectOption key={option.value} value={option.value}>
          {option.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const SelectField = ({
  name,
  label,
  options,
  disabled,
}: FieldProps & { options: { value: string; label: string }[] }) => {
  const field = useFormField<string>(name, disabled);
  return (
    <SelectInput
      name={name}
      label={label}
      options={options}
      value={field.value}
      onChange={field.change}
      disabled={field.disabled}
      error={field.error}
    />
  );
};

/** The name every editor asks for first. */
export const NameField = () => {
  const t = useT();
  return <TextField name="name" required label={t('column.name', 'Name')} />;
};

/**
 * What personas, stages and interests have alike: name and slug side by side, then the
 * description beside `aside` (the field that is each kind's own: priority, order, half-life).
 */
export const NamedFields = ({ slugHint, aside }: { slugHint: string; aside: ReactNode }) => {
  const t = useT();
  return (
    <Grid.Root gap={4}>
      <Grid.Item col={6} s={12}>
        <NameField />
      </Grid.Item>
      <Grid.Item col={6} s={12}>
        <TextField name="slug" label={t('column.slug', 'Slug')} hint={slugHint} />
      </Grid.Item>
      <Grid.Item col={9} s={12}>
        <TextareaField name="description" label={t('field.description', 'Description')} />
      </Grid.Item>
      <Grid.Item col={3} s={12}>
        {aside}
      </Grid.Item>
    </Grid.Root>
  );
};
