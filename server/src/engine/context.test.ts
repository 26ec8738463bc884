import { z } from 'zod';

import {
  deviceFromUserAgent,
  evaluationData,
  MAX_CONTEXT_BYTES,
  parseContextJson,
  parseVisitorContext,
  visitorContextSchema,
  type VisitorContext,
} from './context';

const full: VisitorContext = {
  visitorId: 'v-123',
  persona: 'family',
  stage: 'consideration',
  visits: 3,
  pageViews: 12,
  events: ['configurator_completed'],
  referrer: 'https://www.google.com/',
  searchTerm: 'family suv',
  utm: { source: 'newsletter', medium: 'email', campaign: 'spring', term: 'suv', content: 'a' },
  geo: { country: 'DE', region: 'BY', city: 'München' },
  device: 'mobile',
  locale: 'de-DE',
  weather: 'rain',
  traits: { fleetSize: 40, interests: ['camping'], vip: true, plan: 'pro' },
  consent: { personalization: true, analytics: false },
};

const issuesOf = (input: unknown) => {
  const parsed = parseVisitorContext(input);
  if (parsed.ok) throw new Error(`expected issues for ${JSON.stringify(input)}`);
  return parsed.issues;
};

describe('parseVisitorContext', () => {
  it('accepts every field of docs/architecture.md §4, and an empty context', () => {
    expect(parseVisitorContext(full)).toEqual({ ok: true, value: full });
    expect(parseVisitorContext({})).toEqual({ ok: true, value: {} });
  });

  it('upper-cases a lower-case country code', () => {
    const parsed = parseVisitorContext({ geo: { country: 'de' } });
    expect(parsed).toEqual({ ok: true, value: { geo: { country: 'DE' } } });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown field', { colour: 'red' }, 'colour', /unknown field/],
    ['an unknown utm field', { utm: { foo: 'x' } }, 'utm.foo', /unknown field/],
    ['an unknown consent field', { consent: { marketing: true } }, 'consent.marketing', /unknown/],
    ['a long visitorId', { visitorId: 'x'.repeat(129) }, 'visitorId', /at most 128 characters/],
    ['a long persona', { persona: 'x'.repeat(129) }, 'persona', /at most 128/],
    ['a number persona', { persona: 3 }, 'persona', /must be a string/],
    ['negative visits', { visits: -1 }, 'visits', /must not be negative/],
    ['fractional pageViews', { pageViews: 1.5 }, 'pageViews', /whole number/],
    ['visits as a string', { visits: '3' }, 'visits', /must be a number/],
    ['101 events', { events: Array(101).fill('e') }, 'events', /^at most 100 items$/],
    ['a long event', { events: ['x'.repeat(129)] }, 'events.0', /at most 128/],
    ['events that are not a list', { events: 'e' }, 'events', /list of strings/],
    ['a long referrer', { referrer: 'x'.repeat(2049) }, 'referrer', /at most 2048/],
    ['a long searchTerm', { searchTerm: 'x'.repeat(257) }, 'searchTerm', /at most 256/],
    ['a long utm value', { utm: { source: 'x'.repeat(257) } }, 'utm.source', /at most 256/],
    ['a three-letter country', { geo: { country: 'DEU' } }, 'geo.country', /alpha-2/],
    ['a geo without country', { geo: { city: 'Berlin' } }, 'geo.country', /must be a string/],
    ['a long city', { geo: { country: 'DE', city: 'x'.repeat(129) } }, 'geo.city', /at most 128/],
    ['an unknown device', { device: 'tv' }, 'device', /mobile, tablet, desktop, other/],
    ['a long locale', { locale: 'x'.repeat(36) }, 'locale', /at most 35/],
    ['a long weather', { weather: 'x'.repeat(65) }, 'weather', /at most 64/],
    ['51 traits', { traits: traits(51) }, 'traits', /at most 50 traits/],
    [
      'a long trait name',
      { traits: { ['k'.repeat(65)]: 1 } },
      `traits.${'k'.repeat(65)}`,
      /^a name has at most 64 characters$/,
    ],
    ['a constructor trait', { traits: { constructor: 1 } }, 'traits.constructor', /not allowed/],
    ['a prototype trait', { traits: { prototype: 1 } }, 'traits.prototype', /not allowed/],
    ['an object trait', { traits: { a: { b: 1 } } }, 'traits.a', /string, a number, a boolean/],
    ['a null trait', { traits: { a: null } }, 'traits.a', /string, a number/],
    ['a long trait', { traits: { a: 'x'.repeat(1025) } }, 'traits.a', /./],
    ['101 trait values', { traits: { a: Array(101).fill('x') } }, 'traits.a', /./],
    ['a list of numbers trait', { traits: { a: [1] } }, 'traits.a', /./],
    [
      'a string consent',
      { consent: { personalization: 'no' } },
      'consent.personalization',
      /true or false/,
    ],
    ['a list as utm', { utm: ['x'] }, 'utm', /must be an object/],
  ])('refuses %s with its path', (_name, input, path, message) => {
    const issues = issuesOf(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path, message: expect.stringMatching(message) }),
      ])
    );
  });

  it('accepts exactly 50 traits, 100 events and 100 trait values', () => {
    expect(parseVisitorContext({ traits: traits(50) }).ok).toBe(true);
    expect(parseVisitorContext({ events: Array(100).fill('e') }).ok).toBe(true);
    expect(parseVisitorContext({ traits: { a: Array(100).fill('x') } }).ok).toBe(true);
  });

  it('refuses non-finite numbers', () => {
    expect(parseVisitorContext({ traits: { a: Infinity } }).ok).toBe(false);
    expect(parseVisitorContext({ traits: { a: NaN } }).ok).toBe(false);
    expect(parseVisitorContext({ visits: Infinity }).ok).toBe(false);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf({ visits: -1, device: 'tv', extra: 1 });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['device', 'extra', 'visits']);
  });

  it('refuses what is not an object', () => {
    for (const input of [null, undefined, 1, 'x', [], [{}], true]) {
      expect(issuesOf(input)).toMatchObject([
        { path: '', message: expect.stringMatching(/object/) },
      ]);
    }
  });

  it('refuses an own __proto__ key at the root and in traits (zod drops it silently)', () => {
    expect(issuesOf(JSON.parse('{"__proto__":{"persona":"x"}}'))).toMatchObject([
      { path: '__proto__', message: 'unknown field' },
    ]);
    expect(issuesOf(JSON.parse('{"traits":{"__proto__":{"polluted":1}}}'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'traits.__proto__', message: expect.any(String) }),
      ])
    );
    expect(issuesOf(JSON.parse('{"geo":{"country":"DE","__proto__":1}}'))).toMatchObject([
      { path: 'geo.__proto__', message: 'unknown field' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on hostile objects', () => {
    const getter = Object.defineProperty({}, 'persona', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(parseVisitorContext(getter).ok).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.traits = { self: cyclic };
    expect(parseVisitorContext(cyclic).ok).toBe(false);
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      }
    );
    expect(parseVisitorContext(proxy).ok).toBe(false);
  });

  it('refuses 51 traits, and 100,000 traits by size alone, as every entry point does', () => {
    expect(issuesOf({ traits: traits(51) })).toMatchObject([
      { path: 'traits', message: 'at most 50 traits' },
    ]);
    // The size is checked first: no trait of the 100,000 is looked at (nor reported).
    const issues = issuesOf({ traits: traits(100_000) });
    expect(issues).toHaveLength(1);
    expect(issues).toMatchObject([
      { path: '', message: `the context is longer than ${MAX_CONTEXT_BYTES} bytes` },
    ]);
  });

  it(`refuses an object context over ${MAX_CONTEXT_BYTES} bytes of JSON, like a header`, () => {
    const filler = (bytes: number) => ({ referrer: 'r'.repeat(bytes - '{"referrer":""}'.length) });
    expect(JSON.stringify(filler(MAX_CONTEXT_BYTES)).length).toBe(MAX_CONTEXT_BYTES);
    // 2,048 characters at most for the referrer itself: the size is checked first.
    expect(issuesOf(filler(MAX_CONTEXT_BYTES + 1))).toMatchObject([
      { path: '', message: `the context is longer than ${MAX_CONTEXT_BYTES} bytes` },
    ]);
    // Counted in UTF-8 bytes: 9,100 characters of "ä" are 18,000 bytes.
    const umlauts = {
      traits: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`t${i}`, 'ä'.repeat(900)])),
    };
    expect(JSON.stringify(umlauts).length).toBeLessThan(MAX_CONTEXT_BYTES);
    expect(issuesOf(umlauts)).toMatchObject([
      { path: '', message: `the context is longer than ${MAX_CONTEXT_BYTES} bytes` },
    ]);
  });

  it('is the schema the glue can reuse', () => {
    expect(visitorContextSchema.safeParse(full).success).toBe(true);
    // The contracts wrap it with zod's full build (`z.nullable`, `z.optional`).
    expect(z.nullable(visitorContextSchema).safeParse(null).success).toBe(true);
  });
});

