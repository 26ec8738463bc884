import jsonLogic from 'json-logic-js';

// The story the playground seeds (plain data, no Strapi needed).
import story from '../../playground/src/demo/story';

interface Targeted {
  slug: string;
  rule: unknown;
  sampleContext: Record<string, unknown>;
}

const personas: (Targeted & { priority: number; name: string })[] = story.personas;
const stages: (Targeted & { order: number })[] = story.stages;

const matches = (rule: unknown, context: Record<string, unknown>) =>
  jsonLogic.truthy(jsonLogic.apply(rule as Parameters<typeof jsonLogic.apply>[0], context));

/** docs/architecture.md §5 step 2: the first persona by priority desc, then name asc, whose rule is truthy. */
const classifyPersona = (context: Record<string, unknown>) =>
  [...personas]
    .sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name))
    .find((persona) => matches(persona.rule, context))?.slug;

/** docs/architecture.md §5 step 3: stages are tried from the furthest to the first. */
const classifyStage = (context: Record<string, unknown>) =>
  [...stages].sort((a, b) => b.order - a.order).find((stage) => matches(stage.rule, context))?.slug;

/** Operators of every JSON-logic node in a rule, nested ones included. */
const operatorsOf = (rule: unknown): string[] => {
  if (Array.isArray(rule)) {
    return rule.flatMap(operatorsOf);
  }
  if (rule && typeof rule === 'object') {
    return Object.entries(rule).flatMap(([operator, args]) => [operator, ...operatorsOf(args)]);
  }
  return [];
};

describe('the demo story', () => {
  it('has the four personas and five stages of the car maker', () => {
    expect(personas.map((p) => p.slug).sort()).toEqual([
      'fact-seeker',
      'family',
      'fleet',
      'performance',
    ]);
    expect(stages.map((s) => [s.order, s.slug])).toEqual([
      [1, 'awareness'],
      [2, 'consideration'],
      [3, 'purchase-intent'],
      [4, 'customer'],
      [5, 'loyalty'],
    ]);
  });

  it.each(personas.map((p) => [p.slug, p] as const))(
    'classifies the sample context of persona %s as that persona',
    (slug, persona) => {
      expect(classifyPersona(persona.sampleContext)).toBe(slug);
    }
  );

  it.each(stages.map((s) => [s.slug, s] as const))(
    'classifies the sample context of stage %s as that stage',
    (slug, stage) => {
      expect(classifyStage(stage.sampleContext)).toBe(slug);
    }
  );

  it('recognizes no persona in an empty context, and a first-time visitor is in awareness', () => {
    expect(classifyPersona({})).toBeUndefined();
    expect(classifyStage({})).toBe('awareness');
  });

  it('writes rules only with operators the rule engine will accept', () => {
    const allowed = new Set(['var', 'in', '==', '>=', '<=', 'or', 'and']);
    const used = [...personas, ...stages].flatMap((item) => operatorsOf(item.rule));
    expect(used.filter((operator) => !allowed.has(operator))).toEqual([]);
  });

  it('has every article and the homepage in English and German', () => {
    for (const entry of [story.homepage, ...story.articles]) {
      expect(Object.keys(entry.en).sort()).toEqual(Object.keys(entry.de).sort());
    }
  });
});
