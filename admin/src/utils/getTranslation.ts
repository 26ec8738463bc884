import { useCallback } from 'react';

import { useIntl, type MessageDescriptor } from 'react-intl';

import { PLUGIN_ID } from '../pluginId';

/** Translation keys are namespaced with the plugin id, as Strapi's own plugins do. */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;

/** A message of this plugin, with the English text as its default. */
export const message = (id: string, defaultMessage: string): MessageDescriptor => ({
  id: getTranslation(id),
  defaultMessage,
});

/**
 * `t(id, defaultMessage, values)`: one of this plugin's messages in the admin's language, for
 * components that word much of what they show.
 */
export const useT = () => {
  const { formatMessage } = useIntl();
  return useCallback(
    (
      id: string,
      defaultMessage: string,
      values?: Record<string, string | number | boolean | Date | null | undefined>
    ) => formatMessage(message(id, defaultMessage), values),
    [formatMessage]
  );
};
