import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Core } from '@strapi/strapi';

/** The longest a shutdown waits for requests in flight before the buffers are written. */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Graceful shutdown, the half Strapi leaves out (it destroys open connections after the plugins'
 * `destroy`): counts the requests in flight from the moment Node has read their headers;
 * `drain()` stops accepting connections, asks keep-alive clients to reconnect elsewhere after
 * their current request, and resolves once the last one answered (at most `DRAIN_TIMEOUT_MS`)
 * and no other connection is left.
 * What they accepted is then flushed. Returns the function that detaches it.
 */
export const drainableServer = (strapi: Core.Strapi) => {
  const server = strapi.server.httpServer;
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;

  const count = (_request: IncomingMessage, response: ServerResponse) => {
    inFlight += 1;
    if (draining) response.setHeader('Connection', 'close');
    response.once('close', () => {
      inFlight -= 1;
      if (draining && inFlight === 0) onIdle?.();
    });
  };
  server.prependListener('request', count);

  const idle = () =>
    inFlight === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          onIdle = resolve;
          setTimeout(resolve, DRAIN_TIMEOUT_MS).unref();
        });

  return {
    detach: () => server.off('request', count),

    async drain() {
      draining = true;
      if (server.listening) server.close();
      server.closeIdleConnections();
      await idle();
      // What is still connected has not sent a whole request: closed now, nothing can start
      // between here and Strapi's own shutdown of the server (the client sends it elsewhere).
      server.closeAllConnections();
      await idle();
    },
  };
};