describe('parseContextJson', () => {
  it('parses a JSON object', () => {
    expect(parseContextJson('{"persona":"family","geo":{"country":"fr"}}')).toEqual({
      ok: true,
      value: { persona: 'family', geo: { country: 'FR' } },
    });
  });

  it('refuses malformed JSON with the reason', () => {
    const parsed = parseContextJson('{"persona":');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.issues).toHaveLength(1);
      expect(parsed.issues[0].path).toBe('');
      expect(parsed.issues[0].message).toMatch(/^context is not valid JSON: ./);
    }
  });

  it.each(['null', '1', '"x"', '[]', 'true', '[{"persona":"x"}]'])('refuses %s', (raw) => {
    expect(parseContextJson(raw)).toMatchObject({
      ok: false,
      issues: [{ path: '', message: expect.stringMatching(/JSON object/) }],
    });
  });

  it(`refuses more than ${MAX_CONTEXT_BYTES} bytes, also counting UTF-8`, () => {
    const fits = JSON.stringify({ searchTerm: 'x'.repeat(200) }).padEnd(MAX_CONTEXT_BYTES, ' ');
    expect(parseContextJson(fits).ok).toBe(true);
    const tooLong = `${fits} `;
    expect(parseContextJson(tooLong)).toMatchObject({
      ok: false,
      issues: [{ path: '', message: expect.stringMatching(/longer than 16384 bytes/) }],
    });
    // 5,000 euro signs are 15,000 bytes: fine. 6,000 are 18,000 bytes: too long.
    const euros = (count: number) => Array(5).fill('€'.repeat(count / 5));
    const wide = JSON.stringify({ traits: Object.fromEntries(euros(5_000).map((v, i) => [i, v])) });
    expect(parseContextJson(wide).ok).toBe(true);
    const tooWide = JSON.stringify({
      traits: Object.fromEntries(euros(6_000).map((v, i) => [i, v])),
    });
    expect(parseContextJson(tooWide)).toMatchObject({
      ok: false,
      issues: [{ path: '', message: expect.stringMatching(/longer than/) }],
    });
  });

  it('never throws, whatever the input', () => {
    const hostile = [
      '',
      ' ',
      '{',
      '}',
      '{"a":1}{',
      '\u0000',
      '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
      '['.repeat(8_000) + ']'.repeat(8_000),
      `{"traits":${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}}`,
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"traits":{"__proto__":{"polluted":true}}}',
      '{"visits":1e999}',
      '{"visits":-0}',
      '{"events":[' + '"x",'.repeat(3_000) + '"x"]}',
      '"\\ud800"',
      '{"persona":"\\ud800"}',
    ];
    for (const raw of hostile) {
      expect(() => parseContextJson(raw)).not.toThrow();
    }
    // JavaScript callers can pass anything: the type is bypassed on purpose.
    expect(parseContextJson(undefined as unknown as string).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('deviceFromUserAgent', () => {
  it.each([
    [undefined, 'other'],
    ['', 'other'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      'mobile',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36',
      'mobile',
    ],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15', 'tablet'],
    [
      'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
      'tablet',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0', 'desktop'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15',
      'desktop',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'desktop'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'other'],
    ['curl/8.5.0', 'other'],
    ['SomethingElse/1.0', 'other'],
  ])('%s → %s', (userAgent, device) => {
    expect(deviceFromUserAgent(userAgent)).toBe(device);
  });

  it('does not hang on a long header', () => {
    const started = Date.now();
    deviceFromUserAgent(`Android ${'a'.repeat(100_000)}`);
    // A backtracking pattern takes minutes on this; a linear one about a millisecond. The bound
    // only tells the two apart, on a loaded CI machine too.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('evaluationData', () => {
  const now = new Date('2026-03-01T07:05:00.000Z'); // a Sunday

  it('holds the context plus now (UTC) in a new null-prototype object', () => {
    const context: VisitorContext = { persona: 'family', visits: 2, device: 'tablet' };
    const data = evaluationData(context, { now, userAgent: 'iPhone' });
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect({ ...data }).toEqual({
      persona: 'family',
      visits: 2,
      device: 'tablet',
      now: expect.anything(),
    });
    expect({ ...(data.now as object) }).toEqual({ hour: 7, weekday: 0, date: '2026-03-01' });
    expect(data).not.toBe(context);
    expect(context).toEqual({ persona: 'family', visits: 2, device: 'tablet' });
  });

  it('derives the device from the User-Agent only when the context has none', () => {
    expect(evaluationData({}, { now }).device).toBe('other');
    expect(evaluationData({}, { now, userAgent: 'Mozilla/5.0 (iPhone; ...) Mobile' }).device).toBe(
      'mobile'
    );
    expect(evaluationData({ device: 'desktop' }, { now, userAgent: 'iPhone' }).device).toBe(
      'desktop'
    );
  });

  it('copies nested objects as null-prototype objects and lists as new lists', () => {
    const data = evaluationData(full, { now });
    for (const key of ['utm', 'geo', 'traits', 'consent', 'now']) {
      expect(Object.getPrototypeOf(data[key])).toBeNull();
    }
    expect({ ...(data.traits as object) }).toEqual(full.traits);
    expect(data.events).toEqual(full.events);
    expect(data.events).not.toBe(full.events);
  });

  it('copies only the known fields, even when handed an unvalidated object', () => {
    const sneaky = JSON.parse('{"persona":"x","now":"fake","isAdmin":true,"__proto__":{"a":1}}');
    const data = evaluationData(sneaky as VisitorContext, { now });
    expect(Object.keys(data).sort()).toEqual(['device', 'now', 'persona']);
    expect(typeof data.now).toBe('object');
  });

  it('formats the date with zero padding', () => {
    const data = evaluationData({}, { now: new Date('2026-12-31T23:59:59.999Z') });
    expect({ ...(data.now as object) }).toEqual({ hour: 23, weekday: 4, date: '2026-12-31' });
  });
});

function traits(count: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (let i = 0; i < count; i++) result[`t${i}`] = i;
  return result;
}
