/**
 * The worst rules the cost bound accepts: for each kind of work it limits (many operations,
 * work per list item, strings built, lists read as text, long literal lists), the largest rule
 * of that kind that `validateRule` accepts, evaluated against contexts at the documented bounds
 * (16 KB, lists of 100, strings at their longest).
 *
 * `node bench/worst-rules.mjs` prints `{ kind: { bytes, cost, medianMs } }` as JSON, measured in
 * a plain Node process as a server runs it (a test runner's sandbox would distort the timings).
 * test/unit/rule-cost.test.ts asserts every median is under 1 ms; bench/rules.mjs reports the
 * figures.
 */
import { pathToFileURL } from 'node:url';

import { loadEngine } from './lib.mjs';

/** Kinds of rules that grow with `n`; every condition is false, so nothing short-circuits. */
export const FAMILIES = {
  'many comparisons': (n) => ({
    or: Array.from({ length: n }, (_, i) => ({ '>=': [{ var: 'visits' }, 1_000 + i] })),
  }),
  'comparisons per list item': (n) => ({
    some: [
      { var: 'traits.t' },
      { or: Array.from({ length: n }, (_, i) => ({ '==': [{ var: '' }, `x${i}`] })) },
    ],
  }),
  'strings built per list item': (n) => ({
    some: [
      { var: 'traits.t' },
      { in: ['zzz', { cat: Array.from({ length: n }, () => ({ var: '' })) }] },
    ],
  }),
  'strings built from the context': (n) => ({
    in: ['zzz', { cat: Array.from({ length: n }, () => ({ var: 'referrer' })) }],
  }),
  'lists read as text': (n) => ({
    or: Array.from({ length: n }, () => ({ '==': [{ var: 'traits.t' }, 'x'] })),
  }),
  'nested iteration': (n) => ({
    some: [
      { var: 'traits.t' },
      {
        all: [
          { var: '' },
          { or: Array.from({ length: n }, (_, i) => ({ '==': [{ var: '' }, `x${i}`] })) },
        ],
      },
    ],
  }),
  // "aa…ab" against text of "a"s: the slowest case of V8's string search.
  'searching the context': (n) => ({
    or: Array.from({ length: n }, (_, i) => ({
      in: [`${'a'.repeat(1 + (i % 4))}b`, { var: 'referrer' }],
    })),
  }),
  'searching list items': (n) => ({
    some: [
      { var: 'traits.t' },
      {
        or: Array.from({ length: n }, (_, i) => ({
          in: [`${'a'.repeat(1 + (i % 4))}b`, { var: '' }],
        })),
      },
    ],
  }),
  'long literal lists': (n) => ({
    or: Array.from({ length: n }, () => ({
      in: [{ var: 'persona' }, Array.from({ length: 1_000 }, (_, i) => i)],
    })),
  }),
};

/** The largest `n` (at least 1) whose rule `validateRule` accepts. */
export const worstAccepted = (engine, family) => {
  const accepted = (n) => engine.validateRule(family(n)).length === 0;
  if (!accepted(1)) throw new Error('not even the smallest rule of this kind is accepted');
  let low = 1;
  let high = 2;
  while (accepted(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (accepted(middle)) low = middle;
    else high = middle;
  }
  return family(low);
};

/**
 * Contexts at the documented bounds: close to 16 KB, lists of 100, strings at their longest,
 * made of "a"s that nearly match the rules' needles.
 */
export const largestContexts = () => [
  { traits: { t: Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(150, 'a')) } },
  {
    referrer: 'a'.repeat(2_048),
    traits: { t: Array.from({ length: 13 }, () => 'a'.repeat(1_024)) },
  },
  {
    visits: 5,
    persona: 'p'.repeat(128),
    events: Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(128, 'e')),
  },
];

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** For each kind: the worst accepted rule's size, computed cost and slowest median over the contexts. */
export const measureWorstRules = (engine, { runs = 101 } = {}) => {
  const contexts = largestContexts().map((context) => {
    const parsed = engine.parseVisitorContext(context);
    if (!parsed.ok) throw new Error(`not a valid context: ${JSON.stringify(parsed.issues)}`);
    return engine.evaluationData(parsed.value, { now: new Date() });
  });
  const results = {};
  for (const [kind, family] of Object.entries(FAMILIES)) {
    const rule = worstAccepted(engine, family);
    const compiled = engine.compileRule(rule);
    let slowest = 0;
    for (const data of contexts) {
      // Warm up, as a running server is: the first calls run before V8 optimizes.
      for (let i = 0; i < 300; i++) compiled(data);
      const times = Array.from({ length: runs }, () => {
        const started = performance.now();
        compiled(data);
        return performance.now() - started;
      });
      slowest = Math.max(slowest, median(times));
    }
    results[kind] = {
      bytes: JSON.stringify(rule).length,
      cost: engine.ruleCost(rule).cost,
      medianMs: Number(slowest.toFixed(4)),
    };
  }
  return results;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const engine = await loadEngine();
  process.stdout.write(`${JSON.stringify(measureWorstRules(engine))}\n`);
}
