const { seedStory } = require('./demo/seed');
const { demoSettings } = require('./demo/settings');
const { ensureAdmin, ensureGermanLocale, grantPublicRead } = require('./demo/setup');

module.exports = {
  async bootstrap({ strapi }) {
    const settings = demoSettings();
    await ensureGermanLocale(strapi);
    await grantPublicRead(strapi);
    if (await ensureAdmin(strapi, settings)) {
      strapi.log.info(`Created the demo admin ${settings.adminEmail}`);
    }
    if (settings.seed) {
      await seedStory(strapi);
    }
  },
};
