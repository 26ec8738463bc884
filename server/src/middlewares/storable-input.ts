import type { Context, Next } from 'koa';

import { throwValidation, unstorableText } from '../utils/validation';

/**
 * Every route of the plugin refuses (400) path parameters, query or body holding text that a
 * database cannot store or compare (a NUL character, an unpaired surrogate): PostgreSQL answers
 * such a query with an error, which would be a 500. It runs after the route's authentication
 * and policies.
 */
export const storableInput = async (ctx: Context, next: Next) => {
  // Paths as the other validation errors name them: the parameter's or the body field's own.
  const issues = [
    ...unstorableText(ctx.params ?? {}),
    ...unstorableText(ctx.query ?? {}),
    ...unstorableText(ctx.request.body ?? null),
  ];
  if (issues.length > 0) {
    throwValidation(
      `Invalid input: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      issues
    );
  }
  await next();
};
