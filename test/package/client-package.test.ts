import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { startPlayground, type Playground } from '../helpers/playground';

// `npm run test:package` (CI): both packages packed as the registry would get them, and the
// client's tarball installed with plain `npm i` into fresh React 18 and React 19 apps, which
// type-check every export and render the hooks against the playground.

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'app');
/** What a client-only app must not receive: the plugin's server and admin dependencies. */
const SERVER_DEPENDENCIES = ['@strapi', 'zod', 'lodash', 'jstat', 'json-logic-js', 'lru-cache'];

jest.setTimeout(300_000);

let work: string;
let app: Playground;

interface Packed {
  filename: string;
  files: { path: string }[];
}

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8' });

const pack = (directory: string): Packed & { tarball: string } => {
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], directory));
  return { ...packed, tarball: path.join(work, packed.filename) };
};

/**
 * Runs a command in an app, without blocking: the playground answers from this process. Fails
 * the test with the command's output when it fails.
 */
const runIn = async (cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd,
      env: { ...process.env, ...env },
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout}${stderr}`, { cause: error });
  }
};

let client: Packed & { tarball: string };
let plugin: Packed & { tarball: string };

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'personalize-package-'));
  execFileSync('node', ['scripts/build-client.mjs'], { cwd: ROOT });
  client = pack(path.join(ROOT, 'client'));
  plugin = pack(ROOT);
  app = await startPlayground({ seed: true });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the packages', () => {
  it('are versioned together', () => {
    const version = (dir: string) =>
      JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    expect(version(path.join(ROOT, 'client'))).toBe(version(ROOT));
  });

  it('the plugin still ships its client entries and the docs its README links to', () => {
    const files = plugin.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/client/index.mjs',
        'dist/client/index.js',
        'dist/client-server/index.mjs',
        'docs/frontend.md',
      ])
    );
  });

  it('the client ships its entries for ESM and CommonJS with their own declarations', () => {
    const files = client.files.map((file) => file.path);
    for (const entry of ['index', 'server', 'react']) {
      for (const extension of ['mjs', 'cjs', 'd.mts', 'd.cts']) {
        expect(files).toContain(`dist/${entry}.${extension}`);
      }
    }
    const declarations = files.filter((file) => file.endsWith('.d.mts') || file.endsWith('.d.cts'));
    for (const file of declarations) {
      const text = fs.readFileSync(path.join(ROOT, 'client', file), 'utf8');
      expect(text).not.toMatch(/from '(zod|\.\.\/)/);
    }
  });

  it('publint and attw find nothing to report in the client', async () => {
    await runIn(ROOT, 'npx', ['publint', 'run', 'client', '--strict']);
    // attw reads the tarball as the registry would serve it, for every resolution mode.
    await runIn(ROOT, 'npx', ['attw', client.tarball, '--format', 'table-flipped']);
  });
});

describe.each(['18', '19'])('a fresh React %s app', (react) => {
  let dir: string;

  beforeAll(() => {
    dir = path.join(work, `react-${react}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: `react-${react}-app`, private: true, type: 'module' })
    );
    for (const file of ['every-export.ts', 'render.mjs']) {
      fs.copyFileSync(path.join(FIXTURES, file), path.join(dir, file));
    }
  });

  it('installs the client with plain npm i and receives none of the server dependencies', () => {
    npm(
      [
        'install',
        client.tarball,
        `react@${react}`,
        `react-dom@${react}`,
        `@types/react@${react}`,
        'happy-dom@21.0.4',
        'typescript@5.9.3',
      ],
      dir
    );
    for (const dependency of SERVER_DEPENDENCIES) {
      expect(fs.existsSync(path.join(dir, 'node_modules', dependency))).toBe(false);
    }
  });

  it('type-checks every export, strict and without the DOM library, as ESM, CommonJS and node10', async () => {
    const source = fs.readFileSync(path.join(dir, 'every-export.ts'), 'utf8');
    for (const entry of ['index', 'server', 'react']) {
      const exports = Object.keys(await import(path.join(ROOT, `client/dist/${entry}.cjs`)));
      for (const name of exports)
        expect({ entry, name, used: source.includes(name) }).toMatchObject({ used: true });
    }
    fs.copyFileSync(path.join(dir, 'every-export.ts'), path.join(dir, 'every-export.mts'));
    fs.copyFileSync(path.join(dir, 'every-export.ts'), path.join(dir, 'every-export.cts'));
    const tsconfig = (name: string, module: object, files: string[]) => {
      const strict = { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [] };
      const compilerOptions = { ...strict, ...module };
      fs.writeFileSync(path.join(dir, name), JSON.stringify({ compilerOptions, files }));
      return name;
    };
    const tsc = path.join(dir, 'node_modules/.bin/tsc');
    const modern = { module: 'nodenext', moduleResolution: 'nodenext' };
    const node10 = { module: 'commonjs', moduleResolution: 'node10' };
    await runIn(dir, tsc, [
      '-p',
      tsconfig('esm-cjs.json', modern, ['every-export.mts', 'every-export.cts']),
    ]);
    await runIn(dir, tsc, ['-p', tsconfig('node10.json', node10, ['every-export.ts'])]);
  });

  it('renders the family headline server-side and in a DOM, and tracks a conversion', async () => {
    const output = await runIn(dir, 'node', ['render.mjs'], { PLAYGROUND_URL: app.url });
    expect(output).toContain('Room for everyone, and for the dog');
  });
});
