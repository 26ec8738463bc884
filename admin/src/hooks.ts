import { useRBAC } from '@strapi/strapi/admin';

import { PERMISSIONS } from './permissions';

/** Whether the admin has one of the plugin's permissions (false while loading). */
const usePermission = (name: keyof typeof PERMISSIONS) => {
  const { allowedActions, isLoading } = useRBAC({ [name]: PERMISSIONS[name] });
  const key = `can${name[0].toUpperCase()}${name.slice(1)}`;
  return !isLoading && Boolean((allowedActions as Record<string, boolean>)[key]);
};

/** Whether the admin may change personas, stages and variants (`plugin::personalize.manage`). */
export const useCanManage = () => usePermission('manage');

/** Whether the admin may create, run and complete experiments (`plugin::personalize.experiments`). */
export const useCanRunExperiments = () => usePermission('experiments');
