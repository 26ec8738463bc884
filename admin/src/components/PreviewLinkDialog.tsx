import { useState } from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  LinkButton,
  Modal,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Duplicate, ExternalLink, Link as LinkIcon } from '@strapi/icons';
import { useClipboard, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useRequestErrors } from '../api/errors';
import { useCreatePersonalizePreviewLinkMutation } from '../api/personalizeApi';
import type { PreviewLink, PreviewLinkRequest } from '../api/types';
import { onBackend } from '../utils/backend-url';
import { useT } from '../utils/getTranslation';
import { MAX_PREVIEW_LINK_HOURS } from '../utils/limits';

type Unit = 'hours' | 'days';

const HOURS: Record<Unit, number> = { hours: 1, days: 24 };

/** What a preview link forces, and what the dialog says about it. */
export interface PreviewLinkTarget {
  request: Omit<PreviewLinkRequest, 'expiresInHours'>;
  /** What the link shows, in words ("Persona Family · Stage Ready to buy"). */
  description: string;
  /** A caveat to read before sending it (a draft variant, an experiment not running…). */
  note?: string;
}

/**
 * "Preview link": a signed link to the site that forces a persona, a stage or an experiment's
 * arm, for QA and stakeholders who have no admin account. Choose how long it works, create it,
 * then copy the link (or, without the plugin's `previewUrl` option, the token).
 */
