import {
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { useField, useForm } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { Arm, Variant } from '../api/types';
import { errorUnder } from '../api/errors';
import { SectionTitle } from './SectionTitle';
import { useT } from '../utils/getTranslation';
import { NumberField } from './fields';

/** The server's bounds on the number of arms. */
export const MIN_ARMS = 2;
export const MAX_ARMS = 10;
/** The one arm every other is compared with; the server requires exactly one. */
export const CONTROL = 'control';
const BASE = '-';

const nextKey = (arms: Arm[]) => {
  for (let index = arms.length + 1; ; index += 1) {
    const key = `arm-${index}`;
    if (!arms.some((arm) => arm.key === key)) return key;
  }
};

/**
 * The arms of an experiment, bound to the enclosing Strapi `Form` at `arms`: each one's key,
 * content (the base entry or one of its variants) and relative weight, with the server's errors
 * at their paths (`arms.1.variant`).
 */
export const ArmsEditor = ({
  variants,
  showLocale,
  disabled,
}: {
  /** The entry's variants that may be chosen (already filtered to the experiment's locale). */
  variants: Variant[];
  /** Label variants with their locale (the experiment runs in every locale). */
  showLocale: boolean;
  disabled: boolean;
}) => {
  const field = useField<Arm[]>('arms');
  const arms = field.value ?? [];
  const onChange = (next: Arm[]) => field.onChange('arms', next);
  const errors = useForm('ArmsEditor', (state) => state.errors);
  const { formatNumber } = useIntl();
  const t = useT();
  const total = arms.reduce((sum, arm) => sum + (arm.weight > 0 ? arm.weight : 0), 0);
  const setArm = (index: number, change: Partial<Arm>) =>
    onChange(arms.map((arm, at) => (at === index ? { ...arm, ...change } : arm)));

  const variantLabel = (variant: Variant) => {
    const name = showLocale ? `${variant.name} · ${variant.locale}` : variant.name;
    return variant.status === 'draft'
      ? `${name} (${t('experiment.unpublished', 'not published: publish it before starting')})`
      : name;
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <SectionTitle
        title={t('experiment.arms', 'Arms')}
        hint={t(
          'experiment.arms.hint',
          'The arm "control" is the one the others are compared with. Weights are relative: each arm gets its share of the participants.'
        )}
      />
      {'arms' in errors && typeof errors.arms === 'string' ? (
        <Typography variant="pi" textColor="danger600" role="alert">
          {errors.arms}
        </Typography>
      ) : null}
      {arms.map((arm, index) => (
        <Flex key={index} gap={3} alignItems="flex-start">
          <Box width="160px">
            <Field.Root name={`arms.${index}.key`} error={errorUnder(errors, `arms.${index}.key`)}>
              <Field.Label>{t('experiment.arm.key', 'Key')}</Field.Label>
              <TextInput
                value={arm.key}
                // Renaming control would leave the experiment without one.
                disabled={disabled || arm.key === CONTROL}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  setArm(index, { key: event.target.value })
                }
              />
              <Field.Error />
            </Field.Root>
          </Box>
          <Box grow={1}>
            <Field.Root
              name={`arms.${index}.variant`}
              error={errorUnder(errors, `arms.${index}.variant`)}
            >
              <Field.Label>{t('experiment.arm.content', 'Content')}</Field.Label>
              <SingleSelect
                value={arm.variant ?? BASE}
                disabled={disabled}
                onChange={(next: string | number) =>
                  setArm(index, { variant: next === BASE ? null : String(next) })
                }
              >
                <SingleSelectOption value={BASE}>
                  {t('experiment.arm.base', 'The entry itself (base)')}
                </SingleSelectOption>
                {variants.map((variant) => (
                  <SingleSelectOption key={variant.documentId} value={variant.documentId}>
                    {variantLabel(variant)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Error />
            </Field.Root>
          </Box>
          <Box width="140px">
            <NumberField
              name={`arms.${index}.weight`}
              label={t('experiment.arm.weight', 'Weight')}
              hint={
                total > 0 && arm.weight > 0
                  ? t('experiment.arm.share', '{share} of participants', {
                      share: formatNumber(arm.weight / total, {
                        style: 'percent',
                        maximumFractionDigits: 1,
                      }),
                    })
                  : undefined
              }
              disabled={disabled}
            />
          </Box>
          <Box paddingTop={6}>
            <IconButton
              label={t('experiment.arm.remove', 'Remove arm')}
              disabled={disabled || arm.key === CONTROL || arms.length <= MIN_ARMS}
              onClick={() => onChange(arms.filter((_, at) => at !== index))}
            >
              <Trash />
            </IconButton>
          </Box>
        </Flex>
      ))}
      <Box>
        <Button
          variant="tertiary"
          startIcon={<Plus />}
          disabled={disabled || arms.length >= MAX_ARMS}
          onClick={() => onChange([...arms, { key: nextKey(arms), variant: null, weight: 50 }])}
        >
          {t('experiment.arm.add', 'Add an arm')}
        </Button>
      </Box>
    </Flex>
  );
};
