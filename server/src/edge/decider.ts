import type { DecisionResponse, Snapshot } from '../contracts';
import { decideWithEvents, type EdgeDecideRequest, type EdgeEvent, type EdgeFacts } from './decide';

/** The part of a `fetch` answer the decider reads. */
export interface EdgeResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/**
 * A `fetch` implementation: the runtime's global one, or one of your own (a test double). Typed
 * by the little the decider uses of it, so that its types need neither the DOM library nor Node's.
 */
export type EdgeFetch = (
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string }
) => Promise<EdgeResponse>;

export interface EdgeDeciderOptions {
  /** `https://cms.example.com/api/personalize/snapshot`; decide and events are its siblings. */
  snapshotUrl: string;
  /** A Strapi API token with `plugin::personalize.snapshot.read` (docs/edge.md). */
  token: string;
  /** How old the snapshot may get before the next decision revalidates it (ms). Default 5,000. */
  refreshMs?: number;
  /**
   * Visitors with a profile (profiles on, an id and consent to personalization) are decided by
   * the origin, with their profile (default). `false` decides them here from their context alone:
   * no round trip, but what their profile remembers (visits, events, interests, the furthest stage)
   * does not count.
   */
  profilesAtOrigin?: boolean;
  /** Default: the global `fetch`. */
  fetch?: EdgeFetch;
}

/** What `createEdgeDecider` returns. */
export interface EdgeDecider {
  /**
   * The decision `POST /api/personalize/decide` would answer: made here from the snapshot, or
   * asked of the origin when only it can decide (a profile, a remembered bandit arm, a preview).
   */
  decide(request: EdgeDecideRequest, facts?: EdgeFacts): Promise<DecisionResponse>;
  /** Sends the queued events (exposures, decisions) to the events route: hand it to `waitUntil`. */
  flush(): Promise<void>;
  /** The snapshot decisions are made from now (fetched on first use). */
  snapshot(): Promise<Snapshot>;
}

/** The events route takes at most this many events per request. */
const EVENTS_PER_REQUEST = 500;
/** Events kept while the events route cannot be reached; older ones are dropped first. */
const MAX_QUEUED = 5_000;

/** An answer of the origin that is not a success, as an error carrying its status. */
const failure = async (response: EdgeResponse, what: string) =>
  new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);

/**
 * A decider for a CDN worker or middleware: keeps the snapshot (revalidated with its ETag at most
 * every `refreshMs`, the old one kept while the origin cannot be reached), decides locally, and
 * queues the events that record what the origin would have recorded (exposures, reach, impact).
 */
export const createEdgeDecider = (options: EdgeDeciderOptions): EdgeDecider => {
  const refreshMs = options.refreshMs ?? 5_000;
  const request: EdgeFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const authorization = { authorization: `Bearer ${options.token}` };
  const sibling = (name: string) => new URL(name, options.snapshotUrl).toString();
  let current: { snapshot: Snapshot; etag: string | null; checkedAt: number } | null = null;
  let refreshing: Promise<Snapshot> | null = null;
  const queue: EdgeEvent[] = [];

  const refresh = async (): Promise<Snapshot> => {
    const response = await request(options.snapshotUrl, {
      headers: current?.etag ? { ...authorization, 'if-none-match': current.etag } : authorization,
    });
    if (response.status === 304 && current) {
      current.checkedAt = Date.now();
      return current.snapshot;
    }
    if (!response.ok) throw await failure(response, 'snapshot');
    const snapshot = (await response.json()) as Snapshot;
    current = { snapshot, etag: response.headers.get('etag'), checkedAt: Date.now() };
    return snapshot;
  };

  const snapshot = async (): Promise<Snapshot> => {
    if (current && Date.now() - current.checkedAt < refreshMs) return current.snapshot;
    refreshing ??= refresh().finally(() => {
      refreshing = null;
    });
    try {
      return await refreshing;
    } catch (error) {
      // A stale snapshot decides better than none; without one, the caller must know.
      if (current) return current.snapshot;
      throw error;
    }
  };

  const askOrigin = async (body: EdgeDecideRequest, facts: EdgeFacts) => {
    const response = await request(sibling('decide'), {
      method: 'POST',
      headers: {
        ...authorization,
        'content-type': 'application/json',
        ...(facts.userAgent ? { 'user-agent': facts.userAgent } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await failure(response, 'decide');
    return ((await response.json()) as { data: DecisionResponse }).data;
  };

  return {
    snapshot,

    async decide(body, facts = {}) {
      const current = await snapshot();
      // Decided here first (microseconds, the context parsed once); the origin's answer wins
      // where only it knows the visitor.
      const { data, events, originReason } = decideWithEvents(current, body, facts);
      if (
        originReason !== null &&
        (originReason !== 'profile' || options.profilesAtOrigin !== false)
      ) {
        return askOrigin(body, facts);
      }
      if (events.length > 0) {
        queue.push(...events);
        if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
      }
      return data;
    },

    async flush() {
      while (queue.length > 0) {
        const events = queue.splice(0, EVENTS_PER_REQUEST);
        const response = await request(sibling('events'), {
          method: 'POST',
          headers: { ...authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        }).catch(() => null);
        if (response === null || response.status >= 500) {
          // Kept for the next flush: the origin was not reached or failed.
          queue.unshift(...events);
          return;
        }
      }
    },
  };
};
