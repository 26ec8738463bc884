import { loginAdmin } from '../helpers/admin';
import { startPlayground, type Playground } from '../helpers/playground';
import { seedFamilyArticle } from '../helpers/personalize';

const ARTICLE = 'api::article.article';

let app: Playground;
let token: string;
let article: string;

beforeAll(async () => {
  app = await startPlayground();
  token = await loginAdmin(app);
  article = await seedFamilyArticle(app, { in: ['family', { var: 'traits.interests' }] });
});

afterAll(() => app.stop());

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const random = prng(20261124);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const integer = (max: number) => Math.floor(random() * max);

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];
const CONTEXT_KEYS = [
  'visitorId',
  'persona',
  'stage',
  'visits',
  'pageViews',
  'events',
  'referrer',
  'searchTerm',
  'utm',
  'geo',
  'device',
  'locale',
  'weather',
  'traits',
  'consent',
];
const OPERATORS = [
  'var',
  'missing',
  'if',
  '==',
  '===',
  '!',
  'and',
  'or',
  '<',
  'in',
  'cat',
  'substr',
  'some',
  'all',
  'map',
  'filter',
  'reduce',
  'merge',
  'method',
  'log',
  'starts_with',
  ...HOSTILE_KEYS,
];

const nested = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i += 1)
    value = random() < 0.5 ? [value] : { [pick(['!', 'and', 'a'])]: [value] };
  return value;
};

const scalar = (): unknown =>
  pick<() => unknown>([
    () => integer(1e6) - 5e5,
    () => random() * 1e308 * (random() < 0.5 ? -1 : 1),
    () => 'x'.repeat(integer(20_000)),
    () => pick(HOSTILE_KEYS),
    () => pick([true, false, null]),
    () => '\u0000\ud800' + pick(HOSTILE_KEYS),
    () => 'constructor.prototype',
  ])();

const value = (depth: number): unknown => {
  if (depth <= 0 || random() < 0.3) return scalar();
  return pick<() => unknown>([
    () => Array.from({ length: integer(5) }, () => value(depth - 1)),
    () =>
      Object.fromEntries(
        Array.from({ length: integer(4) }, () => [
          pick([...HOSTILE_KEYS, ...CONTEXT_KEYS]),
          value(depth - 1),
        ])
      ),
    () => nested(integer(400), scalar()),
  ])();
};

/** A raw context: mostly JSON, sometimes not; objects with the right keys and wrong values. */
const hostileContext = (): string => {
  const kind = integer(5);
  if (kind === 0)
    return pick([
      '{',
      '[1,',
      'null',
      '"x"',
      '{"a":1}}',
      'NaN',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
    ]);
  if (kind === 1) {
    const depth = integer(100_000);
    return `${'['.repeat(depth)}{}${']'.repeat(depth)}`;
  }
  const context: Record<string, unknown> = {};
  for (let i = integer(6); i >= 0; i -= 1)
    context[pick([...CONTEXT_KEYS, ...HOSTILE_KEYS])] = value(3);
  const text = JSON.stringify(context);
  return kind === 2 ? text.replace('{', '{"__proto__":{"polluted":true},') : text;
};

const hostileRule = (): unknown => {
  const kind = integer(4);
  if (kind === 0)
    return nested(integer(200), { var: pick(['visits', '__proto__', 'constructor.prototype.x']) });
  if (kind === 1) return { [pick(OPERATORS)]: value(3) };
  if (kind === 2) return { var: { cat: ['__pro', 'to__'] } };
  return value(4);
};

describe('2,000 hostile contexts and rules', () => {
  it('never answer 5xx and never touch Object.prototype', async () => {
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const failures: string[] = [];
    const check = (what: string, status: number) => {
      count(status);
      if (status >= 500) failures.push(`${what} → ${status}`);
    };

    for (let i = 0; i < 2_000; i += 1) {
      const kind = i % 4;
      if (kind === 0) {
        const raw = hostileContext();
        const response = await app
          .http()
          .get(`/api/personalize/content/articles/${article}`)
          .set('X-Personalize-Context', raw);
        check(`header ${raw.slice(0, 80)}`, response.status);
      } else if (kind === 1) {
        const raw = hostileContext();
        const response = await app.http().get(`/api/articles/${article}`).query({ context: raw });
        check(`drop-in ${raw.slice(0, 80)}`, response.status);
      } else if (kind === 2) {
        // Sent as raw text: the deepest contexts cannot even be serialized by the test's JSON.stringify.
        const context = hostileContext();
        const response = await app
          .http()
          .post('/api/personalize/decide')
          .set('Content-Type', 'application/json')
          .send(`{"targetUid":"${ARTICLE}","targetDocumentId":"${article}","context":${context}}`);
        check(`decide ${context.slice(0, 80)}`, response.status);
      } else {
        const rule = hostileRule();
        const path = i % 8 === 3 ? '/personalize/rules/validate' : '/personalize/personas';
        const body =
          path === '/personalize/rules/validate' ? { rule } : { name: `Hostile ${i}`, rule };
        const response = await app
          .http()
          .post(path)
          .set('Authorization', `Bearer ${token}`)
          .send(body);
        check(`${path} ${JSON.stringify(rule)?.slice(0, 80)}`, response.status);
      }
    }

    expect(failures).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The run exercised both sides: refusals and accepted requests.
    expect([...statuses.keys()].some((status) => status >= 400 && status < 500)).toBe(true);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);

    // And the delivery still works.
    const after = await app
      .http()
      .get(`/api/personalize/content/articles/${article}`)
      .set('X-Personalize-Context', JSON.stringify({ persona: 'family' }));
    expect(after.body.data.title).toBe('Family');
  }, 240_000);
});
