/**
 * What the delivery API takes and answers, as the client sees it: the server's contracts
 * (server/src/contracts/), imported type-only so that zod stays out of the client's bundle.
 */
import type { VisitorContext } from '../../server/src/contracts/delivery';

export type {
  ContentPagination,
  DecideRequest,
  DecisionResponse as Decision,
  Personalization,
  VisitorContext,
} from '../../server/src/contracts/delivery';
export type { TrackedEvent, TrackResult } from '../../server/src/contracts/events';

export type Query = Record<string, unknown>;

/**
 * What cancels a call: an `AbortSignal`, typed by the little the client uses of it, so that the
 * client's types need neither the DOM library nor Node's.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The runtime's `AbortSignal` where its types are loaded (DOM or Node's), else the part used here. */
type RuntimeAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer Signal } }
  ? Signal
  : AbortSignalLike;

/** What the client passes to `fetch`. */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: RuntimeAbortSignal;
  keepalive?: boolean;
}

/** The part of a `fetch` answer the client reads. */
export interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * A `fetch` implementation: the global one of browsers, Node 20+ and edge runtimes, or one of
 * your own (a proxy, a test double). Typed without the DOM library.
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

/** Options of every call. */
export interface CallOptions {
  /** Cancels the call, retries included: it rejects with a `PersonalizeError` (`aborted`). */
  signal?: AbortSignalLike;
  /** Gives up after this many milliseconds, retries included (default: the client's). */
  timeoutMs?: number;
}

/** A read's query: core REST's parameters, the visitor context, and the call's options. */
export interface ReadOptions extends CallOptions {
  context?: VisitorContext;
  locale?: string;
  populate?: unknown;
  fields?: string | string[];
  filters?: Query;
  sort?: string | string[];
  pagination?: {
    page?: number;
    pageSize?: number;
    start?: number;
    limit?: number;
    withCount?: boolean;
  };
  /** The delivery serves published content only. */
  status?: 'published';
  /** `false`: decide without recording a page view in the visitor's profile (a prefetch). */
  track?: boolean;
}
