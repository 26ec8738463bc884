/** Typed calls to the delivery API and batched event tracking. */
import { randomId } from './random-id';
import type {
  CallOptions,
  ContentPagination,
  FetchInit,
  FetchLike,
  DecideRequest,
  Decision,
  Personalization,
  Query,
  ReadOptions,
  ResponseLike,
  TrackedEvent,
  TrackResult,
  VisitorContext,
} from './types';

export interface ClientOptions {
  /** The Strapi app's URL, e.g. `https://cms.example.com`. */
  baseUrl: string;
  /** An API token, when the content is not public. */
  token?: string;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** The visitor's consent: with `analytics: false`, `track` sends nothing. */
  consent?: VisitorContext['consent'];
  /** Events are sent when this many are queued (default 20, at most 500). */
  batchSize?: number;
  /** …or after this many milliseconds (default 2,000; 0 = only on size or `flush()`). */
  flushIntervalMs?: number;
  /** Attempts per batch on network errors and 5xx/429 answers (default 3). */
  retries?: number;
  /** Further attempts of a read or `decide` after a network error or a 502/503/504 (default 2). */
  readRetries?: number;
  /** Each call's time limit in milliseconds, retries included (default 10,000). */
  timeoutMs?: number;
  /** Sends events with `keepalive`, so that a browser finishes them after the page (default true). */
  keepalive?: boolean;
}

/**
 * Why a call failed: the server refused it (`http`), it did not reach the server (`network`), it
 * ran out of time (`timeout`) or was cancelled (`aborted`), or what answered is not the plugin's
 * API (`invalid-response`: a proxy's HTML page, a wrong `baseUrl`).
 */
export type PersonalizeErrorKind = 'http' | 'network' | 'timeout' | 'aborted' | 'invalid-response';

/** A failed call: why, the HTTP status (0 without an answer), Strapi's message and details. */
export class PersonalizeError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: unknown = null,
    readonly kind: PersonalizeErrorKind = 'http'
  ) {
    super(message);
    this.name = 'PersonalizeError';
  }
}

/** Reads try again when the gateway or the server is briefly unavailable. */
const readRetryable = (status: number) => status > 501 && status < 505;
/** Events also after any server error or a 429: they are idempotent by their ids. */
const eventRetryable = (status: number) => status === 429 || status > 499;

/**
 * Node refuses a request whose URL and headers pass 16 KB (`431`, before Strapi sees it): a read
 * whose URL would pass this sends its context in the body of the read's POST form instead.
 */
const MAX_READ_URL = 12_000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Waits `ms`, or less when `signal` aborts meanwhile. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    // The signal belongs to this one call: its listeners go with it.
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** In Node, a timer that must not keep the process alive (browsers' timers are numbers). */
const unref = (timer: ReturnType<typeof setTimeout>) =>
  (timer as unknown as { unref?: () => void }).unref?.();

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
  /** A list's `pagination` and combined `segment`, and whatever else the app's controller adds. */
  meta: { pagination?: ContentPagination; segment?: string; [key: string]: unknown };
}

const noCounts = (): TrackResult => ({ accepted: 0, duplicates: 0, rejected: [] });

