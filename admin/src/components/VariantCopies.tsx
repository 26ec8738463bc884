import { useCallback, useMemo, useState } from 'react';

import {
  Button,
  Field,
  Flex,
  Modal,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { useAuth, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useRequestErrors, useServerMessage } from '../api/errors';
import {
  useDuplicateVariantMutation,
  useGetEntryLocalesQuery,
  useGetVariantsQuery,
} from '../api/personalizeApi';
import type { Variant } from '../api/types';
import { useCanManage } from '../hooks';
import { message, useT } from '../utils/getTranslation';
import { ConfirmButton } from './ConfirmButton';

/**
 * Copies of variants: a duplicate on the same entry, and copies to another locale of the entry
 * (POST /variants/:documentId/duplicate decides what may be copied and where).
 */

/** A locale's name in the editor's language ("German", "Deutsch"); its code when unknown. */
export const useLocaleName = () => {
  const { locale } = useIntl();
  return useMemo(() => {
    const names = new Intl.DisplayNames([locale], { type: 'language' });
    return (code: string) => {
      try {
        return names.of(code) ?? code;
      } catch {
        return code; // not a language tag Intl knows
      }
    };
  }, [locale]);
};

/**
 * `copy(documentId, { locale?, name? })`: a draft copy of a variant, or null when refused (the
 * refusal is notified). Overrides the copy had to leave out (a file deleted since) are named in a
 * warning, so that nothing is dropped silently.
 */
export const useCopyVariant = () => {
  const t = useT();
  const [duplicateVariant] = useDuplicateVariantMutation();
  const { notify } = useRequestErrors();
  const say = useServerMessage();
  const { toggleNotification } = useNotification();
  return useCallback(
    async (documentId: string, body: { locale?: string; name?: string }) => {
      const result = await duplicateVariant({ documentId, ...body });
      if ('error' in result) {
        notify(result.error);
        return null;
      }
      const { data, meta } = result.data;
      if (meta.leftOut.length > 0) {
        toggleNotification({
          type: 'warning',
          message: t('copy.leftOut', '"{name}" was copied without: {overrides}', {
            name: data.name,
            overrides: meta.leftOut.map((left) => `${left.attribute} (${say(left)})`).join('; '),
          }),
        });
      }
      return data;
    },
    [duplicateVariant, t, notify, say, toggleNotification]
  );
};

/** What a copy to another locale takes along, said wherever one is made. */
const COPY_NOTE = message(
  'copy.note',
  'A copy is a draft with the same persona, stage, rule, priority and pictures. Texts are copied as they are: translate them in the copy before you publish it.'
);

/** Locales of `uid` whose entries the admin may update in the Content Manager. */
const useUpdatableLocales = (uid: string) => {
  const permissions = useAuth('VariantCopies', (state) => state.permissions);
  return useMemo(
    () =>
      new Set(
        permissions
          .filter(
            (permission) =>
              permission.subject === uid &&
              permission.action === 'plugin::content-manager.explorer.update'
          )
          .flatMap((permission) => {
            const locales: unknown = permission.properties?.locales;
            return Array.isArray(locales) ? locales.map(String) : [];
          })
      ),
    [permissions, uid]
  );
};

/**
 * *Copy to another locale*: a draft of `variant` in a locale of its entry that the admin may
 * edit, chosen in a dialog; `onCopied` gets the copy.
 */
export const CopyToLocaleDialog = ({
  variant,
  open,
  onOpenChange,
  onCopied,
}: {
  variant: Variant;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCopied: (copy: Variant) => void;
}) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const localeName = useLocaleName();
  const copyVariant = useCopyVariant();
  const updatable = useUpdatableLocales(variant.targetUid);
  const entryLocales = useGetEntryLocalesQuery(
    { uid: variant.targetUid, documentId: variant.targetDocumentId, locale: variant.locale },
    { skip: !open }
  );
  const choices = (entryLocales.data ?? []).filter(
    (code) => code !== variant.locale && updatable.has(code)
  );
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const locale = chosen !== null && choices.includes(chosen) ? chosen : (choices[0] ?? null);

  const copy = async () => {
    if (!locale) return;
    setBusy(true);
    const copied = await copyVariant(variant.documentId, { locale });
    setBusy(false);
    if (copied) {
      onOpenChange(false);
      onCopied(copied);
    }
  };

  return (
    <Modal.Root open={open} onOpenChange={onOpenChange}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            {t('copy.toLocale.title', 'Copy "{name}" to another locale', {
              name: variant.name,
            })}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            {entryLocales.isLoading ? (
              <Typography>{t('list.loading', 'Loading…')}</Typography>
            ) : choices.length === 0 ? (
              <Typography textColor="neutral700">
                {t(
                  'copy.toLocale.none',
                  'The entry exists in no other locale you may edit. Add its translation in the Content Manager first.'
                )}
              </Typography>
            ) : (
              <Field.Root name="locale" width="100%">
                <Field.Label>{t('copy.toLocale.locale', 'Locale')}</Field.Label>
                <SingleSelect
                  value={locale ?? undefined}
                  onChange={(next: string | number) => setChosen(String(next))}
                >
                  {choices.map((code) => (
                    <SingleSelectOption key={code} value={code}>
                      {localeName(code)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
            )}
            <Typography textColor="neutral700">{formatMessage(COPY_NOTE)}</Typography>
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button onClick={copy} loading={busy} disabled={!locale}>
            {t('copy.toLocale.action', 'Copy')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

/** The entry whose edit view shows the side panel: its model, document and locale. */
export interface PanelEntry {
  model: string;
  documentId: string | null;
  locale: string;
}

/**
 * For the side panel, when the entry has no variant in `locale`: how many it has in each other
 * locale ("2 variants in English"), each with *Copy here*. Nothing otherwise.
 */
export const OtherLocaleVariants = ({ model, documentId, locale }: PanelEntry) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const localeName = useLocaleName();
  const canManage = useCanManage();
  const copyVariant = useCopyVariant();
  const { toggleNotification } = useNotification();
  const { data } = useGetVariantsQuery({
    targetUid: model,
    ...(documentId ? { targetDocumentId: documentId } : {}),
  });
  // A single type's list is every variant of the type: its entry's have no documentId.
  const variants = (data?.items ?? []).filter((variant) => documentId || !variant.targetDocumentId);
  if (variants.some((variant) => variant.locale === locale)) return null;
  const byLocale = new Map<string, Variant[]>();
  for (const variant of variants) {
    byLocale.set(variant.locale, [...(byLocale.get(variant.locale) ?? []), variant]);
  }

  const copyHere = async (originals: Variant[]) => {
    for (const original of originals) {
      if (!(await copyVariant(original.documentId, { locale }))) return;
    }
    toggleNotification({
      type: 'success',
      message: t('copy.done', '{count, plural, one {# variant} other {# variants}} copied', {
        count: originals.length,
      }),
    });
  };

  return (
    <>
      {[...byLocale].map(([code, originals]) => {
        const values = {
          count: originals.length,
          from: localeName(code),
          to: localeName(locale),
        };
        return (
          <Flex
            key={code}
            direction="column"
            alignItems="stretch"
            gap={2}
            padding={2}
            hasRadius
            background="neutral100"
            data-testid="personalize-other-locale"
          >
            <Typography variant="pi" textColor="neutral700">
              {t(
                'panel.otherLocale',
                '{count, plural, one {# variant} other {# variants}} in {from}',
                values
              )}
            </Typography>
            {canManage ? (
              <ConfirmButton
                variant="secondary"
                label={t('panel.copyHere', 'Copy here')}
                body={`${t(
                  'panel.copyHere.confirm',
                  'Copy {count, plural, one {the variant} other {the # variants}} from {from} to {to}?',
                  values
                )} ${formatMessage(COPY_NOTE)}`}
                onConfirm={() => void copyHere(originals)}
              />
            ) : null}
          </Flex>
        );
      })}
    </>
  );
};
