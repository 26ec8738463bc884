import type { ReactNode } from 'react';

import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';

import { useT } from '../utils/getTranslation';

/** A button that asks for confirmation in Strapi's dialog before it acts. */
export const ConfirmButton = ({
  label,
  body,
  onConfirm,
  variant = 'danger-light',
  icon,
  disabled,
  confirmDisabled,
  warning,
  children,
}: {
  label: string;
  body: string;
  onConfirm: () => void;
  variant?: 'danger-light' | 'secondary';
  icon?: ReactNode;
  disabled?: boolean;
  /** The dialog opens, but the action cannot be confirmed (the body says why). */
  confirmDisabled?: boolean;
  /** Shown above the body when the action is allowed but probably premature. */
  warning?: string;
  /** Shown below the body: what the action concerns. */
  children?: ReactNode;
}) => {
  const t = useT();
  return (
    <Dialog.Root>
      <Dialog.Trigger>
        <Button variant={variant} startIcon={icon} disabled={disabled}>
          {label}
        </Button>
      </Dialog.Trigger>
      <Dialog.Content>
        <Dialog.Header>{t('confirm.title', 'Confirmation')}</Dialog.Header>
        <Dialog.Body icon={<WarningCircle fill="danger600" />}>
          <Flex direction="column" gap={3}>
            {warning ? (
              <Typography textColor="warning700" fontWeight="semiBold" role="alert">
                {warning}
              </Typography>
            ) : null}
            <Typography>{body}</Typography>
            {children}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary">
              {t('action.cancel', 'Cancel')}
            </Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button fullWidth variant={variant} onClick={onConfirm} disabled={confirmDisabled}>
              {t('action.confirm', 'Confirm')}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
