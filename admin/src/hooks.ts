import { useRBAC } from '@strapi/strapi/admin';

import { PERMISSIONS } from './permissions';

/** Whether the admin may change personas, stages and variants (`plugin::personalize.manage`). */
export const useCanManage = () => {
  const { allowedActions, isLoading } = useRBAC({ manage: PERMISSIONS.manage });
  return !isLoading && Boolean(allowedActions.canManage);
};
