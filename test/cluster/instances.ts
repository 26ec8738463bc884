import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

import request from 'supertest';

/** One playground instance running as a process of its own. */
export interface Instance {
  name: string;
  url: string;
  http: () => ReturnType<typeof request>;
  /** Everything it printed so far (stdout and stderr). */
  readonly output: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process ended. */
  exited: Promise<number | NodeJS.Signals | null>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port'))
      );
    });
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `test/cluster/instance.js` with `env` on a free port; resolves once `/_health` answers. */
export const startInstance = async (
  name: string,
  env: Record<string, string>,
  port?: number
): Promise<Instance> => {
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, [path.join(__dirname, 'instance.js')], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(listenOn) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code))
  );
  const url = `http://127.0.0.1:${listenOn}`;
  const instance: Instance = {
    name,
    url,
    http: () => request(url),
    get output() {
      return output;
    },
    process: child,
    exited,
  };
  const deadline = Date.now() + 120_000;
  let ended = false;
  void exited.then(() => (ended = true));
  while (Date.now() < deadline && !ended) {
    const status = await fetch(`${url}/_health`).then(
      (response) => response.status,
      () => 0
    );
    if (status === 204) return instance;
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`instance ${name} did not start:\n${output.slice(-4_000)}`);
};

/** Sends `signal` and waits for the process to end. */
export const stopInstance = async (instance: Instance, signal: NodeJS.Signals = 'SIGTERM') => {
  if (instance.process.exitCode === null && instance.process.signalCode === null) {
    instance.process.kill(signal);
  }
  return instance.exited;
};

/**
 * Polls `probe` until it returns true; resolves with the milliseconds that took, or throws after
 * `timeoutMs`.
 */
export const waitUntil = async (
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 5_000
): Promise<number> => {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(10);
  }
};
