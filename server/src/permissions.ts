import { PLUGIN_ID } from './constants';

/** Admin RBAC actions guarding the admin API; Strapi prefixes each `uid` below with `plugin::personalize.`. */
export const ACTIONS = {
  read: `plugin::${PLUGIN_ID}.read`,
  manage: `plugin::${PLUGIN_ID}.manage`,
  experiments: `plugin::${PLUGIN_ID}.experiments`,
  profilesRead: `plugin::${PLUGIN_ID}.profiles.read`,
  profilesErase: `plugin::${PLUGIN_ID}.profiles.erase`,
} as const;

export const actionDefinitions = [
  {
    section: 'plugins',
    displayName: 'Read personas, stages, variants and experiments',
    uid: 'read',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: 'Create, edit, publish and delete personas, stages and variants',
    uid: 'manage',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: "Create, run and complete experiments; erase a visitor's events",
    uid: 'experiments',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: 'Look up visitor profiles',
    uid: 'profiles.read',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: "Erase a visitor's profile and events",
    uid: 'profiles.erase',
    pluginName: PLUGIN_ID,
  },
];
