import { useState } from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { useRequestErrors } from '../api/errors';
import {
  useGetEntrySummariesQuery,
  useGetAppLocalesQuery,
  useGetPersonalizeSettingsQuery,
} from '../api/personalizeApi';
import { message } from '../utils/getTranslation';

export interface Target {
  targetUid: string;
  /** null for a single type. */
  targetDocumentId: string | null;
  locale: string;
}

/**
 * Chooses the entry an experiment runs on, when the form was not opened from an entry's panel:
 * a content type with variants switched on, a locale, and (for a collection type) one entry.
 */
export const TargetPicker = ({ onPick }: { onPick: (target: Target) => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, text: string) => formatMessage(message(id, text));
  const { describe } = useRequestErrors();
  const [uid, setUid] = useState('');
  const [locale, setLocale] = useState('');
  const [documentId, setDocumentId] = useState('');

  const settings = useGetPersonalizeSettingsQuery();
  const locales = useGetAppLocalesQuery();
  const contentTypes = (settings.data?.contentTypes ?? []).filter((type) => type.enabled);
  const contentType = contentTypes.find((type) => type.uid === uid);
  const defaultLocale = locales.data?.find((entry) => entry.isDefault)?.code ?? 'en';
  const chosenLocale = contentType?.localized ? locale || defaultLocale : defaultLocale;
  const isCollection = contentType?.kind === 'collectionType';
  const entries = useGetEntrySummariesQuery(
    { uid, locale: contentType?.localized ? chosenLocale : null },
    { skip: !isCollection }
  );

  const setupError = settings.error ?? locales.error;
  if (setupError || !settings.data || !locales.data) {
    return (
      <Typography variant="pi" textColor={setupError ? 'danger600' : 'neutral600'}>
        {setupError ? describe(setupError) : t('list.loading', 'Loading…')}
      </Typography>
    );
  }
  const ready = Boolean(contentType) && (!isCollection || documentId !== '');
  return (
    <Flex direction="column" alignItems="stretch" gap={4} maxWidth="640px">
      <Typography>
        {t('experiment.target.intro', 'Choose the entry whose content the experiment varies.')}
      </Typography>
      <Field.Root name="targetUid">
        <Field.Label>{t('experiment.target.contentType', 'Content type')}</Field.Label>
        <SingleSelect
          value={uid}
          onChange={(next: string | number) => {
            setUid(String(next));
            setDocumentId('');
          }}
        >
          {contentTypes.map((type) => (
            <SingleSelectOption key={type.uid} value={type.uid}>
              {type.displayName}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
      {contentType?.localized ? (
        <Field.Root name="locale">
          <Field.Label>{t('column.locale', 'Locale')}</Field.Label>
          <SingleSelect
            value={chosenLocale}
            onChange={(next: string | number) => {
              setLocale(String(next));
              setDocumentId('');
            }}
          >
            {locales.data.map((entry) => (
              <SingleSelectOption key={entry.code} value={entry.code}>
                {entry.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      ) : null}
      {isCollection ? (
        <Field.Root
          name="targetDocumentId"
          error={entries.error ? describe(entries.error) : undefined}
        >
          <Field.Label>{t('column.target', 'Entry')}</Field.Label>
          <SingleSelect
            value={documentId}
            disabled={!entries.currentData}
            onChange={(next: string | number) => setDocumentId(String(next))}
          >
            {(entries.currentData ?? []).map((entry) => (
              <SingleSelectOption key={entry.documentId} value={entry.documentId}>
                {entry.title}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <Field.Error />
        </Field.Root>
      ) : null}
      <Box>
        <Button
          disabled={!ready}
          onClick={() =>
            onPick({
              targetUid: uid,
              targetDocumentId: isCollection ? documentId : null,
              locale: chosenLocale,
            })
          }
        >
          {t('experiment.target.continue', 'Continue')}
        </Button>
      </Box>
    </Flex>
  );
};
