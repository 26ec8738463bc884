/**
 * `npm run size:client`: the browser bundle of `strapi-plugin-personalize/client` (built by
 * `npm run build` into dist/client/), minified and gzipped; fails above the 3 KB budget.
 */
import { gzipSync } from 'node:zlib';
import path from 'node:path';

import { ROOT } from './lib.mjs';

const esbuild = (await import('esbuild')).default;

const result = await esbuild.build({
  entryPoints: [path.join(ROOT, 'client/src/index.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  write: false,
});
const bytes = gzipSync(result.outputFiles[0].contents).length;
console.log(`client: ${bytes} bytes (${(bytes / 1024).toFixed(2)} KB) min+gzip, budget 3 KB`);
if (bytes > 3 * 1024) {
  console.error('the client bundle is over its 3 KB budget');
  process.exit(1);
}
