import type { Context } from 'koa';
import { z } from 'zod';

import { validateRule } from '../../engine';
import { parseStorableOrThrow } from '../../utils/validation';

const validateBodySchema = z.strictObject({ rule: z.unknown() });

/** `POST /personalize/rules/validate`: the rule editor's live check, the same one as on save. */
const rules = () => ({
  async validate(ctx: Context) {
    const { rule } = parseStorableOrThrow(validateBodySchema, ctx.request.body ?? {}, 'body');
    const errors = validateRule(rule);
    ctx.body = { data: { valid: errors.length === 0, errors } };
  },
});

export default rules;
