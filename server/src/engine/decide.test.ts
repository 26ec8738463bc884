import { evaluationData } from './context';
import { decide, decideWithoutTrace, emptyDecision } from './decide';
import { bucketArm, type ExperimentDefinition } from './experiments';
import { inHoldout } from './holdout';
import { compileRule } from './rules';
import type {
  CompiledRule,
  EvaluationData,
  PersonaDefinition,
  StageDefinition,
  VariantDefinition,
} from './types';

const rule = (logic: unknown): CompiledRule => compileRule(logic) as CompiledRule;

const personas: PersonaDefinition[] = [
  {
    slug: 'family',
    name: 'Family',
    priority: 0,
    rule: rule({ in: ['family', { var: 'traits.interests' }] }),
  },
  {
    slug: 'fleet',
    name: 'Fleet',
    priority: 10,
    rule: rule({ '>=': [{ var: 'traits.fleetSize' }, 10] }),
  },
];

const stages: StageDefinition[] = [
  { slug: 'awareness', name: 'Awareness', order: 1, rule: rule(true) },
  {
    slug: 'purchase',
    name: 'Purchase',
    order: 3,
    rule: rule({ in: ['configurator_completed', { var: 'events' }] }),
  },
];

interface Article extends VariantDefinition {
  targetDocumentId: string;
}

let created = 0;
const variant = (documentId: string, fields: Partial<Article> = {}): Article => ({
  documentId,
  name: documentId,
  persona: null,
  stage: null,
  rule: null,
  priority: 0,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, created++)).toISOString(),
  overrides: { title: documentId },
  targetDocumentId: 'article-1',
  ...fields,
});

const familyPurchase = variant('family-purchase', { persona: 'family', stage: 'purchase' });
const family = variant('family', { persona: 'family' });
const fleet = variant('fleet', { persona: 'fleet' });
const purchase = variant('purchase', { stage: 'purchase' });
const rainy = variant('rainy', { rule: rule({ '==': [{ var: 'weather' }, 'rain'] }) });
const variants = [rainy, purchase, fleet, family, familyPurchase];

const now = new Date('2026-03-02T09:00:00.000Z');
const data = (context: Parameters<typeof evaluationData>[0]): EvaluationData =>
  evaluationData(context, { now });

const decisionFor = (
  context: Parameters<typeof evaluationData>[0],
  list: readonly Article[] = variants
) => decide({ experiments: [], personas, stages, variants: list, evaluationData: data(context) });

