import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { ruleCheckBodySchema, type RuleCheck } from '../../contracts';
import { compileRule, validateRule } from '../../engine';
import { parseStorableOrThrow } from '../../utils/validation';
import { readBodyContext } from '../../utils/visitor-context';

/**
 * `POST /personalize/rules/validate`: the rule editor's live check, the same one as on save; with
 * a `context`, also whether a valid rule matches that visitor (`result`), as the delivery decides.
 */
const rules = ({ strapi }: { strapi: Core.Strapi }) => ({
  async validate(ctx: Context) {
    const body = parseStorableOrThrow(ruleCheckBodySchema, ctx.request.body ?? {}, 'body');
    const errors = validateRule(body.rule);
    const data: RuleCheck = {
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
