/**
 * Builds the plugin (npm run build) when dist/ is missing or older than its sources, so that
 * `npm test` and `npm run demo` work on a fresh clone without building twice in CI.
 */
import path from 'node:path';

import { PLUGIN_SOURCES, ROOT, isStale, run } from './lib.mjs';

const SERVER_ENTRY = path.join(ROOT, 'dist/server/index.js');
const ADMIN_ENTRY = path.join(ROOT, 'dist/admin/index.mjs');

export const ensurePluginBuild = async () => {
  if (isStale(SERVER_ENTRY, PLUGIN_SOURCES) || isStale(ADMIN_ENTRY, PLUGIN_SOURCES)) {
    await run('npm', ['run', 'build']);
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensurePluginBuild();
}
