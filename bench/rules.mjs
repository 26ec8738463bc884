/**
 * Rule engine micro-benchmark: `npm run bench:rules` (about a minute on 2 cores).
 *
 * Bundles server/src/engine/index.ts with esbuild (npm packages stay external, loaded from this
 * repository's node_modules) and measures, each as the median of 5 rounds:
 *  - compiled-rule evaluations/s: 20 realistic targeting rules × 50,000 random valid contexts;
 *  - resolutions/s: a full `resolve()` (4 personas, 5 stages, 10 variants) per context;
 *  - context parsing/s: `parseContextJson` + `evaluationData` of the raw JSON of each context;
 *  - the cost of `compileRule` (validation included) per rule.
 * Writes bench/results/rules.json and bench/results/rules.md.
 */
import { createRequire } from 'node:module';
import os from 'node:os';

import { fmt, loadEngine, writeResults } from './lib.mjs';
import { measureWorstRules } from './worst-rules.mjs';

const require = createRequire(import.meta.url);

const CONTEXTS = Number(process.env.BENCH_CONTEXTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** mulberry32: a seeded PRNG, so every run measures the same contexts. */
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** 20 targeting rules of the kind personas, stages and variants carry (the car maker story). */
const RULES = [
  /* 01 family interest      */ { in: ['family', { var: 'traits.interests' }] },
  /* 02 fleet size           */ { '>=': [{ var: 'traits.fleetSize' }, 10] },
  /* 03 returning visitor    */ { '>=': [{ var: 'visits' }, 2] },
  /* 04 configurator done    */ { in: ['configurator_completed', { var: 'events' }] },
  /* 05 DACH                 */ { in: [{ var: 'geo.country' }, ['DE', 'AT', 'CH']] },
  /* 06 mobile               */ { '==': [{ var: 'device' }, 'mobile'] },
  /* 07 newsletter campaign  */ {
    and: [{ '==': [{ var: 'utm.source' }, 'newsletter'] }, { '!!': { var: 'utm.campaign' } }],
  },
  /* 08 search or social     */ {
    in: [{ var: ['utm.source', 'direct'] }, ['google', 'bing', 'youtube', 'instagram']],
  },
  /* 09 business hours (UTC) */ { '<=': [8, { var: 'now.hour' }, 18] },
  /* 10 weekend              */ { in: [{ var: 'now.weekday' }, [0, 6]] },
  /* 11 engaged, not bought  */ {
    and: [{ '>=': [{ var: 'pageViews' }, 5] }, { '!': { in: ['purchased', { var: 'events' }] } }],
  },
  /* 12 any test drive event */ {
    some: [{ var: 'events' }, { starts_with: [{ var: '' }, 'test_drive'] }],
  },
  /* 13 GT launch campaign   */ { ends_with: [{ var: 'utm.campaign' }, '-launch'] },
  /* 14 EU desktop newcomer  */ {
    and: [
      {
        in: [{ var: 'geo.country' }, ['DE', 'FR', 'IT', 'ES', 'NL', 'BE', 'AT', 'PL', 'SE', 'DK']],
      },
      { '==': [{ var: 'device' }, 'desktop'] },
      { '<': [{ var: 'visits' }, 3] },
    ],
  },
  /* 15 VIP or big fleet     */ {
    or: [{ '==': [{ var: 'traits.vip' }, true] }, { '>': [{ var: 'traits.fleetSize' }, 50] }],
  },
  /* 16 search mentions suv  */ { in: ['suv', { var: ['searchTerm', ''] }] },
  /* 17 nested segment       */ {
    or: [
      {
        and: [
          { '==': [{ var: 'locale' }, 'de-DE'] },
          {
            or: [
              { in: ['dealer_search', { var: 'events' }] },
              { and: [{ '==': [{ var: 'device' }, 'mobile'] }, { '>=': [{ var: 'visits' }, 3] }] },
            ],
          },
        ],
      },
      { '==': [{ var: 'utm.campaign' }, 'spring-sale'] },
    ],
  },
  /* 18 country-dependent    */ {
    if: [
      { '==': [{ var: 'geo.country' }, 'US'] },
      { '>=': [{ var: 'visits' }, 2] },
      { '>=': [{ var: 'visits' }, 4] },
    ],
  },
  /* 19 no churn signals     */ {
    none: [{ var: 'events' }, { in: [{ var: '' }, ['unsubscribed', 'complaint']] }],
  },
  /* 20 commuter signals     */ {
    or: [
      {
        and: [
          { in: [{ var: 'weather' }, ['rain', 'snow']] },
          { '==': [{ var: 'traits.commute' }, true] },
        ],
      },
      { '!': { missing: ['geo.city', 'locale'] } },
    ],
  },
];

const USER_AGENTS = [
  undefined,
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15',
];

/** Random contexts as frontends send them: most fields optional. */
const makeContexts = (count, random) => {
  const pick = (items) => items[Math.floor(random() * items.length)];
  const maybe = (probability, make) => (random() < probability ? make() : undefined);
  const events = [
    'configurator_completed',
    'dealer_search',
    'test_drive_booked',
    'test_drive_requested',
    'brochure_download',
    'purchased',
    'unsubscribed',
    'compared_specs',
  ];
  const contexts = [];
  for (let i = 0; i < count; i++) {
    const context = {
      visitorId: `v-${i}`,
      visits: Math.floor(random() * 12),
      pageViews: Math.floor(random() * 30),
      events: maybe(0.7, () =>
        Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(events))
      ),
      utm: maybe(0.5, () => ({
        source: pick(['google', 'newsletter', 'youtube', 'instagram', 'bing']),
        campaign: pick(['family-suv', 'gt-launch', 'spring-sale', 'fleet-offer']),
      })),
      geo: maybe(0.8, () => ({
        country: pick(['DE', 'AT', 'CH', 'FR', 'US', 'GB', 'IT', 'ES', 'se']),
        city: maybe(0.5, () => pick(['Berlin', 'Wien', 'Zürich', 'Paris'])),
      })),
      device: maybe(0.5, () => pick(['mobile', 'tablet', 'desktop'])),
      locale: maybe(0.6, () => pick(['de-DE', 'en-US', 'fr-FR'])),
      weather: maybe(0.3, () => pick(['rain', 'sun', 'snow'])),
      searchTerm: maybe(0.2, () => pick(['family suv', 'electric van', 'gt coupe'])),
      traits: maybe(0.6, () => ({
        interests: maybe(0.7, () => [pick(['family', 'camping', 'speed', 'fleet'])]),
        fleetSize: maybe(0.3, () => Math.floor(random() * 120)),
        vip: maybe(0.2, () => true),
        commute: maybe(0.4, () => random() < 0.5),
      })),
    };
    contexts.push(JSON.parse(JSON.stringify(context))); // drops the undefined fields
  }
  return contexts;
};

