/**
 * What the playground needs whether or not demo content is seeded: the German locale, a first
 * admin to log in with, and public read access to the demo content types.
 */

const PUBLIC_READ = ['api::article.article', 'api::homepage.homepage'];

const ensureGermanLocale = async (strapi) => {
  const locales = strapi.plugin('i18n').service('locales');
  if (!(await locales.findByCode('de'))) {
    await locales.create({ code: 'de', name: 'German (de)' });
  }
};

const ensureAdmin = async (strapi, { adminEmail, adminPassword }) => {
  const users = strapi.service('admin::user');
  if (await users.exists()) {
    return false;
  }
  await users.createFirstAdmin({
    email: adminEmail,
    password: adminPassword,
    firstname: 'Demo',
    lastname: 'Editor',
  });
  return true;
};

/** A demo app may show its content to everyone; a real app decides this in its own settings. */
const grantPublicRead = async (strapi) => {
  const publicRole = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' } });
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  const actions = PUBLIC_READ.flatMap((uid) =>
    strapi.contentTypes[uid].kind === 'singleType'
      ? [`${uid}.find`]
      : [`${uid}.find`, `${uid}.findOne`]
  );
  for (const action of actions) {
    const granted = await permissions.findOne({ where: { action, role: publicRole.id } });
    if (!granted) {
      await permissions.create({ data: { action, role: publicRole.id } });
    }
  }
};

module.exports = { ensureGermanLocale, ensureAdmin, grantPublicRead };
