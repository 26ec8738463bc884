import type { Context, Next } from 'koa';

import { throwValidation, unstorableText } from '../utils/validation';

/**
 * Every route of the plugin refuses (400) path parameters, query or body holding text that a
 * database cannot store or compare (a NUL character, an unpaired surrogate): PostgreSQL answers
 * such a query with an error, which would be a 500. It runs after the route's authentication
 * and policies.
 */
export const storableInput = async (ctx: Context, next: Next) => {
  const issues = [
    ...unstorableText(ctx.params ?? {}, ['params']),
    ...unstorableText(ctx.query ?? {}, ['query']),
    ...unstorableText(ctx.request.body ?? null, ['body']),
  ];
  if (issues.length > 0) {
    throwValidation(
      `Invalid input: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      issues
    );
  }
  await next();
};
