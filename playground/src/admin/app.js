/** The admin offers German beside English, as the plugin's editors speak both. */
export default {
  config: {
    locales: ['de'],
  },
  bootstrap() {},
};
