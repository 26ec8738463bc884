import { PLUGIN_ID } from './pluginId';

/** The admin RBAC actions the server registers (see server/src/permissions.ts). */
export const PERMISSIONS = {
  read: [{ action: `plugin::${PLUGIN_ID}.read`, subject: null }],
  manage: [{ action: `plugin::${PLUGIN_ID}.manage`, subject: null }],
  experiments: [{ action: `plugin::${PLUGIN_ID}.experiments`, subject: null }],
  profilesRead: [{ action: `plugin::${PLUGIN_ID}.profiles.read`, subject: null }],
  profilesErase: [{ action: `plugin::${PLUGIN_ID}.profiles.erase`, subject: null }],
};
