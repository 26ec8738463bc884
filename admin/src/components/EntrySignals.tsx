import { useState } from 'react';

import {
  Box,
  Button,
  Divider,
  Field,
  Flex,
  LinkButton,
  NumberInput,
  Typography,
} from '@strapi/design-system';
import { Cog } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';

import { useRequestErrors } from '../api/errors';
import {
  useGetEntrySignalsQuery,
  useGetInterestsQuery,
  useReplaceEntrySignalsMutation,
} from '../api/personalizeApi';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { useT } from '../utils/getTranslation';

/** The points a signal may add (server/src/contracts/profiles.ts). */
const POINTS = { min: 1, max: 100 };

/** Points by interest slug; undefined: no signal. */
type Points = Record<string, number | undefined>;

const isValid = (points: number | undefined) =>
  points === undefined ||
  (Number.isInteger(points) && points >= POINTS.min && points <= POINTS.max);

/**
 * The entry's signals, in its side panel under the variants: per interest the points reading the
 * entry adds to a visitor's score in it (1–100), or none. Hidden without interests, with a link to
 * create them for those who may. Signals belong to the document, in every locale.
 */
export const EntrySignals = ({
  model,
  documentId,
}: {
  model: string;
  documentId: string | null;
}) => {
  const t = useT();
  const canManage = useCanManage();
  const { describe, notify } = useRequestErrors();
  const { toggleNotification } = useNotification();
  const interestsQuery = useGetInterestsQuery();
  const interests = interestsQuery.data?.items ?? [];
  const entry = { targetUid: model, targetDocumentId: documentId };
  const signalsQuery = useGetEntrySignalsQuery(entry, { skip: interests.length === 0 });
  const [replace, { isLoading: saving }] = useReplaceEntrySignalsMutation();
  // The editor's changes over what is saved; null: none.
  const [draft, setDraft] = useState<Points | null>(null);

  // Without the interests (loading, or refused: the variants above say why), nothing to show.
  if (!interestsQuery.data) return null;
  if (interests.length === 0) {
    return canManage ? (
      <Flex direction="column" alignItems="stretch" gap={2} data-testid="personalize-signals">
        <Divider />
        <Typography variant="sigma" textColor="neutral600">
          {t('signals.title', 'Interest signals')}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {t(
            'signals.noInterests',
            'No interests yet. Create them in Settings to let this entry add to what visitors are interested in.'
          )}
        </Typography>
        <LinkButton
          tag={NavLink}
          variant="tertiary"
          startIcon={<Cog />}
          fullWidth
          to={`/settings/${PLUGIN_ID}/interests`}
        >
          {t('signals.createInterests', 'Create interests')}
        </LinkButton>
      </Flex>
    ) : null;
  }

  const saved: Points = Object.fromEntries(
    (signalsQuery.data ?? []).map((signal) => [signal.interest, signal.points])
  );
  const points = draft ?? saved;
  const changed = interests.some((interest) => points[interest.slug] !== saved[interest.slug]);
  const valid = interests.every((interest) => isValid(points[interest.slug]));

  const save = async () => {
    const result = await replace({
      ...entry,
      signals: interests.flatMap((interest) => {
        const value = points[interest.slug];
        return value === undefined ? [] : [{ interest: interest.slug, points: value }];
      }),
    });
    if ('error' in result) {
      notify(result.error);
      return;
    }
    setDraft(null);
    toggleNotification({ type: 'success', message: t('signals.saved', 'Signals saved') });
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="personalize-signals">
      <Divider />
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Typography variant="sigma" textColor="neutral600">
          {t('signals.title', 'Interest signals')}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {t(
            'signals.hint',
            'Points reading this entry adds to a visitor’s interest (1–100); empty for none.'
          )}
        </Typography>
      </Flex>
      {signalsQuery.error ? (
        <Typography variant="pi" textColor="danger600">
          {describe(signalsQuery.error)}
        </Typography>
      ) : !signalsQuery.data ? (
        <Typography variant="pi">{t('list.loading', 'Loading…')}</Typography>
      ) : (
        <>
          {interests.map((interest) => {
            const value = points[interest.slug];
            const id = `personalize-signal-${interest.slug}`;
            return (
              <Field.Root
                key={interest.slug}
                id={id}
                name={`signals.${interest.slug}`}
                error={
                  isValid(value)
                    ? undefined
                    : t('signals.range', 'A whole number from 1 to 100, or empty')
                }
              >
                <Flex gap={2} justifyContent="space-between" alignItems="center">
                  {/* The design system's label cuts a long name; the panel is narrow: it wraps. */}
                  <Box minWidth={0} flex="1">
                    <Typography
                      tag="label"
                      htmlFor={id}
                      variant="pi"
                      fontWeight="bold"
                      textColor="neutral800"
                      style={{ overflowWrap: 'anywhere' }}
                    >
                      {interest.name}
                    </Typography>
                  </Box>
                  <Box width="8rem" shrink={0}>
                    <NumberInput
                      size="S"
                      value={value}
                      // A dash: a word does not fit beside the arrows in the narrow panel.
                      placeholder="–"
                      disabled={!canManage}
                      onValueChange={(next: number | undefined) =>
                        setDraft({ ...points, [interest.slug]: next })
                      }
                    />
                  </Box>
                </Flex>
                <Field.Error />
              </Field.Root>
            );
          })}
          {canManage ? (
            <Button
              variant="secondary"
              fullWidth
              disabled={!changed || !valid}
              loading={saving}
              onClick={() => void save()}
            >
              {t('signals.save', 'Save signals')}
            </Button>
          ) : null}
        </>
      )}
    </Flex>
  );
};