export const createPersonalizeClient = (options: ClientOptions) => {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch: FetchLike = options.fetch ?? globalThis.fetch.bind(globalThis);
  const batchSize = Math.min(Math.max(options.batchSize ?? 20, 1), 500);
  const flushIntervalMs = options.flushIntervalMs ?? 2_000;
  const retries = Math.max(options.retries ?? 3, 1);
  const readRetries = Math.max(options.readRetries ?? 2, 0);
  let consent = options.consent;
  let queue: TrackedEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const headers = (json: boolean): Record<string, string> => ({
    ...(json ? { 'Content-Type': 'application/json' } : {}),
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
  });

  /** One request: its answer's JSON, or a `PersonalizeError` saying what went wrong. */
  const request = async <T>(path: string, init: FetchInit): Promise<T> => {
    let response: ResponseLike;
    let text: string;
    try {
      response = await doFetch(`${baseUrl}${path}`, init);
      text = await response.text();
    } catch (error) {
      throw new PersonalizeError(
        `No answer from ${baseUrl}: ${(error as Error).message}`,
        0,
        null,
        'network'
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!isObject(body)) {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new PersonalizeError(
        `${baseUrl}${path}: ${response.status} with ${type}, not the plugin's JSON`,
        response.status,
        null,
        response.ok ? 'invalid-response' : 'http'
      );
    }
    if (!response.ok) {
      const error = isObject(body.error) ? body.error : {};
      throw new PersonalizeError(
        typeof error.message === 'string' ? error.message : `HTTP ${response.status}`,
        response.status,
        error.details ?? null
      );
    }
    return body as T;
  };

  /**
   * A call within its time limit and until its signal aborts, tried again with back-off after a
   * network error or an answer `retryable` names (`retries` more times).
   */
  const call = async <T>(
    path: string,
    init: FetchInit,
    { signal, timeoutMs = options.timeoutMs ?? 10_000 }: CallOptions = {},
    retries: number,
    retryable: (status: number) => boolean
  ): Promise<T> => {
    const controller = new AbortController();
    let timedOut = false;
    const abort = () => controller.abort();
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort);
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await request<T>(path, { ...init, signal: controller.signal });
        } catch (error) {
          if (controller.signal.aborted) {
            throw timedOut
              ? new PersonalizeError(`No answer within ${timeoutMs} ms`, 0, null, 'timeout')
              : new PersonalizeError('Aborted', 0, null, 'aborted');
          }
          const { kind, status } = error as PersonalizeError;
          if ((kind !== 'network' && !retryable(status)) || attempt >= retries) throw error;
          await pause(100 * 2 ** attempt, controller.signal);
        }
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  };

  /**
   * The context goes in the `context` query parameter, not a header: a custom header makes a
   * cross-origin GET preflighted, which Strapi's default CORS settings refuse. A context too large
   * for a URL goes in the body of the read's POST form.
   */
  const read = async <Data, Decisions = Personalization>(
    path: string,
    { context, signal, timeoutMs, ...query }: ReadOptions = {}
  ): Promise<Reading<Data, Decisions>> => {
    const at = (search: string) => `/api/personalize/content/${path}${search ? `?${search}` : ''}`;
    const json = context && JSON.stringify(context);
    let url = at(toQueryString({ ...query, context: json }));
    let init: FetchInit = { headers: headers(false) };
    if (url.length > MAX_READ_URL) {
      url = at(toQueryString(query));
      init = { method: 'POST', headers: headers(true), body: `{"context":${json}}` };
    }
    const body = await call<{ data?: Data; meta?: Record<string, unknown> }>(
      url,
      init,
      { signal, timeoutMs },
      readRetries,
      readRetryable
    );
    if (!isObject(body.meta) || !('personalization' in body.meta) || !('data' in body)) {
      throw new PersonalizeError(
        `${baseUrl}${path}: no meta.personalization, not the plugin's JSON`,
        200,
        null,
        'invalid-response'
      );
    }
    const { personalization, ...meta } = body.meta as { personalization: Decisions };
    return { data: body.data as Data, personalization, meta };
  };

  const send = async (events: TrackedEvent[]) =>
    (
      await call<{ data: TrackResult }>(
        '/api/personalize/events',
        {
          method: 'POST',
          headers: headers(true),
          body: JSON.stringify({ events }),
          keepalive: options.keepalive ?? true,
        },
        {},
        retries - 1,
        eventRetryable
      )
    ).data;

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

  const enqueue = (events: TrackedEvent[]) => {
    for (const event of events) {
      queue.push({
        ...event,
        id: event.id ?? randomId(),
        timestamp: event.timestamp ?? Date.now(),
      });
    }
    if (queue.length >= batchSize) void drain().catch(() => undefined);
    else if (flushIntervalMs > 0 && timer === undefined) {
      timer = setTimeout(() => void drain().catch(() => undefined), flushIntervalMs);
      // A queued event never keeps a Node process alive: serverless code awaits flush().
      unref(timer);
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

    /**
     * The decision without the content. `targetUid` names the type as reads do (`articles`,
     * `homepage`) or by its UID (`api::homepage.homepage`).
     */
    decide: async (input: DecideRequest, callOptions?: CallOptions) =>
      (
        await call<{ data: Decision }>(
          '/api/personalize/decide',
          { method: 'POST', headers: headers(true), body: JSON.stringify(input) },
          callOptions,
          readRetries,
          readRetryable
        )
      ).data,

    /**
     * Queues events (sent on size, on a timer, on page hide, or by `flush()`); nothing is queued
     * when the visitor refused analytics.
     */
    track(events: TrackedEvent | TrackedEvent[]) {
      if (consent?.analytics === false) return;
      enqueue(Array.isArray(events) ? events : [events]);
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
