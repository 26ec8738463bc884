import { createHash, createHmac, randomBytes } from 'node:crypto';

import {
  previewSecret,
  signPreviewToken,
  verifyPreviewToken,
  type PreviewGrant,
} from './preview-token';

const SECRET = previewSecret(['key-a', 'key-b']);
const NOW = new Date('2026-11-25T09:00:00.000Z');
const IN_A_DAY = new Date(NOW.getTime() + 24 * 60 * 60_000);
const GRANT: PreviewGrant = {
  persona: 'family',
  stage: 'consider',
  experiment: 'homepage-cta',
  arm: 'b',
};

/** A token signed over a payload of our choosing, to reach the checks after the signature. */
const signRaw = (payload: unknown, secret = SECRET) => {
  const payloadPart = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${payloadPart}.${createHmac('sha256', secret).update(payloadPart).digest('base64url')}`;
};

const exp = Math.floor(IN_A_DAY.getTime() / 1000);

describe('signPreviewToken and verifyPreviewToken', () => {
  it('round-trip every grant, with its expiry', () => {
    for (const grant of [
      GRANT,
      { persona: 'fleet' },
      { stage: 'decide' },
      { experiment: 'homepage-cta' },
      { experiment: 'homepage-cta', arm: 'control', persona: 'fact-seeker' },
      {},
    ] satisfies PreviewGrant[]) {
      const token = signPreviewToken(SECRET, grant, IN_A_DAY);
      expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({
        ok: true,
        grant,
        expiresAt: IN_A_DAY,
      });
    }
  });

  it('carry a compact payload with short keys, in Unix seconds rounded down', () => {
    const token = signPreviewToken(SECRET, GRANT, new Date(IN_A_DAY.getTime() + 999));
    const payload: unknown = JSON.parse(
      Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')
    );
    expect(payload).toEqual({ v: 1, p: 'family', s: 'consider', e: 'homepage-cta', a: 'b', exp });
    expect(verifyPreviewToken(SECRET, token, NOW)).toMatchObject({ expiresAt: IN_A_DAY });
  });

  it('stay well under the 1,024 characters of context.preview with 128-character keys', () => {
    const long = (c: string) => c.repeat(128);
    const token = signPreviewToken(
      SECRET,
      { persona: long('p'), stage: long('s'), experiment: long('e'), arm: long('a') },
      new Date('2999-12-31T23:59:59Z')
    );
    expect(token.length).toBeLessThan(850);
    expect(verifyPreviewToken(SECRET, token, NOW).ok).toBe(true);
  });

  it('keep any text of a field, unicode included', () => {
    const grant = { persona: 'zürich "quoted" ✓', stage: '.' };
    const token = signPreviewToken(SECRET, grant, IN_A_DAY);
    expect(verifyPreviewToken(SECRET, token, NOW)).toMatchObject({ ok: true, grant });
  });

  it('expire at the exact second of the expiry, not a millisecond before', () => {
    const token = signPreviewToken(SECRET, GRANT, IN_A_DAY);
    const at = (ms: number) => verifyPreviewToken(SECRET, token, new Date(ms));
    expect(at(IN_A_DAY.getTime() - 1).ok).toBe(true);
    expect(at(IN_A_DAY.getTime())).toEqual({ ok: false, reason: 'expired' });
    expect(at(IN_A_DAY.getTime() + 1)).toEqual({ ok: false, reason: 'expired' });
    expect(at(Number.NaN)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token signed with another secret', () => {
    const token = signPreviewToken(previewSecret(['other-key']), GRANT, IN_A_DAY);
    expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyPreviewToken(previewSecret(['other-key']), token, NOW).ok).toBe(true);
  });

  it('refuse a tampered payload or signature', () => {
    const token = signPreviewToken(SECRET, { persona: 'family' }, IN_A_DAY);
    const [payloadPart, signaturePart] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, p: 'fleet', exp })).toString('base64url');
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;

    for (const tampered of [
      `${forged}.${signaturePart}`,
      `${flip(payloadPart, 3)}.${signaturePart}`,
      `${payloadPart}.${flip(signaturePart, 0)}`,
      `${payloadPart}.${flip(signaturePart, 42)}`,
      `${payloadPart}.${signaturePart.slice(0, -1)}`,
      `${payloadPart}.${signaturePart}A`,
      `${payloadPart}.${Buffer.from(signaturePart, 'base64url').toString('hex')}`,
    ]) {
      expect(verifyPreviewToken(SECRET, tampered, NOW)).toEqual({ ok: false, reason: 'signature' });
    }
  });

  it('refuse signed payloads of another version, with non-string fields or an arm alone', () => {
    for (const payload of [
      { v: 2, p: 'family', exp },
      { p: 'family', exp },
      { v: '1', p: 'family', exp },
      { v: 1, p: 'family' },
      { v: 1, p: 'family', exp: String(exp) },
      { v: 1, p: 'family', exp: exp + 0.5 },
      { v: 1, p: 42, exp },
      { v: 1, s: null, exp },
      { v: 1, e: ['homepage-cta'], exp },
      { v: 1, e: 'homepage-cta', a: { key: 'b' }, exp },
      { v: 1, p: '', exp },
      { v: 1, a: 'b', exp },
      { v: 1, p: 'family', exp, x: 'unknown' },
      [1, 'family', exp],
      'family',
      null,
      42,
    ]) {
      expect(verifyPreviewToken(SECRET, signRaw(payload), NOW)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
    const notJson = Buffer.from('{v:1}').toString('base64url');
    const token = `${notJson}.${createHmac('sha256', SECRET).update(notJson).digest('base64url')}`;
    expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuse malformed tokens', () => {
    const valid = signPreviewToken(SECRET, GRANT, IN_A_DAY);
    for (const token of [
      '',
      '.',
      'abc',
      `${valid}.x`,
      `.${valid.split('.')[1]}`,
      `${valid.split('.')[0]}.`,
      valid.replace('.', ' .'),
      valid.replace(/^./, '+'),
      `${valid}=`,
      `${'A'.repeat(1_024)}.${valid.split('.')[1]}`,
    ]) {
      expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('never throw, whatever they are given', () => {
    const alphabet = 'ABCxyz019-_.+/= {}"\u0000é✓';
    const random = (length: number) =>
      Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
    const valid = signPreviewToken(SECRET, GRANT, IN_A_DAY);
    const inputs: unknown[] = [undefined, null, 42, {}, [], ['a', 'b'], Symbol('token')];
    for (let i = 0; i < 300; i += 1) {
      inputs.push(random(i % 80));
      inputs.push(
        `${randomBytes(i % 60).toString('base64url')}.${randomBytes(32).toString('base64url')}`
      );
      const at = i % valid.length;
      const other = random(1);
      if (other !== valid[at]) inputs.push(`${valid.slice(0, at)}${other}${valid.slice(at + 1)}`);
    }
    for (const input of inputs) {
      const check = verifyPreviewToken(SECRET, input as string, NOW);
      expect(check.ok).toBe(false);
    }
    expect(verifyPreviewToken(undefined as unknown as string, valid, NOW).ok).toBe(false);
    expect(verifyPreviewToken(SECRET, valid, undefined as unknown as Date).ok).toBe(false);
  });

  it('refuse to sign an arm without its experiment, an empty field or an invalid date', () => {
    expect(() => signPreviewToken(SECRET, { arm: 'b' }, IN_A_DAY)).toThrow(/arm needs/);
    expect(() => signPreviewToken(SECRET, { persona: '' }, IN_A_DAY)).toThrow(/persona/);
    expect(() => signPreviewToken(SECRET, GRANT, new Date(Number.NaN))).toThrow(/expiry/);
  });
});

describe('previewSecret', () => {
  it('derives a key from the app keys, distinct from the visitor-id key', () => {
    const keys = ['key-a', 'key-b'];
    const visitorIdKey = createHash('sha256')
      .update(`strapi-plugin-personalize:visitor-id:${keys.join(',')}`)
      .digest('hex');
    expect(previewSecret(keys)).toMatch(/^[0-9a-f]{64}$/);
    expect(previewSecret(keys)).toBe(previewSecret([...keys]));
    expect(previewSecret(keys)).not.toBe(visitorIdKey);
    expect(previewSecret(keys)).not.toBe(previewSecret(['key-a']));
    expect(previewSecret(undefined)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses a configured secret as it is', () => {
    expect(previewSecret(['key-a'], 'a configured secret of some length')).toBe(
      'a configured secret of some length'
    );
    expect(previewSecret(['key-a'], '')).toBe(previewSecret(['key-a']));
  });
});
