import { useEffect, useState } from 'react';

import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  NumberInput,
  TextInput,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useRequestErrors, useServerMessage } from '../../api/errors';
import {
  useGetPersonalizeSettingsQuery,
  useUpdatePersonalizeSettingsMutation,
} from '../../api/personalizeApi';
import type { ContentTypeSettings } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { PageLayout } from '../../components/PageLayout';
import { rememberTypesWithVariants } from '../../components/VariantsColumn';
import { useCanManage } from '../../hooks';
import { SectionTitle } from '../../components/SectionTitle';
import { message, useT } from '../../utils/getTranslation';
import { MAX_HOLDOUT_PERCENT, randomSeed } from '../../utils/limits';

/** A share (0–0.2) as the percentage the page edits, without float noise (0.07 → 7). */
const percentOf = (share: number) => Math.round(share * 10_000) / 100;

/**
 * The holdout: the share of visitors (with a visitor id) who get the base content everywhere, so
 * that the impact report can compare them with the personalized ones, and the seed that draws
 * them. The share is saved with the page; a new seed is saved at once (after a confirmation).
 */
const HoldoutSection = ({
  percent,
  onPercentChange,
  seed,
  storedShare,
  canManage,
}: {
  percent: number;
  onPercentChange: (percent: number) => void;
  seed: string;
  storedShare: number;
  canManage: boolean;
}) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { notify } = useRequestErrors();
  const [updateSettings, { isLoading: drawing }] = useUpdatePersonalizeSettingsMutation();
  const redraw = async () => {
    const result = await updateSettings({ holdout: { share: storedShare, seed: randomSeed() } });
    if ('error' in result) {
      notify(result.error);
      return;
    }
    toggleNotification({
      type: 'success',
      message: t('holdout.redrawn', 'A new holdout is drawn'),
    });
  };
  return (
    <Box background="neutral0" padding={5} shadow="filterShadow" hasRadius data-testid="holdout">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <SectionTitle
            title={t('holdout.title', 'Holdout')}
            hint={t(
              'holdout.hint',
              'This share of the visitors with a visitor id sees the base content everywhere: no variant, no experiment. The impact report compares them with everyone else to show what personalization adds. Visitors without a visitor id are never held out. 0 % switches the holdout off.'
            )}
          />
        </Flex>
        <Flex gap={6} wrap="wrap" alignItems="flex-start">
          <Box width="16rem">
            <Field.Root
              name="holdoutShare"
              hint={t('holdout.share.hint', '0 to {max} %; 5 to 10 % is usual', {
                max: MAX_HOLDOUT_PERCENT,
              })}
            >
              <Field.Label>{t('holdout.share', 'Visitors held out (%)')}</Field.Label>
              <NumberInput
                value={percent}
                step={1}
                disabled={!canManage}
                onValueChange={(next: number | undefined) =>
                  onPercentChange(Math.min(MAX_HOLDOUT_PERCENT, Math.max(0, next ?? 0)))
                }
              />
              <Field.Hint />
            </Field.Root>
          </Box>
          <Flex direction="column" alignItems="flex-start" gap={2} minWidth={0}>
            <Field.Root
              name="holdoutSeed"
              hint={t(
                'holdout.seed.hint',
                'Decides which visitors are held out. Keep it: the same visitors stay held out, visit after visit.'
              )}
            >
              <Field.Label>{t('holdout.seed', 'Seed')}</Field.Label>
              <TextInput value={seed} readOnly disabled style={{ fontFamily: 'monospace' }} />
              <Field.Hint />
            </Field.Root>
            {canManage ? (
              <ConfirmButton
                variant="secondary"
                label={t('holdout.redraw', 'Draw a new holdout')}
                disabled={drawing}
                body={t(
                  'holdout.redraw.confirm',
                  'Other visitors will be held out from now on, and some of those held out so far will be personalized. The impact report then mixes both groups: start a new date range after this.'
                )}
                onConfirm={() => void redraw()}
              />
            ) : null}
          </Flex>
        </Flex>
        <Typography variant="pi" textColor="neutral600">
          {t(
            'holdout.change',
            'Changing the share or the seed moves visitors between the groups: compare only days after the change in the impact report.'
          )}
        </Typography>
      </Flex>
    </Box>
  );
};

