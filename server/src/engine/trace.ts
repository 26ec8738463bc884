/**
 * The preview's decision trace (decide.ts `trace`): every variant of the entry with why it was or
 * was not picked. Apart from decide.ts so that a decision without it (the edge's) does not carry it.
 */
import { fillTemplate } from './message-catalog';
import type { MessageValues } from './messages';
import { TRACE_MESSAGES, type TraceCode } from './reasons';
import { compareVariants, specificity } from './selection';
import type { EvaluationData, TraceNote, VariantDefinition, VariantTrace } from './types';

const note = (code: TraceCode, values?: MessageValues): TraceNote =>
  values ? { code, values } : { code };

/** The notes as one English sentence. */
const sentence = (why: readonly TraceNote[]) =>
  why.map(({ code, values }) => fillTemplate(TRACE_MESSAGES[code], values)).join('; ');

/** Why `variant`, a candidate, lost to `winner`. */
const lostTo = (variant: VariantDefinition, winner: VariantDefinition): TraceNote => {
  const values = { winner: winner.name };
  if (winner.priority !== variant.priority) return note('lost-priority', values);
  if (specificity(winner) !== specificity(variant)) return note('lost-specificity', values);
  if (winner.createdAt !== variant.createdAt) return note('lost-created', values);
  return note('lost-order', values);
};

const mismatch = (
  kind: 'persona' | 'stage',
  required: string,
  visitor: string | null
): TraceNote =>
  visitor === null
    ? note(`${kind}-missing`, { required })
    : note(`${kind}-mismatch`, { required, visitor });

/** How far a decision got: why no rule was evaluated, or step 5's pick and what it was made from. */
export type TraceStep =
  | { untried: 'no-context' | 'no-consent' | 'holdout' }
  | {
      persona: string | null;
      stage: string | null;
      evaluationData: EvaluationData;
      picked: VariantDefinition | null;
    };

/** Every variant in pick order, with why it was or was not picked. */
const triedTrace = (
  variants: readonly VariantDefinition[],
  { persona, stage, evaluationData, picked }: Exclude<TraceStep, { untried: string }>
): VariantTrace[] =>
  variants
    .slice()
    .sort(compareVariants)
    .map((variant) => {
      const personaMatched = variant.persona === null || variant.persona === persona;
      const stageMatched = variant.stage === null || variant.stage === stage;
      // Every rule is evaluated here (also of variants ruled out by persona or stage), to explain.
      const ruleMatched = variant.rule === null ? null : variant.rule(evaluationData);
      const candidate = personaMatched && stageMatched && ruleMatched !== false;
      const isPicked = variant === picked;
      const reasons: TraceNote[] = [];
      if (!personaMatched) reasons.push(mismatch('persona', variant.persona as string, persona));
      if (!stageMatched) reasons.push(mismatch('stage', variant.stage as string, stage));
      if (ruleMatched === false) reasons.push(note('rule-no-match'));
      const why = isPicked
        ? [note('picked')]
        : reasons.length > 0
          ? reasons
          : [picked !== null ? lostTo(variant, picked) : note('not-picked')];
      return {
        documentId: variant.documentId,
        name: variant.name,
        persona: variant.persona,
        stage: variant.stage,
        personaMatched,
        stageMatched,
        ruleMatched,
        candidate,
        picked: isPicked,
        note: sentence(why),
        why,
      };
    });

/** Every variant in pick order, none picked, for the same reason: when no rule was evaluated. */
const untriedTrace = (
  variants: readonly VariantDefinition[],
  code: 'no-context' | 'no-consent' | 'holdout'
): VariantTrace[] =>
  variants
    .slice()
    .sort(compareVariants)
    .map((variant) => ({
      documentId: variant.documentId,
      name: variant.name,
      persona: variant.persona,
      stage: variant.stage,
      personaMatched: variant.persona === null,
      stageMatched: variant.stage === null,
      ruleMatched: null,
      candidate: false,
      picked: false,
      note: TRACE_MESSAGES[code],
      why: [note(code)],
    }));

/** The trace of a decision's variants (the entry's, in the requested locale), as far as it got. */
export const traceOf = (variants: readonly VariantDefinition[], step: TraceStep): VariantTrace[] =>
  'untried' in step ? untriedTrace(variants, step.untried) : triedTrace(variants, step);
