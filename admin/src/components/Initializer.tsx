import { useEffect, useRef } from 'react';

import { useGetPersonalizeSettingsQuery } from '../api/personalizeApi';
import { PLUGIN_ID } from '../pluginId';
import { rememberTypesWithVariants } from './VariantsColumn';

/**
 * Reads which content types have variants before the admin renders (as i18n reads its locales):
 * the Content Manager's list view asks for its columns without waiting (VariantsColumn.tsx). An
 * admin who may not read the settings gets no column.
 */
export const Initializer = ({ setPlugin }: { setPlugin: (id: string) => void }) => {
  const ref = useRef(setPlugin);
  const { data, isLoading } = useGetPersonalizeSettingsQuery();

  useEffect(() => {
    if (isLoading) return;
    rememberTypesWithVariants(data?.contentTypes ?? []);
    ref.current(PLUGIN_ID);
  }, [data, isLoading]);

  return null;
};
