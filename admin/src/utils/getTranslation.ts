import type { MessageDescriptor } from 'react-intl';

import { PLUGIN_ID } from '../pluginId';

/** Translation keys are namespaced with the plugin id, as Strapi's own plugins do. */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;

/** A message of this plugin, with the English text as its default. */
export const message = (id: string, defaultMessage: string): MessageDescriptor => ({
  id: getTranslation(id),
  defaultMessage,
});