export const PreviewLinkDialog = ({
  target,
  onClose,
}: {
  /** The link to create; the dialog is open while there is one. */
  target: PreviewLinkTarget | null;
  onClose: () => void;
}) => {
  const t = useT();
  const { formatDate } = useIntl();
  const { describe } = useRequestErrors();
  const { copy } = useClipboard();
  const { toggleNotification } = useNotification();
  const [create, { isLoading }] = useCreatePersonalizePreviewLinkMutation();
  const [amount, setAmount] = useState(7);
  const [unit, setUnit] = useState<Unit>('days');
  const [link, setLink] = useState<PreviewLink | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const hours = amount * HOURS[unit];
  const tooLong = hours > MAX_PREVIEW_LINK_HOURS;
  const tooShort = hours < 1;

  const close = () => {
    setLink(null);
    setProblem(null);
    onClose();
  };

  const submit = async () => {
    if (!target) return;
    const result = await create({ ...target.request, expiresInHours: hours });
    if ('error' in result) {
      setProblem(describe(result.error));
      return;
    }
    setProblem(null);
    setLink(result.data);
  };

  const shared = link ? (link.url ? onBackend(link.url) : link.token) : '';
  const copyLink = async () => {
    const copied = await copy(shared);
    toggleNotification({
      type: copied ? 'success' : 'warning',
      message: copied
        ? t('previewLink.copied', 'Copied')
        : t('previewLink.copyFailed', 'The browser did not allow copying: select the text instead'),
    });
  };

  return (
    <Modal.Root open={target !== null} onOpenChange={(open: boolean) => (open ? null : close())}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('previewLink.title', 'Preview link')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4} data-testid="preview-link-dialog">
            <Flex direction="column" alignItems="stretch" gap={1}>
              <Typography variant="sigma" textColor="neutral600">
                {t('previewLink.forces', 'The link shows')}
              </Typography>
              <Typography fontWeight="semiBold">{target?.description}</Typography>
            </Flex>
            <Typography textColor="neutral700">
              {t(
                'previewLink.explain',
                'Anyone with the link sees the site as this visitor until it expires, without an admin account. Published content only; nothing they do is recorded (no exposures, no conversions).'
              )}
            </Typography>
            {target?.note ? (
              <Typography textColor="warning700" data-testid="preview-link-note">
                {target.note}
              </Typography>
            ) : null}
            {link ? (
              <Flex direction="column" alignItems="stretch" gap={3}>
                <Field.Root
                  name="previewLink"
                  hint={
                    link.url
                      ? undefined
                      : t(
                          'previewLink.tokenOnly',
                          "No previewUrl option is set, so here is the token: your frontend sends it as the visitor context's preview (the client reads ?personalize_preview=)."
                        )
                  }
                >
                  <Field.Label>
                    {link.url
                      ? t('previewLink.url', 'Link')
                      : t('previewLink.token', 'Preview token')}
                  </Field.Label>
                  <TextInput
                    value={shared}
                    readOnly
                    data-testid="preview-link-value"
                    onFocus={(event: React.FocusEvent<HTMLInputElement>) => event.target.select()}
                  />
                  <Field.Hint />
                </Field.Root>
                <Typography variant="pi" textColor="neutral600" data-testid="preview-link-expiry">
                  {t('previewLink.expires', 'Works until {date}', {
                    date: formatDate(link.expiresAt, { dateStyle: 'full', timeStyle: 'short' }),
                  })}
                </Typography>
                <Flex gap={2} wrap="wrap">
                  <Button variant="secondary" startIcon={<Duplicate />} onClick={copyLink}>
                    {t('previewLink.copy', 'Copy')}
                  </Button>
                  {link.url ? (
                    <LinkButton
                      variant="tertiary"
                      startIcon={<ExternalLink />}
                      href={shared}
                      target="_blank"
                      rel="noopener noreferrer"
                    >
                      {t('previewLink.open', 'Open')}
                    </LinkButton>
                  ) : null}
                </Flex>
              </Flex>
            ) : (
              <Flex gap={3} alignItems="flex-start" wrap="wrap">
                <Box width="10rem">
                  <Field.Root
                    name="expiresIn"
                    error={
                      tooLong
                        ? t('previewLink.tooLong', 'At most 30 days')
                        : tooShort
                          ? t('previewLink.tooShort', 'At least one hour')
                          : undefined
                    }
                  >
                    <Field.Label>{t('previewLink.expiresIn', 'Works for')}</Field.Label>
                    <NumberInput
                      value={amount}
                      step={1}
                      onValueChange={(next: number | undefined) =>
                        setAmount(Math.max(0, Math.round(next ?? 0)))
                      }
                    />
                    <Field.Error />
                  </Field.Root>
                </Box>
                <Box width="10rem">
                  <Field.Root name="expiresInUnit">
                    <Field.Label>{t('previewLink.unit', 'Unit')}</Field.Label>
                    <SingleSelect
                      value={unit}
                      onChange={(next: string | number) => setUnit(String(next) as Unit)}
                    >
                      <SingleSelectOption value="hours">
                        {t('previewLink.hours', 'hours')}
                      </SingleSelectOption>
                      <SingleSelectOption value="days">
                        {t('previewLink.days', 'days')}
                      </SingleSelectOption>
                    </SingleSelect>
                  </Field.Root>
                </Box>
              </Flex>
            )}
            {problem ? (
              <Typography textColor="danger600" role="alert">
                {problem}
              </Typography>
            ) : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">
              {link ? t('previewLink.done', 'Close') : t('action.cancel', 'Cancel')}
            </Button>
          </Modal.Close>
          {link ? null : (
            <Button onClick={submit} loading={isLoading} disabled={tooLong || tooShort}>
              {t('previewLink.create', 'Create link')}
            </Button>
          )}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

/** A button that opens the preview-link dialog for one target. */
export const PreviewLinkButton = ({
  target,
  disabledReason,
  size,
  variant = 'secondary',
  fullWidth,
}: {
  target: PreviewLinkTarget;
  /** Why no link can be made (the button is disabled and says so). */
  disabledReason?: string;
  size?: 'S' | 'M';
  variant?: 'secondary' | 'tertiary';
  fullWidth?: boolean;
}) => {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant={variant}
        size={size}
        fullWidth={fullWidth}
        startIcon={<LinkIcon />}
        disabled={disabledReason !== undefined}
        title={disabledReason}
        onClick={() => setOpen(true)}
      >
        {t('previewLink.action', 'Preview link')}
      </Button>
      <PreviewLinkDialog target={open ? target : null} onClose={() => setOpen(false)} />
    </>
  );
};
