/**
 * Building a visitor context in the browser from what the page can know without cookies: the
 * landing URL's UTM parameters and referrer, the device class, and, only with the visitor's
 * consent to personalization, a visit count, journey events and a generated visitorId kept in
 * `localStorage`. Without that consent nothing is read from or written to storage.
 */
import { externalReferrer } from './referrer';
import { randomId } from './random-id';
import type { VisitorContext } from './types';

/** The part of the Web Storage API used here (`localStorage` by default). */
export interface VisitorStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface BrowserContextOptions {
  /** What the visitor agreed to; storage is used only with `personalization: true`. */
  consent?: VisitorContext['consent'];
  /** Default: `localStorage` when the page has one. */
  storage?: VisitorStorage | null;
  /** The page's URL (default `location.href`): its `utm_*` parameters and a preview link's token. */
  url?: string;
  /**
   * Whether a preview link's token in the URL (`?personalize_preview=`) is sent as the context's
   * `preview` (default true).
   */
  preview?: boolean;
  /** Default `document.referrer`; a referrer on the page's own site is ignored. */
  referrer?: string;
  /** The viewport width in CSS pixels (default `innerWidth`): the device class. */
  width?: number;
  /** The clock, for tests and simulations (default `Date.now()`). */
  now?: number;
  /** Anything the page knows besides: a self-declared persona, traits, the locale… */
  extra?: Omit<VisitorContext, 'consent'>;
}

/** What is kept in storage, under one key, with consent only. */
interface StoredVisitor {
  visitorId: string;
  visits: number;
  lastSeen: number;
  events: string[];
  landing: Pick<VisitorContext, 'utm' | 'referrer'>;
}

export const STORAGE_KEY = 'personalize:visitor';
/** A visit ends after 30 minutes without a page view (the common web-analytics definition). */
export const VISIT_TIMEOUT_MS = 30 * 60_000;
const MAX_EVENTS = 100;
const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

const defaultStorage = (): VisitorStorage | null => {
  try {
    return localStorage ?? null;
  } catch {
    return null; // No Web Storage here, or access denied (sandboxed frame, storage disabled).
  }
};

/** `mobile` below 768 px, `tablet` below 1024 px, `desktop` above. */
export const deviceClass = (width: number): VisitorContext['device'] =>
  width < 768 ? 'mobile' : width < 1024 ? 'tablet' : 'desktop';

/** The `utm_*` parameters of a URL, or undefined when it has none. */
export const utmOf = (url: string): VisitorContext['utm'] => {
  const params = new URL(url, 'http://localhost').searchParams;
  const utm: NonNullable<VisitorContext['utm']> = {};
  for (const key of UTM_KEYS) {
    const value = params.get(`utm_${key}`);
    if (value) utm[key] = value.slice(0, 256);
  }
  return Object.keys(utm).length > 0 ? utm : undefined;
};

const read = (storage: VisitorStorage): StoredVisitor | null => {
  try {
    // JSON.parse(null) is null: nothing stored.
    const stored = JSON.parse(storage.getItem(STORAGE_KEY) as string) as StoredVisitor | null;
    return stored && typeof stored.visitorId === 'string' ? stored : null;
  } catch {
    return null;
  }
};

const write = (storage: VisitorStorage, visitor: StoredVisitor) => {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(visitor));
  } catch {
    // Full or denied: the context is still returned, it is just not remembered.
  }
};

const hasConsent = (consent: VisitorContext['consent']) => consent?.personalization === true;

/**
 * The visitor context for this page view. With `consent.personalization === true` it counts
 * visits, remembers the landing page's UTM parameters and referrer for the whole visit and adds
 * the stored journey events and visitorId; with `personalization: false` it erases what was
 * stored; without a consent answer it neither reads nor writes storage.
 */
