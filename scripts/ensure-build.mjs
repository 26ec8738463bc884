/**
 * Builds what is out of date, so that `npm test`, `npm run test:e2e` and `npm run demo` work on a
 * fresh clone without building twice in CI:
 * - the plugin (`npm run build` → dist/) when dist/ is missing or older than its sources;
 * - the demo storefront (playground/storefront/ → playground/public/storefront/app.js);
 * - with `--admin`, also the playground's admin panel (`strapi build` → playground/build/).
 */
import path from 'node:path';

import { PLAYGROUND, PLUGIN_SOURCES, ROOT, isStale, run } from './lib.mjs';

export const STRAPI_BIN = path.join(ROOT, 'node_modules/.bin/strapi');

export const ensurePluginBuild = async () => {
  const outputs = ['dist/server/index.js', 'dist/admin/index.mjs'].map((p) => path.join(ROOT, p));
  if (outputs.some((output) => isStale(output, PLUGIN_SOURCES))) {
    await run('npm', ['run', 'build']);
  }
};

const STOREFRONT_SOURCES = ['playground/storefront', 'client/src'].map((p) => path.join(ROOT, p));
const STOREFRONT_BUNDLE = path.join(PLAYGROUND, 'public/storefront/app.js');

/** The storefront imports the client by its package name; it is bundled from the client's source. */
export const ensureStorefrontBuild = async () => {
  if (!isStale(STOREFRONT_BUNDLE, STOREFRONT_SOURCES)) return;
  const esbuild = (await import('esbuild')).default;
  await esbuild.build({
    entryPoints: [path.join(PLAYGROUND, 'storefront/main.ts')],
    alias: {
      'strapi-plugin-personalize/client/profiles': path.join(ROOT, 'client/src/profiles.ts'),
      'strapi-plugin-personalize/client': path.join(ROOT, 'client/src/index.ts'),
    },
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    outfile: STOREFRONT_BUNDLE,
  });
};

/** The admin panel bundles the plugin's admin code, so it is rebuilt when that changes. */
export const ensureAdminBuild = async (env = process.env) => {
  const inputs = [
    'dist/admin',
    'playground/src/admin',
    'playground/config/admin.js',
    'package-lock.json',
  ].map((p) => path.join(ROOT, p));
  if (isStale(path.join(PLAYGROUND, 'build/index.html'), inputs)) {
    await run(STRAPI_BIN, ['build'], { cwd: PLAYGROUND, env: { ...env, NODE_ENV: 'production' } });
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensurePluginBuild();
  await ensureStorefrontBuild();
  if (process.argv.includes('--admin')) {
    await ensureAdminBuild();
  }
}
