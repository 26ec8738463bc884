/**
 * The demo's settings from the environment, with their defaults, and the secrets the playground's
 * config requires. The playground's bootstrap, `scripts/demo.mjs` (which prints the login and
 * writes playground/.env) and the test harness all take them from here.
 */
const { randomBytes } = require('crypto');

const isOff = (value) => /^(false|0|no|off)$/i.test(String(value).trim());

const demoSettings = (env = process.env) => ({
  seed: !isOff(env.DEMO_SEED ?? 'true'),
  adminEmail: (env.DEMO_ADMIN_EMAIL || 'admin@example.com').toLowerCase(),
  adminPassword: env.DEMO_ADMIN_PASSWORD || 'Personalize123!',
});

const secret = () => randomBytes(16).toString('base64');

/** Fresh random values for every secret in config/server.js, admin.js and plugins.js. */
const generateSecrets = () => ({
  APP_KEYS: [secret(), secret(), secret(), secret()].join(','),
  API_TOKEN_SALT: secret(),
  ADMIN_JWT_SECRET: secret(),
  TRANSFER_TOKEN_SALT: secret(),
  ENCRYPTION_KEY: secret(),
  JWT_SECRET: secret(),
});

module.exports = { demoSettings, generateSecrets };
