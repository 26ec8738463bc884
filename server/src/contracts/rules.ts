import { z } from 'zod';

import { messageSchema } from './common';

/** `POST /personalize/rules/validate`: the context is read as the delivery reads it. */
export const ruleCheckBodySchema = z.strictObject({
  rule: z.unknown(),
  context: z.unknown().optional(),
});

/** The rule editor's live check: its problems, and with a context whether it matches. */
export const ruleCheckSchema = z.strictObject({
  valid: z.boolean(),
  errors: z.array(messageSchema.extend({ path: z.string() })),
  result: z.boolean().optional(),
});
export type RuleCheck = z.infer<typeof ruleCheckSchema>;
