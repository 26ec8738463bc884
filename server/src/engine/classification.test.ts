import {
  classifyPersona,
  classifyStage,
  comparePersonas,
  compareStages,
  compareText,
} from './classification';
import { compileRule } from './rules';
import type { CompiledRule, EvaluationData, PersonaDefinition, StageDefinition } from './types';

const rule = (logic: unknown): CompiledRule => compileRule(logic) as CompiledRule;

const persona = (
  slug: string,
  priority: number,
  logic: unknown,
  name = slug[0].toUpperCase() + slug.slice(1)
): PersonaDefinition => ({ slug, name, priority, rule: logic === null ? null : rule(logic) });

const stage = (slug: string, order: number, logic: unknown, name = slug): StageDefinition => ({
  slug,
  name,
  order,
  rule: logic === null ? null : rule(logic),
});

const personas: PersonaDefinition[] = [
  persona('family', 0, { in: ['family', { var: 'traits.interests' }] }),
  persona('fleet', 10, { '>=': [{ var: 'traits.fleetSize' }, 10] }),
  persona('commuter', 0, { '==': [{ var: 'traits.commute' }, true] }),
  persona('press', 5, null),
];

const stages: StageDefinition[] = [
  stage('awareness', 1, true),
  stage('consideration', 2, { '>=': [{ var: 'visits' }, 2] }),
  stage('purchase', 3, { in: ['configurator_completed', { var: 'events' }] }),
  stage('loyalty', 4, null),
];

describe('classifyPersona', () => {
  it('takes an explicit persona that exists, before any rule', () => {
    const data: EvaluationData = { persona: 'press', traits: { fleetSize: 40 } };
    expect(classifyPersona(personas, data)).toEqual({
      persona: 'press',
      source: 'explicit',
      warnings: [],
    });
  });

  it('ignores an unknown explicit persona with one warning, then classifies by rule', () => {
    const data: EvaluationData = { persona: 'xyz', traits: { interests: ['family'] } };
    expect(classifyPersona(personas, data)).toEqual({
      persona: 'family',
      source: 'rule',
      warnings: ['unknown persona "xyz" ignored'],
    });
  });

  it('quotes a hostile slug in the warning', () => {
    const { warnings } = classifyPersona(personas, { persona: 'a"b\n' });
    expect(warnings).toEqual(['unknown persona "a\\"b\\n" ignored']);
  });

  it('tries personas by priority desc: fleet (10) before family (0)', () => {
    const data: EvaluationData = { traits: { interests: ['family'], fleetSize: 12 } };
    expect(classifyPersona(personas, data)).toEqual({
      persona: 'fleet',
      source: 'rule',
      warnings: [],
    });
  });

  it('breaks a priority tie by name in code-unit order, not locale order', () => {
    const tied = [
      persona('lower', 0, true, 'apple'),
      persona('upper', 0, true, 'Zebra'),
      persona('accent', 0, true, 'Élan'),
    ];
    // "Z" (0x5a) < "a" (0x61) < "É" (0xc9); localeCompare would put apple first.
    expect(classifyPersona(tied, {}).persona).toBe('upper');
    expect(classifyPersona([...tied].reverse(), {}).persona).toBe('upper');
  });

  it('never matches a persona without a rule, and answers null when nothing matches', () => {
    expect(classifyPersona([persona('press', 100, null)], {})).toEqual({
      persona: null,
      source: null,
      warnings: [],
    });
    expect(classifyPersona(personas, {})).toEqual({ persona: null, source: null, warnings: [] });
    expect(classifyPersona([], { persona: 'x' })).toEqual({
      persona: null,
      source: null,
      warnings: ['unknown persona "x" ignored'],
    });
  });

  it('ignores an empty or non-string explicit persona', () => {
    expect(classifyPersona(personas, { persona: '' }).warnings).toEqual([]);
    expect(classifyPersona(personas, { persona: 3 }).warnings).toEqual([]);
  });

  it('does not reorder its input', () => {
    const input = [...personas];
    classifyPersona(input, {});
    expect(input).toEqual(personas);
  });
});

describe('classifyStage', () => {
  it('takes an explicit stage that exists', () => {
    expect(classifyStage(stages, { stage: 'awareness', visits: 9 })).toEqual({
      stage: 'awareness',
      source: 'explicit',
      warnings: [],
    });
  });

  it('tries the furthest stage first: purchase beats consideration and awareness', () => {
    const data = { visits: 5, events: ['configurator_completed'] };
    expect(classifyStage(stages, data)).toEqual({
      stage: 'purchase',
      source: 'rule',
      warnings: [],
    });
    expect(classifyStage(stages, { visits: 5 }).stage).toBe('consideration');
    expect(classifyStage(stages, {}).stage).toBe('awareness');
  });

  it('ignores an unknown explicit stage with a warning', () => {
    expect(classifyStage(stages, { stage: 'gone' })).toEqual({
      stage: 'awareness',
      source: 'rule',
      warnings: ['unknown stage "gone" ignored'],
    });
  });

  it('breaks an order tie by name, and never matches a stage without a rule', () => {
    const tied = [stage('b', 2, true, 'b'), stage('a', 2, true, 'a'), stage('z', 9, null, 'z')];
    expect(classifyStage(tied, {}).stage).toBe('a');
    expect(classifyStage([stage('only', 1, null)], {})).toEqual({
      stage: null,
      source: null,
      warnings: [],
    });
  });
});

describe('orders', () => {
  it('compares text by code units', () => {
    expect(['b', 'B', 'a', 'é', 'e'].sort(compareText)).toEqual(['B', 'a', 'b', 'e', 'é']);
    expect(compareText('x', 'x')).toBe(0);
  });

  it('sorts personas by priority desc, name asc and stages by order desc, name asc', () => {
    expect([...personas].sort(comparePersonas).map((p) => p.slug)).toEqual([
      'fleet',
      'press',
      'commuter',
      'family',
    ]);
    expect([...stages].sort(compareStages).map((s) => s.slug)).toEqual([
      'loyalty',
      'purchase',
      'consideration',
      'awareness',
    ]);
  });
});
