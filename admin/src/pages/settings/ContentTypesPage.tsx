import { useEffect, useState } from 'react';

import { Badge, Box, Button, Flex, Toggle, Typography } from '@strapi/design-system';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useServerMessage } from '../../api/errors';
import type { ContentTypeSettings } from '../../api/types';
import { errorMessage, useLoad, usePersonalizeApi } from '../../api/usePersonalizeApi';
import { PageLayout } from '../../components/PageLayout';
import { useCanManage } from '../../hooks';
import { message } from '../../utils/getTranslation';

/** Settings → Personalize → Content types: which types have variants, and what they can override. */
const ContentTypesPage = () => {
  const { formatMessage } = useIntl();
  const say = useServerMessage();
  const api = usePersonalizeApi();
  const canManage = useCanManage();
  const { toggleNotification } = useNotification();
  const [state] = useLoad(() => api.settings.get(), 'settings');
  const [types, setTypes] = useState<ContentTypeSettings[]>([]);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (state.status === 'success') setTypes(state.data.contentTypes);
  }, [state]);

  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;

  const save = async () => {
    setSaving(true);
    try {
      const saved = await api.settings.update(
        types.filter((type) => type.enabled).map((type) => type.uid)
      );
      setTypes(saved.contentTypes);
      toggleNotification({
        type: 'success',
        message: formatMessage(message('notification.saved', 'Saved')),
      });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setSaving(false);
    }
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
            {formatMessage(message('action.save', 'Save'))}
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
                  <Typography variant="delta" tag="h2">
                    {type.displayName}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {type.uid} ·{' '}
                    {formatMessage(
                      type.kind === 'singleType'
                        ? message('contentType.single', 'single type')
                        : message('contentType.collection', 'collection type')
                    )}
                  </Typography>
                </Flex>
                <Toggle
                  aria-label={formatMessage(message('contentType.enabled', 'Variants for {name}'), {
                    name: type.displayName,
                  })}
                  checked={type.enabled}
                  disabled={!canManage}
                  onLabel={formatMessage(message('toggle.on', 'On'))}
                  offLabel={formatMessage(message('toggle.off', 'Off'))}
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
                        : formatMessage(
                            message('attribute.overridable', 'Variants can override it')
                          )
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