export const browserContext = (options: BrowserContextOptions = {}): VisitorContext => {
  const { consent, extra } = options;
  const url = options.url ?? (typeof location === 'undefined' ? '' : location.href);
  const referrer = externalReferrer(
    options.referrer ?? (typeof document === 'undefined' ? '' : document.referrer),
    url
  );
  const width = options.width ?? (typeof innerWidth === 'number' ? innerWidth : undefined);
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const now = options.now ?? Date.now();
  const utm = utmOf(url);
  const preview = options.preview !== false && previewToken(url);
  const landing: StoredVisitor['landing'] = {
    ...(utm ? { utm } : {}),
    ...(referrer ? { referrer } : {}),
  };

  const context: VisitorContext = {
    ...(width === undefined ? {} : { device: deviceClass(width) }),
    ...landing,
    ...(preview ? { preview } : {}),
    ...extra,
    ...(consent ? { consent } : {}),
  };
  if (!storage) return context;
  if (consent?.personalization === false) {
    forgetVisitor(storage);
    return context;
  }
  if (!hasConsent(consent)) return context;

  const stored = read(storage);
  const newVisit = !stored || now - stored.lastSeen > VISIT_TIMEOUT_MS;
  const visitor: StoredVisitor = {
    visitorId: stored?.visitorId ?? randomId(),
    visits: (stored?.visits ?? 0) + (newVisit ? 1 : 0),
    lastSeen: Math.max(now, stored?.lastSeen ?? 0),
    events: stored?.events ?? [],
    // A visit keeps the campaign it started with, unless a new campaign link opened this page.
    landing: newVisit || utm ? landing : (stored?.landing ?? landing),
  };
  write(storage, visitor);
  return {
    ...context,
    ...visitor.landing,
    visitorId: visitor.visitorId,
    visits: visitor.visits,
    ...(visitor.events.length > 0
      ? { events: [...new Set([...visitor.events, ...(extra?.events ?? [])])] }
      : {}),
  };
};

/** Remembers a journey event (e.g. `configurator_completed`), with consent to personalization only. */
export const rememberEvent = (
  event: string,
  options: Pick<BrowserContextOptions, 'consent' | 'storage'> = {}
): boolean => {
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  if (!storage || !hasConsent(options.consent)) return false;
  const stored = read(storage) ?? {
    visitorId: randomId(),
    visits: 1,
    lastSeen: Date.now(),
    events: [],
    landing: {},
  };
  const events = [...stored.events.filter((known) => known !== event), event.slice(0, 128)];
  write(storage, { ...stored, events: events.slice(-MAX_EVENTS) });
  return true;
};

/** Erases everything `browserContext` stored (consent withdrawn, or a "forget me" link). */
export const forgetVisitor = (storage: VisitorStorage | null = defaultStorage()) => {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // Storage denied: nothing was stored either.
  }
};

/** The query parameter of the admin's preview link ("Open in storefront as this visitor"). */
export const PREVIEW_CONTEXT_PARAM = 'personalize-context';

/**
 * The visitor context an editor's preview link carries (`?personalize-context=`, base64url JSON,
 * see the plugin's `previewUrl` option), or null when the URL has none or it is not a JSON
 * object. The delivery API validates it like any other context.
 */
export const previewContext = (
  url = typeof location === 'undefined' ? '' : location.href
): VisitorContext | null => {
  const encoded = new URL(url, 'http://localhost').searchParams.get(PREVIEW_CONTEXT_PARAM);
  if (!encoded) return null;
  try {
    // base64url to bytes, bytes to %-escapes, UTF-8 %-escapes to text (the shortest decoding).
    const json = decodeURIComponent(escape(atob(encoded.replace(/-/g, '+').replace(/_/g, '/'))));
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as VisitorContext)
      : null;
  } catch {
    return null; // Not base64url JSON: the page plays its own visitor.
  }
};

/** The query parameter of a preview link (`POST /personalize/preview-links` creates its token). */
export const PREVIEW_TOKEN_PARAM = 'personalize_preview';

/**
 * A preview link's token in the URL (`?personalize_preview=`), or null: sent as the context's
 * `preview`, it forces what the link forces (a persona, a stage, an experiment arm), and nothing
 * is recorded for the view. The server checks it; an invalid or expired one is ignored with a
 * warning. `browserContext()` adds it by itself.
 */
export const previewToken = (
  url = typeof location === 'undefined' ? '' : location.href
): string | null => new URL(url, 'http://localhost').searchParams.get(PREVIEW_TOKEN_PARAM) || null;
