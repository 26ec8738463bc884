/**
 * The demo's settings from the environment, with their defaults. The playground's bootstrap and
 * `scripts/demo.mjs` (which prints the login) both read them here.
 */
const isOff = (value) => /^(false|0|no|off)$/i.test(String(value).trim());

const demoSettings = (env = process.env) => ({
  seed: !isOff(env.DEMO_SEED ?? 'true'),
  adminEmail: (env.DEMO_ADMIN_EMAIL || 'admin@example.com').toLowerCase(),
  adminPassword: env.DEMO_ADMIN_PASSWORD || 'Personalize123!',
});

module.exports = { demoSettings };
