/**
 * Helpers for a frontend's server and edge code (`strapi-plugin-personalize/client/server`): the
 * visitor context of a Web-standard `Request`, a first-party visitor id cookie kept only with
 * consent, and a cache key for CDN and framework caches. No Node built-in: they run in Node 20,
 * Next.js and Nuxt server code and edge workers alike.
 */
import { deviceFromUserAgent } from '../../server/src/engine/device';
import { previewToken, utmOf } from './context';
import { randomId } from './random-id';
import { externalReferrer } from './referrer';
import type { VisitorContext } from './types';

/** The part of a `Request` the helpers read (Node's, a framework's or an edge runtime's). */
export interface RequestLike {
  url: string;
  headers: { get(name: string): string | null };
}

/** The cookie that keeps the visitor's consent: the purposes granted, comma-separated. */
export const CONSENT_COOKIE = 'personalize-consent';
/** The cookie that keeps a visitor id, with consent to personalization only. */
export const VISITOR_ID_COOKIE = 'personalize-vid';

const VISITOR_ID = /^[\w-]{1,128}$/;

/** The cookies of a request, by name (the first of a name wins, as browsers send the most specific first). */
export const cookiesOf = (request: RequestLike): Map<string, string> => {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // A value that is not percent-encoding: not one of ours.
    }
  }
  return cookies;
};

/**
 * The consent a cookie states: `personalization`, `analytics`, both (`personalization,analytics`)
 * or none (an empty value: both refused). No cookie: the visitor has not answered.
 */
export const consentOf = (value: string | undefined): VisitorContext['consent'] => {
  if (value === undefined) return undefined;
  const granted = new Set(value.split(',').map((purpose) => purpose.trim()));
  return { personalization: granted.has('personalization'), analytics: granted.has('analytics') };
};

export interface RequestContextOptions {
  /**
   * The header in which a CDN puts the visitor's country (ISO 3166-1 alpha-2), e.g.
   * `cf-ipcountry` (Cloudflare) or `x-vercel-ip-country` (Vercel). None by default.
   */
  countryHeader?: string;
  /** Default `personalize-consent` (see `consentOf`). */
  consentCookie?: string;
  /** Default `personalize-vid`: read only with consent to personalization. */
  visitorIdCookie?: string;
  /**
   * Whether a preview link's token in the URL (`?personalize_preview=`) is sent as the context's
   * `preview` (default true).
   */
  preview?: boolean;
  /** Whatever else the app knows: a self-declared persona, traits, the locale… */
  extra?: Omit<VisitorContext, 'consent' | 'visitorId'>;
}

/**
 * The visitor context of a page request: the URL's `utm_*` parameters, another site's referrer,
 * the device class from the User-Agent, the country from the CDN's header, a preview link's token
 * (`?personalize_preview=`), the consent from its cookie and, with consent to personalization, the
 * visitor id from its cookie.
 */
export const contextFromRequest = (
  request: RequestLike,
  options: RequestContextOptions = {}
): VisitorContext => {
  const cookies = cookiesOf(request);
  const consent = consentOf(cookies.get(options.consentCookie ?? CONSENT_COOKIE));
  const userAgent = request.headers.get('user-agent');
  const country = options.countryHeader ? request.headers.get(options.countryHeader) : null;
  const referrer = externalReferrer(request.headers.get('referer') ?? '', request.url);
  const utm = utmOf(request.url);
  const preview = options.preview !== false && previewToken(request.url);
  const visitorId = cookies.get(options.visitorIdCookie ?? VISITOR_ID_COOKIE);
  return {
    ...(userAgent ? { device: deviceFromUserAgent(userAgent) } : {}),
    ...(utm ? { utm } : {}),
    ...(referrer ? { referrer } : {}),
    ...(country && /^[A-Za-z]{2}$/.test(country)
      ? { geo: { country: country.toUpperCase() } }
      : {}),
    ...(preview ? { preview } : {}),
    ...options.extra,
    ...(consent ? { consent } : {}),
    ...(consent?.personalization && visitorId && VISITOR_ID.test(visitorId) ? { visitorId } : {}),
  };
};

export interface VisitorIdCookieOptions {
  /** Default `personalize-vid`. */
  name?: string;
  /** Default 390 days (13 months, the longest many consent rules allow). */
  maxAgeDays?: number;
  /** Default true; false for `http://localhost` in development. */
  secure?: boolean;
}

/**
 * The visitor id of this request and the `Set-Cookie` header value that keeps it, with consent to
 * personalization only: a new id when the request has none. Consent refused: no id, and a
 * `Set-Cookie` that deletes a kept one. No answer yet: neither.
 */
export const visitorIdCookie = (
  request: RequestLike,
  consent: VisitorContext['consent'],
  { name = VISITOR_ID_COOKIE, maxAgeDays = 390, secure = true }: VisitorIdCookieOptions = {}
): { visitorId?: string; setCookie?: string } => {
  const attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  if (consent?.personalization === false) {
    return { setCookie: `${name}=; Max-Age=0; ${attributes}` };
  }
  if (consent?.personalization !== true) return {};
  const kept = cookiesOf(request).get(name);
  const visitorId = kept && VISITOR_ID.test(kept) ? kept : randomId();
  return {
    visitorId,
    setCookie: `${name}=${visitorId}; Max-Age=${Math.round(maxAgeDays * 86_400)}; ${attributes}`,
  };
};

/** Query parameters that say where a visitor came from, not which page they asked for. */
const TRACKING_PARAMS = /^(utm_\w+|gclid|fbclid|msclkid|personalize-context)$/;

/**
 * A cache key for a personalized page: its URL without the parameters that only say where the
 * visitor came from (`utm_*`, click ids; the decision reflects them), the others sorted, and the
 * segment the delivery answered (`X-Personalize-Segment`, `meta.personalization.segment`): the
 * same key, the same content.
 */
export const cacheKey = (url: string, segment: string): string => {
  const parsed = new URL(url);
  const params = [...parsed.searchParams]
    .filter(([key]) => !TRACKING_PARAMS.test(key))
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  const search = new URLSearchParams(params).toString();
  return `${parsed.origin}${parsed.pathname}${search ? `?${search}` : ''}#${segment}`;
};
