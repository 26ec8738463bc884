import { useEffect, useState } from 'react';

import { Badge, Box, Button, Flex, Toggle } from '@strapi/design-system';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useRequestErrors, useServerMessage } from '../../api/errors';
import {
  useGetPersonalizeSettingsQuery,
  useUpdatePersonalizeSettingsMutation,
} from '../../api/personalizeApi';
import type { ContentTypeSettings } from '../../api/types';
import { PageLayout } from '../../components/PageLayout';
import { rememberTypesWithVariants } from '../../components/VariantsColumn';
import { useCanManage } from '../../hooks';
import { SectionTitle } from '../../components/SectionTitle';
import { message, useT } from '../../utils/getTranslation';

/** Settings → Personalize → Content types: which types have variants, and what they can override. */
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
  useEffect(() => {
    if (settings.data) setTypes(settings.data.contentTypes);
  }, [settings.data]);

  if (settings.isLoading) return <Page.Loading />;
  if (settings.isError) return <Page.Error />;

  const save = async () => {
    const result = await updateSettings(
      types.filter((type) => type.enabled).map((type) => type.uid)
    );
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
        'Choose which content types have variants. A type switched off is delivered as it is.'
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
