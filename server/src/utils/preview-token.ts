/**
 * Preview links' tokens: what an editor hands to QA and stakeholders (`POST
 * /personalize/preview-links`) to force a persona, a stage and/or an experiment arm, sent back by
 * frontends as `context.preview`. A compact, signed and expiring token: `base64url(JSON payload)`
 * `.` `base64url(HMAC-SHA256(secret, payload part))`, the payload `{ v: 1, p?, s?, e?, a?, exp }`
 * (persona, stage, experiment key, arm key, expiry in Unix seconds), short keys because it travels
 * in URLs and headers. The payload is signed, not encrypted: whoever holds a link can read what it
 * forces.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a preview link forces. `arm` (an arm's key) needs `experiment` (the experiment's key). */
export interface PreviewGrant {
  persona?: string;
  stage?: string;
  experiment?: string;
  arm?: string;
}

export type PreviewTokenCheck =
  | { ok: true; grant: PreviewGrant; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

const VERSION = 1;
/** The longest token read (the context's `preview` field holds 1,024 characters). */
const MAX_TOKEN_LENGTH = 1_024;
/** The payload's short keys, by the grant's field. */
const FIELDS = [
  ['persona', 'p'],
  ['stage', 's'],
  ['experiment', 'e'],
  ['arm', 'a'],
] as const;
const PAYLOAD_KEYS = new Set<string>(['v', 'exp', ...FIELDS.map(([, key]) => key)]);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const signatureOf = (secret: string, payloadPart: string) =>
  createHmac('sha256', secret).update(payloadPart).digest('base64url');

/**
 * The token of `grant`, valid until `expiresAt` (rounded down to the second, so it never outlives
 * it). Throws a TypeError for an `arm` without `experiment`, an empty field or an invalid date:
 * callers validate what they sign.
 */
export const signPreviewToken = (secret: string, grant: PreviewGrant, expiresAt: Date): string => {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(exp)) throw new TypeError('A preview link needs a valid expiry date.');
  if (grant.arm !== undefined && grant.experiment === undefined) {
    throw new TypeError("A preview link's arm needs its experiment.");
  }
  const payload: Record<string, string | number> = { v: VERSION };
  for (const [field, key] of FIELDS) {
    const value = grant[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`A preview link's ${field} must be a non-empty string.`);
    }
    payload[key] = value;
  }
  payload.exp = exp;
  const payloadPart = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${payloadPart}.${signatureOf(secret, payloadPart)}`;
};

const grantOf = (payload: unknown): { grant: PreviewGrant; exp: number } | null => {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const record = payload as Record<string, unknown>;
  if (record.v !== VERSION || !Number.isSafeInteger(record.exp)) return null;
  if (Object.keys(record).some((key) => !PAYLOAD_KEYS.has(key))) return null;
  const grant: PreviewGrant = {};
  for (const [field, key] of FIELDS) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') return null;
    grant[field] = value;
  }
  if (grant.arm !== undefined && grant.experiment === undefined) return null;
  return { grant, exp: record.exp as number };
};

/**
 * What a token grants, checked against `secret` (compared in constant time) and the clock `now`
 * (a token is expired from its expiry second on); never throws, whatever `token` is.
 */
export const verifyPreviewToken = (secret: string, token: string, now: Date): PreviewTokenCheck => {
  try {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
      return { ok: false, reason: 'malformed' };
    }
    const parts = token.split('.');
    if (parts.length !== 2 || !parts.every((part) => BASE64URL.test(part))) {
      return { ok: false, reason: 'malformed' };
    }
    const [payloadPart, signaturePart] = parts as [string, string];
    const expected = Buffer.from(signatureOf(secret, payloadPart), 'utf8');
    const given = Buffer.from(signaturePart, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'signature' };
    }
    const decoded = grantOf(JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')));
    if (!decoded) return { ok: false, reason: 'malformed' };
    const expiresAt = new Date(decoded.exp * 1000);
    // Not `>=`: an invalid `now` (NaN) counts as expired.
    if (!(now.getTime() < expiresAt.getTime())) return { ok: false, reason: 'expired' };
    return { ok: true, grant: decoded.grant, expiresAt };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
};

/**
 * The key preview links are signed with: `configured` when set, else derived from the app's
 * `server.app.keys` under a label of its own, so that it differs from the visitor-id HMAC key
 * (services/events/visitor-hash.ts) derived from the same keys. Rotating the app keys (or the
 * configured secret) revokes every link.
 */
export const previewSecret = (
  appKeys: readonly string[] | undefined,
  configured?: string
): string =>
  configured ||
  createHash('sha256')
    .update(`strapi-plugin-personalize:preview-link:${appKeys?.join(',') ?? ''}`)
    .digest('hex');
