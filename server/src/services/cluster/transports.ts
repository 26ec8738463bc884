import type { Core } from '@strapi/strapi';
import type { Redis } from 'ioredis';

/**
 * How instances hear of each other's writes. `receive` gets each message's text (an instance's own
 * messages included: the caller drops them); `resync` is called after a reconnect, when a message
 * may have been missed, so the caller reloads everything.
 */
export interface ChangeTransport {
  readonly name: 'postgres' | 'redis' | 'poll';
  start(handlers: TransportHandlers): Promise<void>;
  publish(text: string): Promise<void>;
  stop(): Promise<void>;
}

export interface TransportHandlers {
  receive(text: string): void;
  resync(): void;
}

/** The version-token poll alone (registry-loader.ts): nothing is pushed. */
export const pollTransport = (): ChangeTransport => ({
  name: 'poll',
  start: async () => undefined,
  publish: async () => undefined,
  stop: async () => undefined,
});

/** What this transport uses of a `pg` client (knex's PostgreSQL dialect creates it). */
interface ListeningConnection {
  query(sql: string): Promise<unknown>;
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string }) => void
  ): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  removeAllListeners(): void;
}

interface RawConnections {
  acquireRawConnection(): Promise<ListeningConnection>;
  destroyRawConnection(connection: ListeningConnection): Promise<void>;
}

/** Reconnection delays: 250 ms doubling up to 30 s, with jitter so that instances do not align. */
export const backoffMs = (attempt: number) =>
  Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)) * (0.75 + Math.random() * 0.5);

/**
 * PostgreSQL `LISTEN`/`NOTIFY` on one channel. The listening connection is a connection of its
 * own, opened by knex's driver outside the pool (a pooled one held forever would shrink the pool
 * and be recycled under it); it reconnects with backoff. `NOTIFY` goes through the pool.
 */
export const postgresTransport = (strapi: Core.Strapi, channel: string): ChangeTransport => {
  const raw = strapi.db.connection.client as unknown as RawConnections;
  let connection: ListeningConnection | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  let attempt = 0;

  const drop = async () => {
    const current = connection;
    connection = undefined;
    if (!current) return;
    current.removeAllListeners();
    // A broken connection may fail to end: it is gone either way.
    current.on('error', () => undefined);
    await raw.destroyRawConnection(current).catch(() => undefined);
  };

  const connect = async (handlers: TransportHandlers, reconnecting: boolean): Promise<void> => {
    if (stopped) return;
    try {
      const opened = await raw.acquireRawConnection();
      connection = opened;
      opened.on('notification', (message) => {
        if (message.channel === channel && message.payload) handlers.receive(message.payload);
      });
      const lost = (error?: Error) => {
        if (connection !== opened || stopped) return;
        strapi.log.warn(
          `[personalize] the change listener lost its PostgreSQL connection${error ? ` (${error.message})` : ''}; reconnecting`
        );
        void drop();
        schedule(handlers);
      };
      opened.on('error', lost);
      opened.on('end', lost);
      await opened.query(`LISTEN "${channel}"`);
      if (attempt > 0 || reconnecting) handlers.resync();
      attempt = 0;
    } catch (error) {
      strapi.log.warn(
        `[personalize] the change listener could not LISTEN on PostgreSQL (${String(error)}); retrying`
      );
      await drop();
      schedule(handlers);
    }
  };

  const schedule = (handlers: TransportHandlers) => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect(handlers, true);
    }, backoffMs(attempt++));
    retry.unref();
  };

  return {
    name: 'postgres',
    start: (handlers) => connect(handlers, false),
    async publish(text) {
      await strapi.db.connection.raw('select pg_notify(?, ?)', [channel, text]);
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await drop();
    },
  };
};

/**
 * Redis pub/sub: a subscriber connection of its own (a subscribed connection can do nothing else)
 * beside the shared command connection that publishes. ioredis reconnects and resubscribes by
 * itself; every `ready` after the first is a reconnect.
 */
export const redisTransport = (
  strapi: Core.Strapi,
  commands: Redis,
  channel: string
): ChangeTransport => {
  // Unlike the command connection, this one queues its SUBSCRIBE until Redis is reachable.
  const subscriber = commands.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  return {
    name: 'redis',
    async start(handlers) {
      let resyncWhenReady = false;
      subscriber.on('ready', () => {
        if (resyncWhenReady) handlers.resync();
        resyncWhenReady = true;
      });
      subscriber.on('message', (from: string, text: string) => {
        if (from === channel) handlers.receive(text);
      });
      subscriber.on('error', (error: Error) =>
        strapi.log.warn(`[personalize] the Redis change listener: ${error.message}`)
      );
      const subscribed = subscriber.subscribe(channel).then(
        () => true,
        () => false
      );
      // Redis down at boot must not hold Strapi's start: the first `ready` then reloads everything.
      const timeout = new Promise<false>((resolve) => setTimeout(resolve, 2_000, false).unref());
      if (!(await Promise.race([subscribed, timeout]))) {
        resyncWhenReady = true;
        strapi.log.warn('[personalize] Redis is not reachable yet: changes are polled meanwhile');
      }
    },
    async publish(text) {
      await commands.publish(channel, text);
    },
    async stop() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
};