/** Median rate over ROUNDS rounds of `work` (which returns how many operations it did). */
const measure = (work) => {
  const rates = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    const { operations, checksum } = work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(operations / seconds);
    sink += checksum;
  }
  rates.sort((a, b) => a - b);
  return {
    median: rates[Math.floor(rates.length / 2)],
    min: rates[0],
    max: rates[rates.length - 1],
    sink,
  };
};

const main = async () => {
  const engine = await loadEngine();
  const random = prng(20_261_125);

  // Contexts: validated like a request's, then turned into evaluation data.
  const raw = makeContexts(CONTEXTS, random);
  const rawJson = raw.map((context) => JSON.stringify(context));
  const data = raw.map((context, i) => {
    const parsed = engine.parseVisitorContext(context);
    if (!parsed.ok) throw new Error(`context ${i} is invalid: ${JSON.stringify(parsed.issues)}`);
    const now = new Date(Date.UTC(2026, 2, 1 + (i % 28), i % 24, i % 60));
    return engine.evaluationData(parsed.value, { now, userAgent: USER_AGENTS[i % 4] });
  });

  // Rules: compiled once, like the registry does.
  const compiled = RULES.map((rule) => engine.compileRule(rule));
  const matchRates = compiled.map(
    (rule) => data.slice(0, 5_000).filter((entry) => rule(entry)).length / 5_000
  );

  const compileReps = 500;
  const compileStarted = process.hrtime.bigint();
  for (let i = 0; i < compileReps; i++) for (const rule of RULES) engine.compileRule(rule);
  const compileMicros =
    Number(process.hrtime.bigint() - compileStarted) / 1e3 / (compileReps * RULES.length);

  const evaluations = measure(() => {
    let checksum = 0;
    for (const rule of compiled) {
      for (let i = 0; i < data.length; i++) if (rule(data[i])) checksum++;
    }
    return { operations: compiled.length * data.length, checksum };
  });

  // A resolution: 4 personas, 5 stages, 10 variants of one entry.
  const r = (index) => compiled[index - 1];
  const personas = [
    { slug: 'family', name: 'Family', priority: 0, rule: r(1) },
    { slug: 'fleet', name: 'Fleet manager', priority: 10, rule: r(2) },
    { slug: 'enthusiast', name: 'Enthusiast', priority: 5, rule: r(13) },
    { slug: 'commuter', name: 'Commuter', priority: 0, rule: r(20) },
  ];
  const stages = [
    { slug: 'awareness', name: 'Awareness', order: 1, rule: null },
    { slug: 'interest', name: 'Interest', order: 2, rule: r(3) },
    { slug: 'consideration', name: 'Consideration', order: 3, rule: r(11) },
    { slug: 'intent', name: 'Intent', order: 4, rule: r(12) },
    { slug: 'purchase', name: 'Purchase', order: 5, rule: r(4) },
  ];
  const variant = (n, persona, stage, rule, priority = 0) => ({
    documentId: `variant-${n}`,
    name: `Variant ${n}`,
    persona,
    stage,
    rule,
    priority,
    createdAt: new Date(Date.UTC(2026, 0, n)).toISOString(),
    overrides: { title: `Title ${n}` },
  });
  const variants = [
    variant(1, 'family', null, null),
    variant(2, 'family', 'purchase', null),
    variant(3, 'fleet', null, null),
    variant(4, 'fleet', 'consideration', r(5)),
    variant(5, 'enthusiast', null, r(6)),
    variant(6, null, 'intent', null),
    variant(7, null, 'purchase', r(14)),
    variant(8, null, null, r(9)),
    variant(9, 'commuter', null, null, 1),
    variant(10, null, null, r(15), 2),
  ];
  const reasons = {};
  for (const entry of data.slice(0, 5_000)) {
    const { reason } = engine.decide({
      personas,
      stages,
      variants,
      experiments: [],
      evaluationData: entry,
    });
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  // Baseline: json-logic-js apply() + truthy on the same rules, without the engine's wrapper.
  const jsonLogic = require('json-logic-js');
  const baseline = measure(() => {
    let checksum = 0;
    for (const rule of RULES) {
      for (let i = 0; i < data.length; i++)
        if (jsonLogic.truthy(jsonLogic.apply(rule, data[i]))) checksum++;
    }
    return { operations: RULES.length * data.length, checksum };
  });
  if (baseline.sink !== evaluations.sink)
    throw new Error('the baseline disagrees with compiled rules');

  const resolutions = measure(() => {
    let checksum = 0;
    for (let i = 0; i < data.length; i++) {
      if (
        engine.decide({ personas, stages, variants, experiments: [], evaluationData: data[i] })
          .variant
      )
        checksum++;
    }
    return { operations: data.length, checksum };
  });

  const parsing = measure(() => {
    let checksum = 0;
    const now = new Date();
    for (let i = 0; i < rawJson.length; i++) {
      const parsed = engine.parseContextJson(rawJson[i]);
      if (parsed.ok) {
        engine.evaluationData(parsed.value, { now, userAgent: USER_AGENTS[i % 4] });
        checksum++;
      }
    }
    return { operations: rawJson.length, checksum };
  });

  // The worst rules the cost bound accepts, against the largest contexts.
  const worst = measureWorstRules(engine);

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const result = {
    command: 'npm run bench:rules',
    date: new Date().toISOString(),
    node: process.version,
    cpu,
    cores: os.cpus().length,
    contexts: CONTEXTS,
    rounds: ROUNDS,
    rules: RULES.length,
    compileMicrosPerRule: Number(compileMicros.toFixed(2)),
    evaluationsPerSecond: Math.round(evaluations.median),
    evaluationsPerSecondRange: [Math.round(evaluations.min), Math.round(evaluations.max)],
    nanosPerEvaluation: Number((1e9 / evaluations.median).toFixed(1)),
    rawApplyPerSecond: Math.round(baseline.median),
    rawApplyPerSecondRange: [Math.round(baseline.min), Math.round(baseline.max)],
    resolutionsPerSecond: Math.round(resolutions.median),
    resolutionsPerSecondRange: [Math.round(resolutions.min), Math.round(resolutions.max)],
    microsPerResolution: Number((1e6 / resolutions.median).toFixed(2)),
    resolveSetup: { personas: personas.length, stages: stages.length, variants: variants.length },
    contextParsesPerSecond: Math.round(parsing.median),
    contextParsesPerSecondRange: [Math.round(parsing.min), Math.round(parsing.max)],
    microsPerContextParse: Number((1e6 / parsing.median).toFixed(2)),
    matchRatePerRule: matchRates.map((rate) => Number(rate.toFixed(3))),
    reasonsOver5000Contexts: reasons,
    maxRuleCost: engine.MAX_RULE_COST,
    worstAcceptedRules: worst,
  };

  const rows = [
    [
      'compiled rule evaluations/s',
      fmt(result.evaluationsPerSecond),
      `${result.nanosPerEvaluation} ns each`,
      range(result.evaluationsPerSecondRange),
    ],
    [
      'baseline: json-logic-js apply() + truthy, same rules and data',
      fmt(result.rawApplyPerSecond),
      `${(1e9 / result.rawApplyPerSecond).toFixed(1)} ns each`,
      range(result.rawApplyPerSecondRange),
    ],
    [
      'resolve() calls/s (4 personas, 5 stages, 10 variants)',
      fmt(result.resolutionsPerSecond),
      `${result.microsPerResolution} µs each`,
      range(result.resolutionsPerSecondRange),
    ],
    [
      'parseContextJson + evaluationData/s',
      fmt(result.contextParsesPerSecond),
      `${result.microsPerContextParse} µs each`,
      range(result.contextParsesPerSecondRange),
    ],
    ['compileRule (validation included)', '', `${result.compileMicrosPerRule} µs per rule`, ''],
  ];
  const table = [
    '| Measure | Median | Per operation | Range over rounds |',
    '|---|---:|---:|---:|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

  console.log(`\nnode ${result.node}, ${cpu} (${result.cores} cores)`);
  console.log(`${RULES.length} rules × ${CONTEXTS} contexts, median of ${ROUNDS} rounds\n`);
  console.log(table);
  console.log(
    `\nmatch rate per rule: ${matchRates.map((rate) => `${Math.round(rate * 100)}%`).join(' ')}`
  );
  console.log(`reasons over 5,000 contexts: ${JSON.stringify(reasons)}`);
  const worstTable = [
    '| Worst accepted rule of its kind | JSON | Cost (units) | Median evaluation |',
    '|---|---:|---:|---:|',
    ...Object.entries(worst).map(
      ([kind, { bytes, cost, medianMs }]) =>
        `| ${kind} | ${fmt(bytes)} B | ${fmt(cost)} | ${(medianMs * 1_000).toFixed(1)} µs |`
    ),
  ].join('\n');
  console.log(`\n${worstTable}`);

  const markdown = `# Rule engine micro-benchmark

Command: \`${result.command}\` (bench/rules.mjs) · Node ${result.node} · ${cpu} (${result.cores} cores) · ${result.date}

${RULES.length} realistic targeting rules (persona/stage style, over visits, events, utm, geo, device,
traits and now.hour) compiled once with \`compileRule\` (json-logic-js 2.0.5 underneath), evaluated
against ${fmt(CONTEXTS)} random valid contexts built by \`parseVisitorContext\` + \`evaluationData\`;
every figure is the median of ${ROUNDS} rounds. A resolution is one \`resolve()\` call over
${personas.length} personas, ${stages.length} stages and ${variants.length} variants, without trace.

${table}

Match rate per rule (first 5,000 contexts): ${matchRates.map((rate) => `${Math.round(rate * 100)} %`).join(', ')}.

Decisions over the first 5,000 contexts: ${Object.entries(reasons)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ')}.

## The cost bound

Every rule is refused on save above ${fmt(engine.MAX_RULE_COST)} units of worst-case cost
(docs/rules.md, "Cost"). For each kind of work the bound limits, bench/worst-rules.mjs finds the
largest rule of that kind that \`validateRule\` accepts and evaluates it against three contexts at
the documented bounds (close to 16 KB; lists of 100; strings at their longest, made of "a"s that
nearly match the rules' needles); the slowest median of 101 evaluations over the three contexts:

${worstTable}

test/unit/rule-cost.test.ts asserts every one of these is under 1 ms.

The wrapper of a compiled rule (try/catch, json-logic truthiness, a frozen private copy of the
rule) runs at ${Math.round((100 * result.evaluationsPerSecond) / result.rawApplyPerSecond)} % of
calling json-logic-js directly on the same rules and data. On a shared 2-core machine, figures vary
by 10–15 % between runs. A delivery request evaluates a few dozen rules at most, so rule evaluation
is far from its bottleneck.
`;
  await writeResults('rules', result, markdown);
};

function range([min, max]) {
  return `${fmt(min)} – ${fmt(max)}`;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
