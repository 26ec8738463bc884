import type { StrapiApp } from '@strapi/strapi/admin';

import { Initializer } from './components/Initializer';
import { VariantsPanel } from './components/VariantsPanel';
import { PluginIcon } from './components/PluginIcon';
import { addVariantsColumn } from './components/VariantsColumn';
import { PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { getTranslation, message } from './utils/getTranslation';

/** The Content Manager's APIs (typed `unknown` by Strapi); only what this plugin calls. */
interface ContentManagerApis {
  addEditViewSidePanel: (panels: unknown[]) => void;
}

const plugin: StrapiApp['appPlugins'][string] = {
  register(app) {
    // One entry: a second one under /experiments would be highlighted together with this one
    // (the menu's links match every path below theirs), so experiments are a tab of the plugin.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: message('plugin.name', 'Personalize'),
      Component: () => import('./pages/App'),
      permissions: PERMISSIONS.read,
    });

    app.addSettingsLink({ id: PLUGIN_ID, intlLabel: message('plugin.name', 'Personalize') }, [
      {
        id: `${PLUGIN_ID}-personas`,
        to: `${PLUGIN_ID}/personas`,
        intlLabel: message('settings.personas.title', 'Personas'),
        Component: () =>
          import('./pages/settings/ListPages').then((pages) => ({ default: pages.PersonasPage })),
        permissions: PERMISSIONS.read,
      },
      {
        id: `${PLUGIN_ID}-stages`,
        to: `${PLUGIN_ID}/stages`,
        intlLabel: message('settings.stages.title', 'Journey stages'),
        Component: () =>
          import('./pages/settings/ListPages').then((pages) => ({ default: pages.StagesPage })),
        permissions: PERMISSIONS.read,
      },
      {
        id: `${PLUGIN_ID}-interests`,
        to: `${PLUGIN_ID}/interests`,
        intlLabel: message('settings.interests.title', 'Interests'),
        Component: () =>
          import('./pages/settings/ListPages').then((pages) => ({ default: pages.InterestsPage })),
        permissions: PERMISSIONS.read,
      },
      {
        id: `${PLUGIN_ID}-content-types`,
        to: `${PLUGIN_ID}/content-types`,
        intlLabel: message('settings.contentTypes.title', 'Content types'),
        Component: () => import('./pages/settings/ContentTypesPage'),
        permissions: PERMISSIONS.read,
      },
    ]);

    app.registerPlugin({
      id: PLUGIN_ID,
      initializer: Initializer,
      isReady: false,
      name: PLUGIN_ID,
    });
  },

  bootstrap(app) {
    const contentManager = app.getPlugin('content-manager').apis as unknown as ContentManagerApis;
    contentManager.addEditViewSidePanel([VariantsPanel as never]);
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', addVariantsColumn);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as {
            default: Record<string, string>;
          };
          const prefixed = Object.fromEntries(
            Object.entries(data).map(([key, value]) => [getTranslation(key), value])
          );
          return { data: prefixed, locale };
        } catch {
          // No translation for this admin language: the English defaults are shown.
          return { data: {}, locale };
        }
      })
    );
  },
};

export default plugin;
