import type { Context } from 'koa';
import { z } from 'zod';

import { compileRule, evaluationData, parseVisitorContext, validateRule } from '../../engine';
import { parseStorableOrThrow, throwIssues } from '../../utils/validation';

const validateBodySchema = z.strictObject({ rule: z.unknown(), context: z.unknown().optional() });

/**
 * `POST /personalize/rules/validate`: the rule editor's live check, the same one as on save; with
 * a `context`, also whether a valid rule matches that visitor (`result`), as the delivery decides.
 */
const rules = () => ({
  async validate(ctx: Context) {
    const body = parseStorableOrThrow(validateBodySchema, ctx.request.body ?? {}, 'body');
    const errors = validateRule(body.rule);
    const data: { valid: boolean; errors: typeof errors; result?: boolean } = {
      valid: errors.length === 0,
      errors,
    };
    if (body.context !== undefined && data.valid) {
      const parsed = parseVisitorContext(body.context);
      if (!parsed.ok) throwIssues('context', ['context'], parsed.issues);
      else {
        const rule = compileRule(body.rule);
        const visitor = evaluationData(parsed.value, {
          now: new Date(),
          userAgent: ctx.get('user-agent'),
        });
        data.result = rule === null ? true : rule(visitor);
      }
    }
    ctx.body = { data };
  },
});

export default rules;