/**
 * Settings → Personalize → Content types: which types have variants, what they can override, and
 * the holdout that measures what personalization adds.
 */
const ContentTypesPage = () => {
  const { formatMessage } = useIntl();
  const t = useT();
  const say = useServerMessage();
  const canManage = useCanManage();
  const { toggleNotification } = useNotification();
  const { notify } = useRequestErrors();
  const settings = useGetPersonalizeSettingsQuery();
  const [updateSettings, { isLoading: saving }] = useUpdatePersonalizeSettingsMutation();
  const [types, setTypes] = useState<ContentTypeSettings[]>([]);
  // null until the settings arrive: the field never shows a share that is not the stored one.
  const [holdoutPercent, setHoldoutPercent] = useState<number | null>(null);
  // Each part follows what the server says of it: a new seed keeps the switches being edited.
  const storedTypes = settings.data?.contentTypes;
  const storedShare = settings.data?.holdout.share;
  useEffect(() => {
    if (storedTypes) setTypes(storedTypes);
  }, [storedTypes]);
  useEffect(() => {
    if (storedShare !== undefined) setHoldoutPercent(percentOf(storedShare));
  }, [storedShare]);

  if (settings.isLoading) return <Page.Loading />;
  if (settings.isError) return <Page.Error />;

  const save = async () => {
    const result = await updateSettings({
      enabledContentTypes: types.filter((type) => type.enabled).map((type) => type.uid),
      ...(holdoutPercent === null ? {} : { holdout: { share: holdoutPercent / 100 } }),
    });
    if ('error' in result) {
      notify(result.error);
      return;
    }
    // The Content Manager's list views show the variants column of these types from now on.
    rememberTypesWithVariants(result.data.contentTypes);
    toggleNotification({
      type: 'success',
      message: t('notification.saved', 'Saved'),
    });
  };

  return (
    <PageLayout
      title={message('settings.contentTypes.title', 'Content types')}
      subtitle={message(
        'settings.contentTypes.subtitle',
        'Choose which content types have variants (a type switched off is delivered as it is), and how many visitors are held out to measure what personalization adds.'
      )}
      primaryAction={
        canManage ? (
          <Button onClick={save} loading={saving}>
            {t('action.save', 'Save')}
          </Button>
        ) : undefined
      }
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        {settings.data && holdoutPercent !== null ? (
          <HoldoutSection
            percent={holdoutPercent}
            onPercentChange={setHoldoutPercent}
            seed={settings.data.holdout.seed}
            storedShare={settings.data.holdout.share}
            canManage={canManage}
          />
        ) : null}
        {types.map((type) => (
          <Box key={type.uid} background="neutral0" padding={5} shadow="filterShadow" hasRadius>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Flex justifyContent="space-between" gap={4}>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <SectionTitle
                    title={type.displayName}
                    hint={`${type.uid} · ${formatMessage(
                      type.kind === 'singleType'
                        ? message('contentType.single', 'single type')
                        : message('contentType.collection', 'collection type')
                    )}`}
                  />
                </Flex>
                <Toggle
                  aria-label={t('contentType.enabled', 'Variants for {name}', {
                    name: type.displayName,
                  })}
                  checked={type.enabled}
                  disabled={!canManage}
                  onLabel={t('toggle.on', 'On')}
                  offLabel={t('toggle.off', 'Off')}
                  onChange={() =>
                    setTypes((current) =>
                      current.map((item) =>
                        item.uid === type.uid ? { ...item, enabled: !item.enabled } : item
                      )
                    )
                  }
                />
              </Flex>
              <Flex gap={2} wrap="wrap">
                {type.attributes.map((attribute) => (
                  <Badge
                    key={attribute.name}
                    title={
                      attribute.reason
                        ? say(attribute.reason)
                        : t('attribute.overridable', 'Variants can override it')
                    }
                    backgroundColor={attribute.overridable ? 'success100' : 'neutral150'}
                    textColor={attribute.overridable ? 'success700' : 'neutral600'}
                  >
                    {attribute.name}
                  </Badge>
                ))}
              </Flex>
            </Flex>
          </Box>
        ))}
      </Flex>
    </PageLayout>
  );
};

export default ContentTypesPage;
