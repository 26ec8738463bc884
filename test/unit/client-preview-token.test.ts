/**
 * A preview link on the frontend: the client reads its token from the page's URL
 * (`?personalize_preview=`) and `browserContext()` sends it as the context's `preview`, which the
 * server checks (server/src/utils/preview-token.test.ts).
 */
import {
  PREVIEW_CONTEXT_PARAM,
  PREVIEW_TOKEN_PARAM,
  STORAGE_KEY,
  browserContext,
  previewContext,
  previewToken,
} from '../../client/src';
import { profileContext } from '../../client/src/profiles';
import { contextFromRequest } from '../../client/src/server';
import { signPreviewToken } from '../../server/src/utils/preview-token';
import { MemoryStorage } from '../helpers/memory-storage';

const TOKEN = signPreviewToken(
  'a secret',
  { persona: 'family', experiment: 'homepage-cta', arm: 'b' },
  new Date('2999-01-01T00:00:00Z')
);
const SHOP = 'https://www.nordwind.example/';
const linked = `${SHOP}?utm_source=slack&${PREVIEW_TOKEN_PARAM}=${TOKEN}`;
const consented = { personalization: true, analytics: true };

describe('previewToken', () => {
  it('reads the token of a preview link, from an absolute or a relative URL', () => {
    expect(PREVIEW_TOKEN_PARAM).toBe('personalize_preview');
    expect(previewToken(linked)).toBe(TOKEN);
    expect(previewToken(`/models?${PREVIEW_TOKEN_PARAM}=${TOKEN}#top`)).toBe(TOKEN);
    expect(previewToken(`/?${PREVIEW_TOKEN_PARAM}=${encodeURIComponent(TOKEN)}`)).toBe(TOKEN);
  });

  it('answers null without one, with an empty one, and where there is no page', () => {
    expect(previewToken(SHOP)).toBeNull();
    expect(previewToken(`${SHOP}?${PREVIEW_TOKEN_PARAM}=`)).toBeNull();
    expect(previewToken(`${SHOP}?personalize-preview=${TOKEN}`)).toBeNull();
    expect(previewToken()).toBeNull(); // No page (Node): no location.
  });

  it('passes any text on as it is: the server checks it', () => {
    expect(previewToken(`${SHOP}?${PREVIEW_TOKEN_PARAM}=not-a-token`)).toBe('not-a-token');
  });
});

describe('browserContext with a preview link', () => {
  it('sends the token as the context’s preview, next to what the URL says', () => {
    expect(browserContext({ storage: null, url: linked })).toStrictEqual({
      utm: { source: 'slack' },
      preview: TOKEN,
    });
    expect(browserContext({ storage: null, url: SHOP })).toStrictEqual({});
  });

  it('leaves it out with `preview: false`; the page’s own `extra.preview` wins', () => {
    expect(browserContext({ storage: null, url: linked, preview: false })).toStrictEqual({
      utm: { source: 'slack' },
    });
    expect(
      browserContext({ storage: null, url: linked, extra: { preview: 'from-the-page' } }).preview
    ).toBe('from-the-page');
  });

  it('never stores it: the next page without the link has no preview', () => {
    const storage = new MemoryStorage();
    const first = browserContext({ storage, url: linked, consent: consented });
    expect(first).toMatchObject({ preview: TOKEN, visits: 1 });
    expect(storage.getItem(STORAGE_KEY)).not.toContain(TOKEN);
    const next = browserContext({ storage, url: `${SHOP}models`, consent: consented });
    expect(next.preview).toBeUndefined();
    expect(next.visitorId).toBe(first.visitorId);
  });

  it('reads the page’s location by default; profileContext, which sends only the id, does not', () => {
    Object.defineProperty(globalThis, 'location', { value: new URL(linked), configurable: true });
    try {
      expect(previewToken()).toBe(TOKEN);
      expect(browserContext({ storage: null }).preview).toBe(TOKEN);
      expect(profileContext({ storage: null })).toStrictEqual({});
      expect(profileContext({ storage: null, extra: { preview: TOKEN } })).toStrictEqual({
        preview: TOKEN,
      });
    } finally {
      delete (globalThis as { location?: unknown }).location;
    }
    expect(previewToken()).toBeNull();
  });

  it('goes with an editor’s previewed visitor, each read from its own parameter', () => {
    const context = { persona: 'fleet', traits: { city: 'Zürich' } };
    const encoded = Buffer.from(JSON.stringify(context)).toString('base64url');
    const url = `${SHOP}?${PREVIEW_CONTEXT_PARAM}=${encoded}&${PREVIEW_TOKEN_PARAM}=${TOKEN}`;
    expect(previewContext(url)).toEqual(context);
    expect(previewToken(url)).toBe(TOKEN);
    // Not UTF-8 once decoded: no previewed visitor, as for any broken value.
    const broken = Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url');
    expect(previewContext(`${SHOP}?${PREVIEW_CONTEXT_PARAM}=${broken}`)).toBeNull();
  });
});

describe('contextFromRequest with a preview link', () => {
  const request = (url: string) => ({ url, headers: new Headers({ cookie: '' }) });

  it('sends the token of the requested URL as the context’s preview, unless told not to', () => {
    expect(contextFromRequest(request(linked))).toStrictEqual({
      utm: { source: 'slack' },
      preview: TOKEN,
    });
    expect(contextFromRequest(request(linked), { preview: false })).toStrictEqual({
      utm: { source: 'slack' },
    });
    expect(contextFromRequest(request(SHOP))).toStrictEqual({});
  });
});
