module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  logger: {
    // No npm registry check for a newer Strapi on every start.
    updates: { enabled: false },
  },
  app: {
    keys: env.array('APP_KEYS'),
  },
});
