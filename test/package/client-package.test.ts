import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { snapshotSchema } from '../../server/src/contracts/snapshot';
import * as edge from '../../server/src/edge';
import { startPlayground, type Playground } from '../helpers/playground';

// `npm run test:package` (CI): both packages packed as the registry would get them, and the
// client's tarball installed with plain `npm i` into fresh React 18 and React 19 apps, which
// type-check every export and render the hooks against the playground, and into a worker
// project, which decides with `/edge` as the plugin's own tarball does.

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

/** The edge fixture (test/package/app/edge-decide.ts), its module named by each package. */
const EDGE_FIXTURE = path.join(FIXTURES, 'edge-decide.ts');
const EDGE_FIXTURE_MODULE = 'strapi-plugin-personalize-client/edge';
/** The snapshot it decides from, as the snapshot route answers it. */
const EDGE_SNAPSHOT = path.join(FIXTURES, 'edge-snapshot.json');

/** How a worker project type-checks the edge fixture: strict, with neither the DOM nor Node. */
const EDGE_COMPILER_OPTIONS = { strict: true, target: 'es2022', lib: ['es2022'], types: [] };

/** The edge fixture's decisions made by the plugin's source (server/src/edge/), as JSON. */
const sourceDecisions = async () => {
  jest.doMock(EDGE_FIXTURE_MODULE, () => edge, { virtual: true });
  const fixture = await import('./app/edge-decide');
  const snapshot = snapshotSchema.parse(JSON.parse(fs.readFileSync(EDGE_SNAPSHOT, 'utf8')));
  return JSON.parse(JSON.stringify(await fixture.decisions(snapshot)));
};

/**
 * The edge fixture in `dir`, importing `specifier` from the installed package: type-checked
 * (strict, without the DOM library), compiled as ESM and CommonJS, and run. Its decisions, by
 * module format.
 */
