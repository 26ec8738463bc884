import { z } from 'zod';

import type { ConditionMatch } from '../engine/rule-match';
import { messageSchema } from './common';

/** `POST /personalize/rules/validate`: the context is read as the delivery reads it. */
export const ruleCheckBodySchema = z.strictObject({
  rule: z.unknown(),
  context: z.unknown().optional(),
});

/** Whether a condition holds for the tested visitor, and the conditions it is made of. */
export const conditionMatchSchema: z.ZodType<ConditionMatch> = z.lazy(() =>
  z.strictObject({
    path: z.string(),
    matched: z.boolean(),
    conditions: z.array(conditionMatchSchema).optional(),
  })
);

/**
 * The rule editor's live check: its problems, and with a context whether it matches (`result`)
 * and which of its conditions do (`match`, absent for no rule).
 */
export const ruleCheckSchema = z.strictObject({
  valid: z.boolean(),
  errors: z.array(messageSchema.extend({ path: z.string() })),
  result: z.boolean().optional(),
  match: conditionMatchSchema.optional(),
});
export type RuleCheck = z.infer<typeof ruleCheckSchema>;
