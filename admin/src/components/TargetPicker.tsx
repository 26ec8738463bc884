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

import type { ContentTypeSettings } from '../api/types';
import { useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
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
  const api = usePersonalizeApi();
  const [uid, setUid] = useState('');
  const [locale, setLocale] = useState('');
  const [documentId, setDocumentId] = useState('');

  const [setup] = useLoad(async () => {
    const [{ contentTypes }, locales] = await Promise.all([api.settings.get(), api.locales()]);
    return { contentTypes: contentTypes.filter((type) => type.enabled), locales };
  }, 'setup');
  const contentType: ContentTypeSettings | undefined =
    setup.status === 'success'
      ? setup.data.contentTypes.find((type) => type.uid === uid)
      : undefined;
  const defaultLocale =
    setup.status === 'success'
      ? (setup.data.locales.find((entry) => entry.isDefault)?.code ?? 'en')
      : 'en';
  const chosenLocale = contentType?.localized ? locale || defaultLocale : defaultLocale;
  const isCollection = contentType?.kind === 'collectionType';
  const [entries] = useLoad(
    async () => (isCollection ? api.entries(uid, contentType.localized ? chosenLocale : null) : []),
    `${uid}/${chosenLocale}`
  );

  if (setup.status !== 'success') {
    return (
      <Typography variant="pi" textColor={setup.status === 'error' ? 'danger600' : 'neutral600'}>
        {setup.status === 'error' ? setup.message : t('list.loading', 'Loading…')}
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
          {setup.data.contentTypes.map((type) => (
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
            {setup.data.locales.map((entry) => (
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
          error={entries.status === 'error' ? entries.message : undefined}
        >
          <Field.Label>{t('column.target', 'Entry')}</Field.Label>
          <SingleSelect
            value={documentId}
            disabled={entries.status !== 'success'}
            onChange={(next: string | number) => setDocumentId(String(next))}
          >
            {(entries.status === 'success' ? entries.data : []).map((entry) => (
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
