import type { ReactNode } from 'react';

import { Box, Button, Flex } from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { BackButton, Blocker, Form, type FormErrors, type FormHelpers } from '@strapi/strapi/admin';

import { useT } from '../utils/getTranslation';
import { ConfirmButton } from './ConfirmButton';
import { PageLayout } from './PageLayout';

/** What an editor's body gets from its form. */
export interface EditorForm<Values extends object> {
  values: Values;
  onChange: (path: string, value: unknown) => void;
  isSubmitting: boolean;
  errors: FormErrors<Values>;
}

/**
 * The page of every editor (persona, stage, variant, experiment): Strapi's `Form` around the
 * page layout, with Back, the actions and Save in the header, and the Content Manager's guard
 * against leaving with unsaved changes.
 */
export const EditorPage = <Values extends object>({
  title,
  subtitle,
  back,
  initialValues,
  isNew,
  onSubmit,
  disabled,
  canSave,
  saveDisabled,
  actions,
  trailingAction,
  children,
}: {
  title: string;
  subtitle: string;
  /** Where Back goes when there is no history. */
  back: string;
  initialValues: Values;
  isNew: boolean;
  onSubmit: (values: Values, helpers: FormHelpers<Values>) => Promise<void>;
  disabled: boolean;
  /** Whether the user may save at all (no Save button otherwise). */
  canSave: boolean;
  saveDisabled?: boolean;
  /** Buttons before Save (delete, unpublish…). */
  actions?: ReactNode;
  /** A button after Save (publish). */
  trailingAction?: ReactNode;
  children: (form: EditorForm<Values>) => ReactNode;
}) => {
  const t = useT();
  return (
    <Form
      method={isNew ? 'POST' : 'PUT'}
      initialValues={initialValues}
      onSubmit={onSubmit}
      disabled={disabled}
    >
      {({ values, onChange, isSubmitting, errors }) => (
        <PageLayout
          title={title}
          subtitle={subtitle}
          navigationAction={<BackButton fallback={back} />}
          primaryAction={
            canSave ? (
              <Flex gap={2}>
                {actions}
                <Button
                  type="submit"
                  variant={trailingAction ? 'secondary' : 'default'}
                  loading={isSubmitting}
                  disabled={saveDisabled}
                >
                  {t('action.save', 'Save')}
                </Button>
                {trailingAction}
              </Flex>
            ) : undefined
          }
        >
          <Blocker />
          {children({ values: values as Values, onChange, isSubmitting, errors })}
        </PageLayout>
      )}
    </Form>
  );
};

/** A white card, as the Content Manager's edit view draws its fields. */
export const EditorCard = ({ children, gap = 4 }: { children: ReactNode; gap?: number }) => (
  <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
    <Flex direction="column" alignItems="stretch" gap={gap}>
      {children}
    </Flex>
  </Box>
);

/**
 * Delete, confirmed in Strapi's dialog with the thing's name; with a `refusal`, the dialog says
 * why it cannot be deleted instead, and cannot be confirmed.
 */
export const DeleteButton = ({
  name,
  onConfirm,
  refusal,
  children,
}: {
  name: string;
  onConfirm: () => void;
  refusal?: string;
  /** What the deletion concerns, below the question (or the refusal). */
  children?: ReactNode;
}) => {
  const t = useT();
  return (
    <ConfirmButton
      label={t('action.delete', 'Delete')}
      icon={<Trash />}
      body={
        refusal ??
        t('confirm.delete', 'Delete "{name}"? This cannot be undone.', {
          name,
        })
      }
      confirmDisabled={refusal !== undefined}
      onConfirm={onConfirm}
    >
      {children}
    </ConfirmButton>
  );
};
