import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { createStrapi, type Core } from '@strapi/strapi';
import request from 'supertest';

import { generateSecrets } from '../../playground/src/demo/settings';
import { createTestDatabase, type TestDatabase } from './database';
import { expectResponsesMatchOpenApi, recordResponses } from './openapi';

export const PLAYGROUND_DIR = path.resolve(__dirname, '../../playground');

export interface Playground {
  strapi: Core.Strapi;
  /** Base URL of the running server, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** supertest bound to the running server. */
  http: () => ReturnType<typeof request>;
  stop(): Promise<void>;
}

interface StartOptions {
  /** Seed the demo story (`DEMO_SEED`); off by default so tests start from an empty app. */
  seed?: boolean;
  /** Reuse a database across restarts; the caller then drops it. Default: a fresh one, dropped on stop. */
  database?: TestDatabase;
  /** Serve the built admin panel (playground/build/, `npm run test:e2e` builds it). Default false. */
  serveAdminPanel?: boolean;
  /** Extra environment variables for the app's configuration (e.g. `REST_STRICT_PARAMS`). */
  env?: Record<string, string>;
}

/** Secrets the playground's config requires; random for each test file. */
const SECRETS = generateSecrets();

/** Sets environment variables while `run` runs, then restores them: Strapi reads its config at load. */
const withEnv = async <T>(overrides: Record<string, string>, run: () => Promise<T>): Promise<T> => {
  const previous = Object.fromEntries(Object.keys(overrides).map((key) => [key, process.env[key]]));
  Object.assign(process.env, overrides);
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  }
};

/** Process listeners Strapi's `destroy()` removes (it calls `process.removeAllListeners()`). */
const captureProcessListeners = () => {
  const saved = process.eventNames().map((event) => [event, process.rawListeners(event)] as const);
  return () => {
    for (const [event, listeners] of saved) {
      for (const listener of listeners) {
        if (!process.rawListeners(event).includes(listener)) {
          process.on(event as NodeJS.Signals, listener as NodeJS.SignalsListener);
        }
      }
    }
  };
};

// Booting Strapi and migrating a fresh database takes seconds on 2 cores; jest's default is 5 s.
jest.setTimeout(60_000);

// Every Content API response this file received matches docs/openapi.json.
afterAll(expectResponsesMatchOpenApi);

/** Every boot started by this test file, finished or not. */
const boots = new Set<Promise<Playground>>();

// A safety net: a boot whose `beforeAll` timed out or threw is still stopped, so that no server or
// database connection outlives the file and jest exits without --forceExit.
afterAll(async () => {
  for (const boot of boots) {
    const app = await boot.catch(() => undefined);
    await app?.stop();
  }
});

const boot = async ({
  seed = false,
  database,
  serveAdminPanel = false,
  env: extraEnv = {},
}: StartOptions) => {
  const ownDatabase = database ? undefined : await createTestDatabase();
  const db = database ?? (ownDatabase as TestDatabase);
  const restoreProcessListeners = captureProcessListeners();
  const env = {
    ...SECRETS,
    ...db.env,
    DEMO_SEED: String(seed),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    STRAPI_TELEMETRY_DISABLED: 'true',
    ...extraEnv,
  };
  // Strapi reads its configuration when created, the demo settings at bootstrap (in load()).
  const strapi = await withEnv(env, async () =>
    createStrapi({
      appDir: PLAYGROUND_DIR,
      distDir: PLAYGROUND_DIR,
      autoReload: false,
      serveAdminPanel,
    })
  );
  const shutDown = async () => {
    await strapi.destroy();
    restoreProcessListeners();
    await ownDatabase?.drop();
  };

  try {
    await withEnv(env, () => strapi.load());
    recordResponses(strapi);
    await new Promise<void>((resolve) => strapi.server.listen(0, '127.0.0.1', resolve));
  } catch (error) {
    await shutDown().catch(() => undefined);
    throw error;
  }

  const { port } = strapi.server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    strapi,
    url,
    http: () => request(url),
    stop: () => (stopping ??= shutDown()),
  };
};

/**
 * Boots the playground app in this process on a database of its own, listening on a free port of
 * 127.0.0.1, and returns what a test needs to talk to it over HTTP. `stop()` may be called more
 * than once; whatever a test file did not stop is stopped after its last test.
 */
export const startPlayground = (options: StartOptions = {}): Promise<Playground> => {
  const started = boot(options);
  boots.add(started);
  return started;
};
