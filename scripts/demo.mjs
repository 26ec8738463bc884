/**
 * `npm run demo`: installs what is missing, builds the plugin and the admin panel when their
 * sources changed, then starts the playground (SQLite, demo content) and prints where to log in.
 * Environment: PORT, HOST, DATABASE_FILENAME, DATABASE_CLIENT + DATABASE_URL, DEMO_SEED,
 * DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD (see README.md).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import {
  STRAPI_BIN,
  ensureAdminBuild,
  ensurePluginBuild,
  ensureStorefrontBuild,
} from './ensure-build.mjs';
import { PLAYGROUND, run } from './lib.mjs';

const require = createRequire(import.meta.url);
const { demoSettings, generateSecrets } = require('../playground/src/demo/settings.js');

const ENV_FILE = path.join(PLAYGROUND, '.env');

const installDependencies = async () => {
  if (!existsSync(STRAPI_BIN)) {
    console.log('Installing dependencies (npm ci, about 2 minutes)…');
    await run('npm', ['ci', '--no-audit', '--no-fund']);
  }
};

/** The playground's secrets, generated once per checkout and kept in playground/.env (git-ignored). */
const ensureSecrets = () => {
  if (existsSync(ENV_FILE)) {
    return;
  }
  const lines = Object.entries(generateSecrets()).map(([name, value]) => `${name}=${value}`);
  writeFileSync(ENV_FILE, `${lines.join('\n')}\n`, { mode: 0o600 });
};

/** Resolves once GET /_health answers 204; rejects if the server exits first. */
const waitForHealth = async (baseUrl, child) => {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (!exited) {
    try {
      const response = await fetch(`${baseUrl}/_health`);
      if (response.status === 204) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('Strapi stopped before it was ready');
};

const printWelcome = (baseUrl, settings) => {
  const lines = [
    'Personalize playground is running',
    '',
    `  Storefront    ${baseUrl}/`,
    `  Admin panel   ${baseUrl}/admin`,
    `  Email         ${settings.adminEmail}`,
    `  Password      ${settings.adminPassword}`,
    `  Content API   ${baseUrl}/api/articles?locale=en`,
    '',
    settings.seed
      ? '  Demo content: seeded (DEMO_SEED=false starts without it)'
      : '  Demo content: off (DEMO_SEED=false)',
    '  Stop with Ctrl+C',
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  const rule = '─'.repeat(width);
  console.log(
    `\n┌${rule}┐\n${lines.map((line) => `│ ${line.padEnd(width - 1)}│`).join('\n')}\n└${rule}┘\n`
  );
};

const displayHost = (host) => (host === '0.0.0.0' || host === '::' ? 'localhost' : host);

const main = async () => {
  await installDependencies();
  await ensurePluginBuild();
  await ensureStorefrontBuild();
  ensureSecrets();

  const env = { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' };
  await ensureAdminBuild(env);

  const settings = demoSettings(env);
  const baseUrl = `http://${displayHost(env.HOST || '127.0.0.1')}:${env.PORT || 1337}`;
  const strapi = spawn(STRAPI_BIN, ['start'], { cwd: PLAYGROUND, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => strapi.kill(signal));
  }
  strapi.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

  await waitForHealth(baseUrl, strapi);
  printWelcome(baseUrl, settings);
};

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
