import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';

import { compileRule, validateRule } from '../../engine';
import { parseStorableOrThrow } from '../../utils/validation';
import { readBodyContext } from '../../utils/visitor-context';

const validateBodySchema = z.strictObject({ rule: z.unknown(), context: z.unknown().optional() });

/**
 * `POST /personalize/rules/validate`: the rule editor's live check, the same one as on save; with
 * a `context`, also whether a valid rule matches that visitor (`result`), as the delivery decides.
 */
const rules = ({ strapi }: { strapi: Core.Strapi }) => ({
  async validate(ctx: Context) {
    const body = parseStorableOrThrow(validateBodySchema, ctx.request.body ?? {}, 'body');
    const errors = validateRule(body.rule);
    const data: { valid: boolean; errors: typeof errors; result?: boolean } = {
      valid: errors.length === 0,
      errors,
    };
    // The context is read as the delivery reads it (server time, device from the User-Agent).
    const visitor = data.valid ? readBodyContext(strapi, ctx, body.context) : null;
    if (visitor) {
      const rule = compileRule(body.rule);
      data.result = rule === null || rule(visitor.evaluationData);
    }
    ctx.body = { data };
  },
});

export default rules;
