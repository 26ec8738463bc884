import { parseVisitorContext } from '../../server/src/engine';
import { cacheKey, contextFromRequest, visitorIdCookie } from '../../client/src/server';

// The server-side helpers on real Web-standard Request objects (Node 20's, as Next.js route
// handlers, Nuxt's server and edge workers pass them).

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

const pageRequest = (url: string, headers: Record<string, string> = {}) =>
  new Request(url, { headers });

describe('contextFromRequest', () => {
  it('reads the campaign, another site as referrer, the device, the country and the consent', () => {
    const context = contextFromRequest(
      pageRequest('https://shop.example/cars?utm_source=linkedin&utm_medium=social&page=2', {
        'user-agent': IPHONE,
        referer: 'https://www.linkedin.com/feed/',
        'cf-ipcountry': 'de',
        cookie:
          'theme=dark; personalize-consent=personalization%2Canalytics; personalize-vid=v-123',
      }),
      { countryHeader: 'cf-ipcountry', extra: { locale: 'de' } }
    );
    expect(context).toEqual({
      device: 'mobile',
      utm: { source: 'linkedin', medium: 'social' },
      referrer: 'https://www.linkedin.com/feed/',
      geo: { country: 'DE' },
      locale: 'de',
      consent: { personalization: true, analytics: true },
      visitorId: 'v-123',
    });
    // What it builds is a context the delivery accepts.
    expect(parseVisitorContext(context).ok).toBe(true);
  });

  it('keeps the visitor id only with consent to personalization, and ignores its own site as referrer', () => {
    const headers = {
      referer: 'https://shop.example/',
      cookie: 'personalize-consent=analytics; personalize-vid=v-123',
    };
    expect(contextFromRequest(pageRequest('https://shop.example/cars', headers))).toEqual({
      consent: { personalization: false, analytics: true },
    });
    // No consent answer: no consent in the context, no id.
    expect(
      contextFromRequest(pageRequest('https://shop.example/', { cookie: 'personalize-vid=v-1' }))
    ).toEqual({});
    // A country that is no ISO code is left out rather than refused by the delivery.
    expect(
      contextFromRequest(pageRequest('https://shop.example/', { 'x-country': 'XX1' }), {
        countryHeader: 'x-country',
      })
    ).toEqual({});
  });
});

describe('visitorIdCookie', () => {
  it('keeps or makes an id with consent, deletes it on refusal, and does nothing without an answer', () => {
    const kept = visitorIdCookie(
      pageRequest('https://shop.example/', { cookie: 'personalize-vid=v-123' }),
      { personalization: true }
    );
    expect(kept).toEqual({
      visitorId: 'v-123',
      setCookie: 'personalize-vid=v-123; Max-Age=33696000; Path=/; HttpOnly; SameSite=Lax; Secure',
    });
    const made = visitorIdCookie(pageRequest('https://shop.example/'), { personalization: true });
    expect(made.visitorId).toMatch(/^[\w-]{8,128}$/);
    expect(made.setCookie).toContain(`personalize-vid=${made.visitorId};`);

    expect(
      visitorIdCookie(
        pageRequest('http://localhost/'),
        { personalization: false },
        { secure: false }
      )
    ).toEqual({ setCookie: 'personalize-vid=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax' });
    expect(visitorIdCookie(pageRequest('https://shop.example/'), undefined)).toEqual({});
  });
});

describe('cacheKey', () => {
  it('keys on the page and the segment, not on where the visitor came from', () => {
    const key = cacheKey('https://shop.example/cars?b=2&utm_source=x&a=1&gclid=abc', 's1a2b3c4d');
    expect(key).toBe('https://shop.example/cars?a=1&b=2#s1a2b3c4d');
    expect(cacheKey('https://shop.example/cars?a=1&b=2', 's1a2b3c4d')).toBe(key);
    expect(cacheKey('https://shop.example/cars?a=1&b=2', 'base')).not.toBe(key);
  });
});
