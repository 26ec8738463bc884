import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';

/** The longest a shutdown waits for requests in flight before the buffers are written. */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Graceful shutdown, the half Strapi leaves out (it destroys open connections after the plugins'
 * `destroy`): counts the requests in flight; `drain()` stops accepting connections, asks
 * keep-alive clients to reconnect elsewhere after their current request, and resolves once the
 * last one answered (at most `DRAIN_TIMEOUT_MS`). What they accepted is then flushed.
 */
export const drainableServer = (strapi: Core.Strapi) => {
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;

  return {
    middleware: async (ctx: Context, next: Next) => {
      inFlight += 1;
      try {
        await next();
      } finally {
        inFlight -= 1;
        if (draining) {
          if (!ctx.headerSent) ctx.set('Connection', 'close');
          if (inFlight === 0) onIdle?.();
        }
      }
    },

    async drain() {
      draining = true;
      const server = strapi.server.httpServer;
      if (server.listening) server.close();
      server.closeIdleConnections();
      if (inFlight === 0) return;
      await new Promise<void>((resolve) => {
        onIdle = resolve;
        setTimeout(resolve, DRAIN_TIMEOUT_MS).unref();
      });
    },
  };
};
