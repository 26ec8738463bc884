/**
 * `npm run size:client`: each entry of the client (client/src/), bundled for browsers, minified
 * and gzipped, against its budget: the core 3 KB, `/react` 2 KB (React itself not counted),
 * `/profiles` 1.5 KB (it bundles browserContext's storage, which it shares), `/graphql` 1 KB.
 * `/server` runs on servers and has no budget; its size is reported. `/edge` (server/src/edge/, also
 * `strapi-plugin-personalize/edge`; dependencies bundled, as a worker's bundler does) has 20 KB
 * (issue 19): zod's core is most of it; it carries only the messages a decision request can be
 * refused with (engine/request-messages.ts), not the decision's trace (engine/trace.ts).
 */
import { gzipSync } from 'node:zlib';
import path from 'node:path';

import { CLIENT_BUNDLE, ROOT } from './lib.mjs';

const esbuild = (await import('esbuild')).default;

const client = (entry) => path.join(ROOT, 'client/src', entry);

const ENTRIES = [
  { entry: client('index.ts'), name: 'client', budget: 3 * 1024 },
  { entry: client('react.tsx'), name: 'client/react', budget: 2 * 1024 },
  { entry: client('server.ts'), name: 'client/server', budget: null },
  { entry: client('profiles.ts'), name: 'client/profiles', budget: 1536 },
  { entry: client('graphql.ts'), name: 'client/graphql', budget: 1024 },
  { entry: path.join(ROOT, 'server/src/edge/index.ts'), name: 'client/edge', budget: 20 * 1024 },
];

let over = false;
for (const { entry, name, budget } of ENTRIES) {
  const result = await esbuild.build({
    entryPoints: [entry],
    ...CLIENT_BUNDLE,
    format: 'esm',
    minify: true,
    write: false,
  });
  const bytes = gzipSync(result.outputFiles[0].contents).length;
  const limit = budget === null ? 'no budget' : `budget ${budget / 1024} KB`;
  console.log(`${name}: ${bytes} bytes (${(bytes / 1024).toFixed(2)} KB) min+gzip, ${limit}`);
  if (budget !== null && bytes > budget) {
    console.error(`${name} is over its budget`);
    over = true;
  }
}
if (over) process.exit(1);
