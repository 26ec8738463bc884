import { errors } from '@strapi/utils';
import type { z } from 'zod';

/**
 * Parses `input` with a zod schema or throws Strapi's ValidationError, which Strapi's error
 * middleware turns into `400 { data: null, error: { name: 'ValidationError', message, details } }`
 * with `details.errors` shaped like Strapi's own validation errors (`path`, `message`).
 */
export const parseOrThrow = <Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  subject: string
): z.output<Schema> => {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String),
    message: issue.message,
    name: 'ValidationError',
  }));
  const summary = issues
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new errors.ValidationError(`Invalid ${subject}: ${summary}`, { errors: issues });
};
