/** `LOG_LEVEL` quiets Strapi (the tests use `warn`) without hiding errors. */
module.exports = ({ env }) => ({
  level: env('LOG_LEVEL', 'http'),
});