describe('decide', () => {
  it('picks the most specific variant: persona+stage', () => {
    const decision = decisionFor({
      traits: { interests: ['family'] },
      events: ['configurator_completed'],
    });
    expect(decision).toEqual({
      persona: 'family',
      personaSource: 'rule',
      stage: 'purchase',
      stageSource: 'rule',
      variant: familyPurchase,
      reason: 'persona+stage',
      warnings: [],
    });
    expect(decision).not.toHaveProperty('trace');
  });

  it.each<[string, Parameters<typeof evaluationData>[0], string | null, string]>([
    ['persona only', { persona: 'family' }, 'family', 'persona'],
    ['stage only', { events: ['configurator_completed'] }, 'purchase', 'stage'],
    ['rule only', { weather: 'rain' }, 'rainy', 'rule'],
    ['nothing', {}, null, 'default'],
    [
      'an explicit persona with no variant of its own',
      { persona: 'fleet', stage: 'awareness' },
      'fleet',
      'persona',
    ],
  ])('gives the reason of the picked variant: %s', (_name, context, picked, reason) => {
    const decision = decisionFor(context);
    expect(decision.variant?.documentId ?? null).toBe(picked);
    expect(decision.reason).toBe(reason);
  });

  it('keeps the variant type of its input', () => {
    const decision = decisionFor({ persona: 'family' });
    expect(decision.variant?.targetDocumentId).toBe('article-1');
  });

  it('reports explicit sources and unknown slugs as warnings, never as errors', () => {
    const decision = decisionFor({ persona: 'ghost', stage: 'gone', traits: { fleetSize: 50 } });
    expect(decision).toMatchObject({
      persona: 'fleet',
      personaSource: 'rule',
      stage: 'awareness',
      stageSource: 'rule',
      variant: fleet,
      warnings: ['unknown persona "ghost" ignored', 'unknown stage "gone" ignored'],
    });
    expect(decisionFor({ persona: 'family', stage: 'purchase' })).toMatchObject({
      personaSource: 'explicit',
      stageSource: 'explicit',
      reason: 'persona+stage',
    });
  });

  it('lets priority beat specificity', () => {
    const boosted = variant('boosted', { priority: 1, rule: rule(true) });
    const decision = decisionFor({ persona: 'family', stage: 'purchase' }, [...variants, boosted]);
    expect(decision.variant).toBe(boosted);
    expect(decision.reason).toBe('rule');
  });

  it('refuses all targeting without consent, with no warnings about slugs', () => {
    const decision = decisionFor({
      persona: 'ghost',
      weather: 'rain',
      consent: { personalization: false },
    });
    expect(decision).toEqual({
      persona: null,
      personaSource: null,
      stage: null,
      stageSource: null,
      variant: null,
      reason: 'no-consent',
      warnings: [],
    });
    expect(decisionFor({ persona: 'family', consent: { personalization: true } }).variant).toBe(
      family
    );
    expect(decisionFor({ persona: 'family', consent: { analytics: false } }).variant).toBe(family);
  });

  it('does not mutate its inputs', () => {
    const list = Object.freeze([...variants]);
    const input = data({ persona: 'family' });
    const before = JSON.stringify(input);
    decide({
      experiments: [],
      personas,
      stages,
      variants: list,
      evaluationData: input,
      trace: true,
    });
    expect(JSON.stringify(input)).toBe(before);
    expect(list).toEqual(variants);
  });

  it('is deterministic, whatever the order of the variants', () => {
    const context = { persona: 'family', events: ['configurator_completed'], weather: 'rain' };
    const expected = decisionFor(context).variant;
    for (let i = 0; i < variants.length; i++) {
      const rotated = [...variants.slice(i), ...variants.slice(0, i)];
      expect(decisionFor(context, rotated).variant).toBe(expected);
      expect(decisionFor(context, rotated.reverse()).variant).toBe(expected);
    }
  });

  it('evaluates no variant rule that cannot win', () => {
    const spy = Object.assign(
      jest.fn(() => true),
      { reads: new Set<string>(), logic: true }
    );
    const best = variant('best', { priority: 9 });
    const worse = variant('worse', { rule: spy });
    decide({
      experiments: [],
      personas,
      stages,
      variants: [best, worse],
      evaluationData: data({}),
    });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('decide with a trace', () => {
  it('explains every variant, in pick order', () => {
    const decision = decide({
      experiments: [],
      personas,
      stages,
      variants,
      evaluationData: data({ persona: 'family', weather: 'sun' }),
      trace: true,
    });
    expect(decision.variant).toBe(family);
    expect(decision.trace).toEqual([
      {
        documentId: 'family-purchase',
        name: 'family-purchase',
        persona: 'family',
        stage: 'purchase',
        personaMatched: true,
        stageMatched: false,
        ruleMatched: null,
        candidate: false,
        picked: false,
        note: 'stage "purchase" required, visitor is "awareness"',
        why: [{ code: 'stage-mismatch', values: { required: 'purchase', visitor: 'awareness' } }],
      },
      expect.objectContaining({
        documentId: 'family',
        candidate: true,
        picked: true,
        note: 'picked',
      }),
      expect.objectContaining({
        documentId: 'fleet',
        personaMatched: false,
        note: 'persona "fleet" required, visitor is "family"',
      }),
      expect.objectContaining({ documentId: 'purchase', stageMatched: false }),
      expect.objectContaining({
        documentId: 'rainy',
        ruleMatched: false,
        candidate: false,
        note: 'rule did not match',
      }),
    ]);
  });

  it.each<[string, Partial<Article>, string]>([
    ['higher priority', { priority: 2 }, 'lost to "winner" (higher priority)'],
    ['more specific', { persona: 'family' }, 'lost to "winner" (more specific)'],
    [
      'created earlier',
      { createdAt: '2020-01-01T00:00:00.000Z' },
      'lost to "winner" (created earlier)',
    ],
  ])('says why a candidate lost: %s', (_name, winnerFields, note) => {
    const loser = variant('loser', { createdAt: '2026-06-01T00:00:00.000Z' });
    const winner = variant('winner', { createdAt: '2026-06-01T00:00:00.000Z', ...winnerFields });
    const decision = decide({
      experiments: [],
      personas,
      stages,
      variants: [loser, winner],
      evaluationData: data({ persona: 'family' }),
      trace: true,
    });
    expect(decision.variant).toBe(winner);
    expect(decision.trace?.find((entry) => entry.documentId === 'loser')).toMatchObject({
      candidate: true,
      picked: false,
      note,
    });
  });

  it('names every reason a variant is out, and a visitor without persona or stage', () => {
    const strict = variant('strict', {
      persona: 'fleet',
      stage: 'purchase',
      rule: rule({ '==': [{ var: 'weather' }, 'snow'] }),
    });
    const decision = decide({
      experiments: [],
      personas,
      stages: [],
      variants: [strict],
      evaluationData: data({}),
      trace: true,
    });
    expect(decision.trace).toEqual([
      expect.objectContaining({
        personaMatched: false,
        stageMatched: false,
        ruleMatched: false,
        note: 'persona "fleet" required, visitor has no persona; stage "purchase" required, visitor has no stage; rule did not match',
      }),
    ]);
  });

  it('explains the no-consent decision too', () => {
    const decision = decide({
      experiments: [],
      personas,
      stages,
      variants: [family, rainy],
      evaluationData: data({ consent: { personalization: false } }),
      trace: true,
    });
    expect(decision.reason).toBe('no-consent');
    expect(decision.trace).toHaveLength(2);
    for (const entry of decision.trace ?? []) {
      expect(entry).toMatchObject({ candidate: false, picked: false, ruleMatched: null });
      expect(entry.note).toMatch(/consent/);
    }
  });

  it('is the decision of decideWithoutTrace, with the trace', () => {
    for (const context of [{ persona: 'family', weather: 'sun' }, { weather: 'rain' }, {}]) {
      const input = { experiments: [], personas, stages, variants, evaluationData: data(context) };
      const { trace, ...decision } = decide({ ...input, trace: true });
      expect(trace).toHaveLength(variants.length);
      expect(decideWithoutTrace(input)).toEqual(decision);
    }
  });

  it('lists nothing for no variants', () => {
    const decision = decide({
      experiments: [],
      personas,
      stages,
      variants: [],
      evaluationData: data({}),
      trace: true,
    });
    expect(decision).toMatchObject({ reason: 'default', variant: null, trace: [] });
  });
});

describe('decide, the whole decision', () => {
  const experiment: ExperimentDefinition = {
    documentId: 'exp-1',
    key: 'tone',
    seed: 'seed',
    locale: null,
    status: 'running',
    winner: null,
    // Every participant gets the family variant, whatever the pick.
    arms: [{ key: 'family', variant: family.documentId, weight: 1 }],
    trafficAllocation: 1,
    audience: null,
    goal: 'signup',
  };
  const input = { personas, stages, variants, experiments: [experiment] };

  it('is the empty decision without a visitor context, with every variant untried', () => {
    const decision = decide({ ...input, evaluationData: null, trace: true });
    expect({ ...decision, trace: undefined }).toEqual({ ...emptyDecision(), trace: undefined });
    expect(decision.trace?.map((entry) => entry.note)).toEqual(
      variants.map(() => 'no visitor context: everyone gets the base entry')
    );
    expect(decision.trace?.every((entry) => !entry.candidate && !entry.picked)).toBe(true);
  });

  it('lets an experiment replace the pick, also without consent to personalization', () => {
    const visitor = { visitorId: 'v-1', traits: { fleetSize: 40 } };
    expect(decide({ ...input, evaluationData: data(visitor) })).toMatchObject({
      persona: 'fleet',
      variant: family,
      reason: 'experiment',
      experiment: { key: 'tone', arm: 'family' },
    });
    const refused = decide({
      ...input,
      evaluationData: data({ ...visitor, consent: { personalization: false } }),
    });
    expect(refused).toMatchObject({ persona: null, variant: family, reason: 'experiment' });
  });
});

describe('decide with the holdout, preview links and remembered arms', () => {
  const experiment: ExperimentDefinition = {
    documentId: 'exp-2',
    key: 'split',
    seed: 'seed',
    locale: null,
    status: 'running',
    winner: null,
    arms: [
      { key: 'control', variant: null, weight: 0.5 },
      { key: 'rainy', variant: rainy.documentId, weight: 0.5 },
    ],
    trafficAllocation: 1,
    audience: null,
    goal: 'signup',
  };
  const holdout = { share: 0.2, seed: 'h' };
  const input = { personas, stages, variants, experiments: [experiment], holdout };
  const visitors = Array.from({ length: 200 }, (_, index) => `v-${index}`);
  const held = visitors.filter((id) => inHoldout(holdout, id));
  const notHeld = visitors.filter((id) => !inHoldout(holdout, id));
  const fleetContext = (visitorId: string) => ({ visitorId, traits: { fleetSize: 40 } });

  it('gives a held-out visitor the base entry and no arm, remembering who they would have been', () => {
    expect(held.length).toBeGreaterThan(10);
    for (const visitorId of held) {
      const decision = decide({
        ...input,
        evaluationData: data(fleetContext(visitorId)),
        trace: true,
      });
      expect(decision).toMatchObject({
        reason: 'holdout',
        variant: null,
        persona: null,
        stage: null,
        wouldBe: { persona: 'fleet', stage: 'awareness' },
      });
      expect(decision.experiment).toBeUndefined();
      expect(decision.trace?.every((entry) => entry.why[0].code === 'holdout')).toBe(true);
    }
    for (const visitorId of notHeld) {
      const decision = decide({ ...input, evaluationData: data(fleetContext(visitorId)) });
      expect(decision.reason).toBe('experiment');
      expect(decision.wouldBe).toBeUndefined();
    }
  });

  it('holds nobody out of an entry without variants or experiments', () => {
    const decision = decide({
      ...input,
      variants: [],
      experiments: [],
      evaluationData: data(fleetContext(held[0])),
    });
    expect(decision).toMatchObject({ reason: 'default', persona: 'fleet' });
  });

  it('lets a preview link force a persona and a stage over the context, the holdout and consent', () => {
    const decision = decide({
      ...input,
      experiments: [],
      evaluationData: data({ ...fleetContext(held[0]), consent: { personalization: false } }),
      preview: { persona: 'family', stage: 'purchase' },
    });
    expect(decision).toMatchObject({
      reason: 'preview',
      persona: 'family',
      personaSource: 'explicit',
      stage: 'purchase',
      variant: familyPurchase,
    });
  });

  it("lets a preview link force an arm, or the visitor's own arm, and keeps other experiments out", () => {
    for (const visitorId of [...held.slice(0, 3), ...notHeld.slice(0, 3)]) {
      const evaluation = data(fleetContext(visitorId));
      const forced = decide({
        ...input,
        evaluationData: evaluation,
        preview: { experiment: 'split', arm: 'rainy' },
      });
      expect(forced).toMatchObject({
        reason: 'preview',
        variant: rainy,
        experiment: { key: 'split', arm: 'rainy' },
      });
      const own = decide({
        ...input,
        evaluationData: evaluation,
        preview: { experiment: 'split' },
      });
      expect(own.experiment?.arm).toBe(bucketArm(experiment, visitorId)?.key);
      const personaOnly = decide({
        ...input,
        evaluationData: evaluation,
        preview: { persona: 'fleet' },
      });
      expect(personaOnly).toMatchObject({ reason: 'preview', variant: fleet });
      expect(personaOnly.experiment).toBeUndefined();
    }
    const unknownArm = decide({
      ...input,
      evaluationData: data(fleetContext('x')),
      preview: { experiment: 'split', arm: 'nope' },
    });
    expect(unknownArm).toMatchObject({ reason: 'preview', variant: fleet });
  });

  it('keeps a remembered arm whatever the weights now say', () => {
    for (const visitorId of notHeld.slice(0, 20)) {
      const bucketed = bucketArm(experiment, visitorId)?.key;
      const other = bucketed === 'control' ? 'rainy' : 'control';
      const decision = decide({
        ...input,
        evaluationData: data(fleetContext(visitorId)),
        rememberedArms: new Map([['split', other]]),
      });
      expect(decision.experiment).toEqual({ key: 'split', arm: other });
      // An arm the experiment no longer has is not kept.
      const gone = decide({
        ...input,
        evaluationData: data(fleetContext(visitorId)),
        rememberedArms: new Map([['split', 'removed']]),
      });
      expect(gone.experiment?.arm).toBe(bucketed);
    }
  });
});
