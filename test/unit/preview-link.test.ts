/**
 * The admin preview's link to the app's frontend: the `previewUrl` option, validated at start-up;
 * the server fills it in for a previewed visitor, and the client's `previewContext()` reads the
 * visitor back on the frontend.
 */
import { PREVIEW_CONTEXT_PARAM, previewContext } from '../../client/src';
import config from '../../server/src/config';
import { previewUrlFor } from '../../server/src/utils/preview-url';

const STOREFRONT = '/?locale={locale}&personalize-context={context}';

describe('the previewUrl option', () => {
  it('is off by default and accepts an http(s) URL or a path with {context}', () => {
    expect(config.default.previewUrl).toBeNull();
    for (const previewUrl of [
      STOREFRONT,
      'https://shop.example/{locale}/preview?personalize-context={context}&id={documentId}',
      'http://localhost:3000/?personalize-context={context}',
    ]) {
      expect(() => config.validator({ previewUrl })).not.toThrow();
    }
  });

  it.each([
    ['a script URL', 'javascript:alert(1)//{context}', /http\(s\) URL or a path/],
    ['a protocol-relative URL', '//evil.example/?c={context}', /http\(s\) URL or a path/],
    ['a URL without the context', 'https://shop.example/', /must contain \{context\}/],
  ])('refuses %s', (_name, previewUrl, reason) => {
    expect(() => config.validator({ previewUrl })).toThrow(reason);
  });
});

describe('a previewed visitor, from the server to the frontend', () => {
  const context = {
    persona: 'family',
    visits: 3,
    traits: { city: 'Zürich', note: 'a+b/c?d=e&f' },
  };

  it('travels as base64url JSON in the URL and comes back as the same context', () => {
    const url = previewUrlFor(STOREFRONT, { context, locale: 'de', documentId: null });
    expect(url).toMatch(/^\/\?locale=de&personalize-context=[A-Za-z0-9_-]+$/);
    expect(previewContext(new URL(String(url), 'https://shop.example').toString())).toEqual(
      context
    );
  });

  it('fills the locale and the entry, encoded, and an empty context without one', () => {
    const url = previewUrlFor('https://shop.example/{locale}/{documentId}?p={context}', {
      context: undefined,
      locale: 'de-CH',
      documentId: 'a b',
    });
    expect(url).toBe(
      `https://shop.example/de-CH/a%20b?p=${Buffer.from('{}').toString('base64url')}`
    );
    expect(previewUrlFor(null, { context, locale: 'en', documentId: null })).toBeNull();
  });

  it('reads nothing from a URL without the parameter or with a broken one', () => {
    expect(previewContext('https://shop.example/?persona=family')).toBeNull();
    for (const value of ['not base64!', Buffer.from('[1,2]').toString('base64url'), '%%%']) {
      const url = `https://shop.example/?${PREVIEW_CONTEXT_PARAM}=${value}`;
      expect(previewContext(url)).toBeNull();
    }
  });
});
