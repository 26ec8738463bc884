/** Small helpers shared by the repository's scripts. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PLAYGROUND = path.join(ROOT, 'playground');

/** Newest modification time (ms) of the given files and of every file under the given folders. */
export const newestMtime = (...paths) =>
  Math.max(
    0,
    ...paths
      .filter((p) => existsSync(p))
      .map((p) => {
        const stat = statSync(p);
        if (!stat.isDirectory()) {
          return stat.mtimeMs;
        }
        return newestMtime(...readdirSync(p).map((name) => path.join(p, name)));
      })
  );

/** Whether `output` is missing or older than any of `inputs`. */
export const isStale = (output, inputs) =>
  !existsSync(output) || statSync(output).mtimeMs < newestMtime(...inputs);

/** Runs a command with inherited output; rejects when it fails. */
export const run = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code})`))
    );
  });

/** The plugin's build inputs: what `npm run build` turns into dist/. */
export const PLUGIN_SOURCES = [
  'server/src',
  'admin/src',
  'client/src',
  'content-types',
  'package.json',
].map((p) => path.join(ROOT, p));

/**
 * How the client (client/src/) is bundled: by scripts/build-client.mjs for the package and by
 * scripts/client-size.mjs for its size budget, so that the size measured is the code shipped.
 */
export const CLIENT_BUNDLE = {
  bundle: true,
  // Packages without `exports` (murmurhash) resolve by their `module`/`main`, also for `neutral`.
  mainFields: ['module', 'main'],
  target: 'es2020',
  jsx: 'automatic',
  external: ['react', 'react/jsx-runtime'],
};
