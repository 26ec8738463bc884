/** Typed calls to the delivery API and batched event tracking. */
import { randomId } from './random-id';
import type {
  DecideRequest,
  Decision,
  Personalization,
  Query,
  ReadOptions,
  TrackedEvent,
  TrackResult,
  VisitorContext,
} from './types';

export interface ClientOptions {
  /** The Strapi app's URL, e.g. `https://cms.example.com`. */
  baseUrl: string;
  /** An API token, when the content is not public. */
  token?: string;
  fetch?: typeof fetch;
  /** The visitor's consent: with `analytics: false`, `track` sends nothing. */
  consent?: VisitorContext['consent'];
  /** Events are sent when this many are queued (default 20, at most 500). */
  batchSize?: number;
  /** …or after this many milliseconds (default 2,000; 0 = only on size or `flush()`). */
  flushIntervalMs?: number;
  /** Attempts per batch on network errors and 5xx/429 answers (default 3). */
  retries?: number;
}

/** A failed call: the HTTP status and Strapi's error message and details. */
export class PersonalizeError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: unknown = null
  ) {
    super(message);
    this.name = 'PersonalizeError';
  }
}

/** `{ a: { b: [1] } }` → `a[b][0]=1`, as Strapi's query parser (qs) reads it. */
export const toQueryString = (query: Query): string => {
  const parts: string[] = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (value !== null && typeof value === 'object') {
      for (const [child, item] of Object.entries(value as Record<string, unknown>)) {
        add(`${key}[${child}]`, item);
      }
      return;
    }
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value ?? ''))}`);
  };
  for (const [key, value] of Object.entries(query)) add(key, value);
  return parts.join('&');
};

/** What a read resolves to: the content, the decision(s) and the rest of `meta`. */
export interface Reading<Data, Decisions = Personalization> {
  data: Data;
  personalization: Decisions;
  meta: Record<string, unknown>;
}

const noCounts = (): TrackResult => ({ accepted: 0, duplicates: 0, rejected: [] });

export const createPersonalizeClient = (options: ClientOptions) => {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const batchSize = Math.min(Math.max(options.batchSize ?? 20, 1), 500);
  const flushIntervalMs = options.flushIntervalMs ?? 2_000;
  const retries = Math.max(options.retries ?? 3, 1);
  let consent = options.consent;
  let queue: TrackedEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const headers = (json: boolean): Record<string, string> => ({
    ...(json ? { 'Content-Type': 'application/json' } : {}),
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
  });

  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await doFetch(`${baseUrl}${path}`, init);
    const body = (await response.json().catch(() => null)) as {
      error?: { message?: string; details?: unknown };
    } | null;
    if (!response.ok) {
      throw new PersonalizeError(
        body?.error?.message ?? `HTTP ${response.status}`,
        response.status,
        body?.error?.details ?? null
      );
    }
    return body as T;
  };

  /**
   * The context goes in the `context` query parameter, not a header: a custom header makes a
   * cross-origin GET preflighted, which Strapi's default CORS settings refuse.
   */
  const read = async <Data, Decisions = Personalization>(
    path: string,
    { context, ...query }: ReadOptions = {}
  ): Promise<Reading<Data, Decisions>> => {
    const search = toQueryString({
      ...query,
      ...(context ? { context: JSON.stringify(context) } : {}),
    });
    const body = await call<{ data: Data; meta: Record<string, unknown> }>(
      `/api/personalize/content/${path}${search ? `?${search}` : ''}`,
      { headers: headers(false) }
    );
    const { personalization, ...meta } = body.meta as { personalization: Decisions };
    return { data: body.data, personalization, meta };
  };

  const send = async (events: TrackedEvent[], attempt = 1): Promise<TrackResult> => {
    try {
      const { data } = await call<{ data: TrackResult }>('/api/personalize/events', {
        method: 'POST',
        headers: headers(true),
        body: JSON.stringify({ events }),
        keepalive: true,
      });
      return data;
    } catch (error) {
      const status = error instanceof PersonalizeError ? error.status : 0;
      const retryable = status === 0 || status === 429 || status >= 500;
      if (!retryable || attempt >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
      return send(events, attempt + 1);
    }
  };

  /** Removes sent events by identity: the beacon or a refusal may have changed the queue meanwhile. */
  const dequeue = (sent: TrackedEvent[]) => {
    const done = new Set(sent);
    queue = queue.filter((event) => !done.has(event));
  };

  /** The server's counts of what was sent since `flush()` last answered (also by auto-flushes). */
  let unreported = noCounts();
  const sendQueued = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, 500);
      const result = await send(batch);
      dequeue(batch);
      unreported.accepted += result.accepted;
      unreported.duplicates += result.duplicates;
      unreported.rejected.push(...result.rejected);
    }
  };

  /** One sending at a time: a second waits for the first, so no batch is sent twice. */
  let sending: Promise<void> = Promise.resolve();
  const drain = () => {
    clearTimeout(timer);
    timer = undefined;
    const run = sending.then(sendQueued, sendQueued);
    sending = run.catch(() => undefined);
    return run;
  };

  const flush = async (): Promise<TrackResult> => {
    await drain();
    const counts = unreported;
    unreported = noCounts();
    return counts;
  };

  /** On page hide, what is queued leaves with `sendBeacon` (it survives the page). */
  const beacon = () => {
    if (queue.length === 0 || typeof navigator === 'undefined' || !navigator.sendBeacon) return;
    const batch = queue.slice(0, 500);
    const blob = new Blob([JSON.stringify({ events: batch })], { type: 'application/json' });
    if (navigator.sendBeacon(`${baseUrl}/api/personalize/events`, blob)) dequeue(batch);
  };
  // Only in a page: workers and edge runtimes have a global addEventListener but no page to hide.
  const page = typeof window !== 'undefined' && typeof document !== 'undefined' ? window : null;
  page?.addEventListener('pagehide', beacon);

  return {
    /** One entry of a collection type, personalized for `context`. */
    getEntry: <Data = Record<string, unknown>>(
      pluralName: string,
      documentId: string,
      readOptions?: ReadOptions
    ) => read<Data>(`${pluralName}/${encodeURIComponent(documentId)}`, readOptions),

    /** A list of a collection type (core REST's query parameters), each entry personalized. */
    getEntries: <Data = Record<string, unknown>>(pluralName: string, query?: ReadOptions) =>
      read<Data[], Personalization[]>(pluralName, query),

    /** A single type, personalized. */
    getSingle: <Data = Record<string, unknown>>(singularName: string, readOptions?: ReadOptions) =>
      read<Data>(singularName, readOptions),

    /** The decision without the content. */
    decide: async (input: DecideRequest) =>
      (
        await call<{ data: Decision }>('/api/personalize/decide', {
          method: 'POST',
          headers: headers(true),
          body: JSON.stringify(input),
        })
      ).data,

    /**
     * Queues events (sent on size, on a timer, on page hide, or by `flush()`); nothing is queued
     * when the visitor refused analytics.
     */
    track(events: TrackedEvent | TrackedEvent[]) {
      if (consent?.analytics === false) return;
      for (const event of Array.isArray(events) ? events : [events]) {
        queue.push({
          ...event,
          id: event.id ?? randomId(),
          timestamp: event.timestamp ?? Date.now(),
        });
      }
      if (queue.length >= batchSize) void drain().catch(() => undefined);
      else if (flushIntervalMs > 0)
        timer ??= setTimeout(() => void drain().catch(() => undefined), flushIntervalMs);
    },

    /**
     * Sends every queued event; resolves with the server's counts of all events sent since the
     * last `flush()` answer, those of automatic batches included.
     */
    flush,

    get queued() {
      return queue.length;
    },

    setConsent(next: VisitorContext['consent']) {
      consent = next;
      if (consent?.analytics === false) queue = [];
    },

    /** Stops the timer and the page-hide listener. */
    close() {
      clearTimeout(timer);
      page?.removeEventListener('pagehide', beacon);
    },
  };
};

export type PersonalizeClient = ReturnType<typeof createPersonalizeClient>;
