import { Field, NumberInput, TextInput, Textarea } from '@strapi/design-system';

/** Design-system form fields with a label and an optional hint, as the plugin's forms use them. */

interface FieldProps<Value> {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  value: Value;
  onChange: (value: Value) => void;
}

export const TextField = ({
  name,
  label,
  hint,
  error,
  required,
  disabled,
  value,
  onChange,
}: FieldProps<string>) => (
  <Field.Root name={name} hint={hint} error={error} required={required} width="100%">
    <Field.Label>{label}</Field.Label>
    <TextInput
      value={value}
      disabled={disabled}
      onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
    />
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const NumberField = ({
  name,
  label,
  hint,
  error,
  disabled,
  value,
  onChange,
}: FieldProps<number>) => (
  <Field.Root name={name} hint={hint} error={error} width="100%">
    <Field.Label>{label}</Field.Label>
    <NumberInput
      value={value}
      disabled={disabled}
      onValueChange={(next: number | undefined) => onChange(next ?? 0)}
    />
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const TextareaField = ({
  name,
  label,
  hint,
  error,
  disabled,
  value,
  onChange,
  monospace,
}: FieldProps<string> & { monospace?: boolean }) => (
  <Field.Root name={name} hint={hint} error={error} width="100%">
    <Field.Label>{label}</Field.Label>
    <Textarea
      value={value}
      disabled={disabled}
      style={monospace ? { fontFamily: 'monospace' } : undefined}
      onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => onChange(event.target.value)}
    />
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
