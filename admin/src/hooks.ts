import { useRBAC } from '@strapi/strapi/admin';

import { PERMISSIONS } from './permissions';

/**
 * Whether the admin has one of the plugin's permissions (false while loading). `useRBAC` names
 * its answer by the action's last segment: `can` + `Read` for `plugin::personalize.profiles.read`.
 */
const usePermission = (name: keyof typeof PERMISSIONS) => {
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS[name]);
  const action = PERMISSIONS[name][0].action.split('.').pop() ?? '';
  const key = `can${action[0].toUpperCase()}${action.slice(1)}`;
  return !isLoading && Boolean((allowedActions as Record<string, boolean>)[key]);
};

/** Whether the admin may change personas, stages and variants (`plugin::personalize.manage`). */
export const useCanManage = () => usePermission('manage');

/** Whether the admin may create, run and complete experiments (`plugin::personalize.experiments`). */
export const useCanRunExperiments = () => usePermission('experiments');

/** Whether the admin may look up visitor profiles (`plugin::personalize.profiles.read`). */
export const useCanReadProfiles = () => usePermission('profilesRead');

/**
 * Whether the admin may erase a visitor's profile and events: `profiles.erase`, the action made
 * for it, or `experiments`, whose holders always could erase a visitor's events.
 */
export const useCanEraseVisitors = () => {
  const canErase = usePermission('profilesErase');
  const canRunExperiments = useCanRunExperiments();
  return canErase || canRunExperiments;
};
