import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { ruleCheckBodySchema, type RuleCheck } from '../../contracts';
import { matchConditions, validateRule } from '../../engine';
import { parseStorableOrThrow } from '../../utils/validation';
import { readBodyContext } from '../../utils/visitor-context';

/**
 * `POST /personalize/rules/validate`: the rule editor's live check, the same one as on save; with
 * a `context`, also whether a valid rule matches that visitor (`result`), as the delivery decides,
 * and which of its conditions do (`match`).
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
    const visitor = data.valid ? await readBodyContext(strapi, ctx, body.context) : null;
    if (visitor) {
      const match = matchConditions(body.rule, visitor.evaluationData);
      // No rule matches everyone.
      data.result = match?.matched ?? true;
      if (match) data.match = match;
    }
    ctx.body = { data };
  },
});

export default rules;
