import { useState } from 'react';

import { Box, Button, Flex, Typography } from '@strapi/design-system';

import { useRequestErrors } from '../api/errors';
import {
  useGetEntrySummariesQuery,
  useGetAppLocalesQuery,
  useGetPersonalizeSettingsQuery,
} from '../api/personalizeApi';
import { useT } from '../utils/getTranslation';
import { SelectInput } from './fields';

export interface Target {
  targetUid: string;
  /** null for a single type. */
  targetDocumentId: string | null;
  locale: string;
}

/**
 * Chooses an entry (the one an experiment runs on, when the form was not opened from an entry's
 * panel; the one a visitor lookup decides for): a content type with variants switched on, a
 * locale, and (for a collection type) one entry.
 */
export const TargetPicker = ({
  onPick,
  intro,
  submitLabel,
}: {
  onPick: (target: Target) => void;
  /** The sentence above the choices (the experiment form's by default). */
  intro?: string;
  /** The button's label (Continue by default). */
  submitLabel?: string;
}) => {
  const t = useT();
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
        {intro ??
          t('experiment.target.intro', 'Choose the entry whose content the experiment varies.')}
      </Typography>
      <SelectInput
        name="targetUid"
        label={t('experiment.target.contentType', 'Content type')}
        value={uid}
        options={contentTypes.map((type) => ({ value: type.uid, label: type.displayName }))}
        onChange={(next) => {
          setUid(next);
          setDocumentId('');
        }}
      />
      {contentType?.localized ? (
        <SelectInput
          name="locale"
          label={t('column.locale', 'Locale')}
          value={chosenLocale}
          options={locales.data.map((entry) => ({ value: entry.code, label: entry.name }))}
          onChange={(next) => {
            setLocale(next);
            setDocumentId('');
          }}
        />
      ) : null}
      {isCollection ? (
        <SelectInput
          name="targetDocumentId"
          label={t('column.target', 'Entry')}
          value={documentId}
          options={(entries.currentData ?? []).map((entry) => ({
            value: entry.documentId,
            label: entry.title,
          }))}
          disabled={!entries.currentData}
          onChange={setDocumentId}
          error={entries.error ? describe(entries.error) : undefined}
        />
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
          {submitLabel ?? t('experiment.target.continue', 'Continue')}
        </Button>
      </Box>
    </Flex>
  );
};