const packageDecisions = async (dir: string, specifier: string, { skipLibCheck = false } = {}) => {
  const source = fs
    .readFileSync(EDGE_FIXTURE, 'utf8')
    .replaceAll(`'${EDGE_FIXTURE_MODULE}'`, `'${specifier}'`);
  for (const extension of ['mts', 'cts']) {
    fs.writeFileSync(path.join(dir, `edge-decide.${extension}`), source);
  }
  fs.copyFileSync(EDGE_SNAPSHOT, path.join(dir, 'edge-snapshot.json'));
  const compilerOptions = {
    ...EDGE_COMPILER_OPTIONS,
    skipLibCheck,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    outDir: 'edge-build',
  };
  const files = ['edge-decide.mts', 'edge-decide.cts'];
  fs.writeFileSync(path.join(dir, 'edge.json'), JSON.stringify({ compilerOptions, files }));
  await runIn(dir, path.join(dir, 'node_modules/.bin/tsc'), ['-p', 'edge.json']);
  // Each reads the snapshot (`fs`) and prints the decisions of the compiled fixture (`decisions`).
  const print =
    "decisions(JSON.parse(fs.readFileSync('edge-snapshot.json', 'utf8')))" +
    '.then((result) => console.log(JSON.stringify(result)));';
  const esm = await runIn(dir, 'node', [
    '--input-type=module',
    '-e',
    "import fs from 'node:fs';\n" +
      "import { decisions } from './edge-build/edge-decide.mjs';\n" +
      print,
  ]);
  const cjs = await runIn(dir, 'node', [
    '-e',
    "const fs = require('node:fs');\n" +
      "const { decisions } = require('./edge-build/edge-decide.cjs');\n" +
      print,
  ]);
  return { esm: JSON.parse(esm), cjs: JSON.parse(cjs) };
};

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
        'dist/client-profiles/index.mjs',
        'dist/client-graphql/index.mjs',
        'dist/edge/index.mjs',
        'dist/edge/index.js',
        'dist/server/src/edge/index.d.ts',
        'docs/frontend.md',
        'docs/edge.md',
      ])
    );
  });

  it('the edge fixture decides from its snapshot as expected, from the source', async () => {
    // sourceDecisions parses the snapshot with the route's own schema first.
    const decisions = await sourceDecisions();
    const fleet = { persona: 'fleet', variant: { documentId: 'v-fleet', name: 'Fleet' } };
    expect(decisions.decided).toEqual([
      expect.objectContaining({ ...fleet, reason: 'persona' }),
      expect.objectContaining({ ...fleet, reason: 'persona' }),
      expect.objectContaining({ reason: 'experiment', experiment: expect.any(Object) }),
    ]);
    expect(decisions.exposures).toEqual([
      expect.objectContaining({ experiment: 'cta', visitorId: 'visitor-1' }),
    ]);
    // No variant served and no holdout: the decision itself records nothing.
    expect(decisions.decisionEvents).toEqual([]);
    expect(decisions.preview).toBe('preview');
    expect(decisions.refused).toEqual({
      status: 400,
      issues: [
        {
          path: 'context.visits',
          message: 'must not be negative',
          messageId: 'context.notNegative',
        },
      ],
    });
  });

  it("the plugin's /edge decides from the packed plugin without Strapi, ESM and CommonJS, typed", async () => {
    const dir = path.join(work, 'plugin-edge');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "plugin-edge", "private": true }');
    // As a worker would: the plugin without its peers (Strapi, the admin's).
    npm(['install', plugin.tarball, 'typescript@5.9.3', '--legacy-peer-deps'], dir);
    expect(fs.existsSync(path.join(dir, 'node_modules/@strapi'))).toBe(false);
    const decisions = await sourceDecisions();
    // skipLibCheck, as Strapi's own tsconfig: the plugin's declarations reach its contracts' zod
    // types, which need the DOM's or Node's `URL` (the client's /edge prints them plain).
    const installed = await packageDecisions(dir, 'strapi-plugin-personalize/edge', {
      skipLibCheck: true,
    });
    expect(installed).toEqual({ esm: decisions, cjs: decisions });
  });

  it("the plugin's /client entries still work for existing users, from the packed plugin", async () => {
    const dir = path.join(work, 'plugin-user');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "plugin-user", "private": true }');
    // Only the client entries are used here: Strapi and the admin's peers are not installed.
    npm(['install', plugin.tarball, '--legacy-peer-deps'], dir);
    const script = [
      "const { createPersonalizeClient } = require('strapi-plugin-personalize/client');",
      "const { contextFromRequest } = require('strapi-plugin-personalize/client/server');",
      'const context = contextFromRequest(new Request(process.argv[1] + "/?utm_medium=linkedin&utm_source=linkedin"));',
      "createPersonalizeClient({ baseUrl: process.argv[1] }).getSingle('homepage', { context })",
      '  .then(({ data }) => console.log(data.headline));',
    ].join('\n');
    const esm =
      "import('strapi-plugin-personalize/client').then((m) => console.log(typeof m.createPersonalizeClient));";
    expect(await runIn(dir, 'node', ['-e', script, app.url])).toMatch(/fleet/);
    expect((await runIn(dir, 'node', ['-e', esm])).trim()).toBe('function');
  });

  it('the client ships its entries for ESM and CommonJS with their own declarations', () => {
    const files = client.files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    for (const entry of ['index', 'server', 'react', 'profiles', 'graphql', 'edge/index']) {
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
    for (const entry of ['index', 'server', 'react', 'profiles', 'graphql']) {
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

describe('a worker project', () => {
  let dir: string;

  beforeAll(() => {
    dir = path.join(work, 'worker');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'worker', private: true, type: 'module' })
    );
  });

  it('installs the client with plain npm i and receives none of the server dependencies', () => {
    npm(['install', client.tarball, 'typescript@5.9.3'], dir);
    for (const dependency of SERVER_DEPENDENCIES) {
      expect(fs.existsSync(path.join(dir, 'node_modules', dependency))).toBe(false);
    }
  });

  it("decides with the client's /edge as the plugin does, ESM and CommonJS, typed", async () => {
    const source = fs.readFileSync(EDGE_FIXTURE, 'utf8');
    const exports = Object.keys(await import(path.join(ROOT, 'client/dist/edge/index.cjs')));
    expect(exports.length).toBeGreaterThan(4);
    for (const name of exports)
      expect({ name, used: source.includes(name) }).toMatchObject({ used: true });
    const decisions = await sourceDecisions();
    const installed = await packageDecisions(dir, EDGE_FIXTURE_MODULE);
    expect(installed).toEqual({ esm: decisions, cjs: decisions });
    // node10 resolution finds its types through typesVersions.
    fs.copyFileSync(EDGE_FIXTURE, path.join(dir, 'edge-decide.ts'));
    const compilerOptions = {
      ...EDGE_COMPILER_OPTIONS,
      noEmit: true,
      module: 'commonjs',
      moduleResolution: 'node10',
    };
    const files = ['edge-decide.ts'];
    fs.writeFileSync(path.join(dir, 'node10.json'), JSON.stringify({ compilerOptions, files }));
    await runIn(dir, path.join(dir, 'node_modules/.bin/tsc'), ['-p', 'node10.json']);
  });
});

/** The code blocks of docs/frontend.md that name their file (```tsx app/page.tsx), by file. */
const docFiles = (): Map<string, string> => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/frontend.md'), 'utf8');
  const blocks = doc.matchAll(/^```\w+ (\S+)\n([\s\S]*?)^```$/gm);
  return new Map([...blocks].map(([, file, code]) => [file, code]));
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Starts a server in the background and waits until `url` answers. */
const serve = async (cwd: string, args: string[], env: NodeJS.ProcessEnv, url: string) => {
  const child = spawn('node', args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = () => child.kill();
  for (let waited = 0; waited < 60_000; waited += 250) {
    if (child.exitCode !== null) throw new Error(`node ${args.join(' ')} exited:\n${output}`);
    try {
      await fetch(url);
      return stop;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  stop();
  throw new Error(`node ${args.join(' ')} never answered:\n${output}`);
};

describe("docs/frontend.md's recipes, installed with the packed client, against the playground", () => {
  const files = docFiles();
  const CAMPAIGN = '?utm_source=linkedin&utm_medium=linkedin';
  let fleetHeadline: string;

  beforeAll(async () => {
    const response = await fetch(
      `${app.url}/api/personalize/content/homepage?context=${encodeURIComponent(
        JSON.stringify({ utm: { source: 'linkedin', medium: 'linkedin' } })
      )}`
    );
    fleetHeadline = (await response.json()).data.headline;
  });

  /** Writes the doc's files under `dir`, for the names given. */
  const write = (dir: string, names: string[]) => {
    for (const name of names) {
      const code = files.get(name);
      if (code === undefined) throw new Error(`docs/frontend.md has no block named ${name}`);
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), code);
    }
  };

  it('Next.js App Router: next build, next start, and a campaign link gets the fleet homepage', async () => {
    const dir = path.join(work, 'react-19');
    npm(['install', 'next@16.4.6', '@types/react-dom@19', '@types/node@20'], dir);
    const next = path.join(dir, 'next');
    write(next, [
      'lib/personalize.ts',
      'app/page.tsx',
      'app/hero.tsx',
      'components/personalized.tsx',
    ]);
    // Every Next.js app has a root layout; it is not part of the recipe.
    fs.writeFileSync(
      path.join(next, 'app/layout.tsx'),
      'export default function Layout({ children }: { children: React.ReactNode }) {\n' +
        '  return <html lang="en"><body>{children}</body></html>;\n}\n'
    );
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        lib: ['dom', 'es2022'],
        module: 'esnext',
        moduleResolution: 'bundler',
        jsx: 'preserve',
        isolatedModules: true,
        skipLibCheck: true,
        plugins: [{ name: 'next' }],
      },
      include: ['next-env.d.ts', '**/*.ts', '**/*.tsx'],
    };
    fs.writeFileSync(path.join(next, 'tsconfig.json'), JSON.stringify(tsconfig));
    const env = {
      STRAPI_URL: app.url,
      NEXT_PUBLIC_STRAPI_URL: app.url,
      NEXT_TELEMETRY_DISABLED: '1',
    };
    const bin = path.join(dir, 'node_modules/next/dist/bin/next');
    await runIn(next, 'node', [bin, 'build'], env);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const stop = await serve(next, [bin, 'start', '-p', String(port)], env, url);
    try {
      const html = await (await fetch(`${url}${CAMPAIGN}`)).text();
      expect(html).toContain(`<h1>${fleetHeadline}</h1>`);
    } finally {
      stop();
    }
  });

  it('Nuxt: the server route, type-checked and served by h3, keeps a visitor id only with consent', async () => {
    const dir = path.join(work, 'react-18');
    npm(['install', 'h3@1', '@types/node@20'], dir);
    write(dir, ['server/api/homepage.get.ts']);
    const tsc = path.join(dir, 'node_modules/.bin/tsc');
    // skipLibCheck as in a Nuxt app: h3's own declarations name the DOM's FetchEvent.
    await runIn(dir, tsc, [
      '--strict',
      '--skipLibCheck',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--outDir',
      'build',
      'server/api/homepage.get.ts',
    ]);
    fs.writeFileSync(
      path.join(dir, 'nuxt-route.mjs'),
      "import { createServer } from 'node:http';\n" +
        "import { createApp, toNodeListener } from 'h3';\n" +
        "import homepage from './build/homepage.get.js';\n" +
        "const app = createApp().use('/api/homepage', homepage);\n" +
        'createServer(toNodeListener(app)).listen(Number(process.env.PORT));\n'
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/api/homepage`;
    const stop = await serve(
      dir,
      ['nuxt-route.mjs'],
      { PORT: String(port), STRAPI_URL: app.url },
      url
    );
    try {
      const undecided = await fetch(`${url}${CAMPAIGN}`);
      expect(await undecided.json()).toMatchObject({ headline: fleetHeadline });
      expect(undecided.headers.get('set-cookie')).toBeNull();
      // With consent a visitor gets an id, kept in a cookie and sent on: the delivery answers for
      // that visitor (the demo's homepage experiment places them by it).
      const consent = 'personalize-consent=personalization,analytics';
      const first = await fetch(`${url}${CAMPAIGN}`, { headers: { cookie: consent } });
      const setCookie = first.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^personalize-vid=[\w-]+;.*HttpOnly/);
      const visitorId = setCookie.slice('personalize-vid='.length, setCookie.indexOf(';'));
      const again = await fetch(`${url}${CAMPAIGN}`, {
        headers: { cookie: `${consent}; personalize-vid=${visitorId}` },
      });
      const context = {
        utm: { source: 'linkedin', medium: 'linkedin' },
        consent: { personalization: true, analytics: true },
        visitorId,
      };
      const direct = await fetch(
        `${app.url}/api/personalize/content/homepage?context=${encodeURIComponent(JSON.stringify(context))}`
      );
      const { data, meta } = await direct.json();
      expect(await again.json()).toEqual({
        headline: data.headline,
        segment: meta.personalization.segment,
      });
    } finally {
      stop();
    }
  });

  it('plain Node: server.mjs answers the fleet homepage for a campaign link', async () => {
    const dir = path.join(work, 'react-18');
    write(dir, ['server.mjs']);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const stop = await serve(dir, ['server.mjs'], { PORT: String(port), STRAPI_URL: app.url }, url);
    try {
      const response = await fetch(`${url}${CAMPAIGN}`);
      expect(response.status).toBe(200);
      const escaped = fleetHeadline.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
      expect(await response.text()).toBe(`<h1>${escaped}</h1>`);
    } finally {
      stop();
    }
  });
});
