import { errors } from '@strapi/utils';
import type { z } from 'zod';

import { messageOf, messageOfZodIssue, type IssueMessage, type Message } from '../engine/messages';
import { validateRule } from '../engine/rules';
import type { Issue } from '../engine/types';

/** A problem at a field: the English message and, for the admin to translate, its id and values. */
export interface ValidationIssue extends IssueMessage {
  path: string[];
}

/**
 * zod issues as Strapi's validation error details (`path`, `message`, `messageId`, `values`),
 * under `prefix`; an unknown key is an issue at the key.
 */
export const issuesOf = (error: z.ZodError, prefix: string[] = []): ValidationIssue[] =>
  error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    return issue.code === 'unrecognized_keys'
      ? issue.keys.slice(0, 20).map((key) => ({ path: [...path, key], ...UNKNOWN_FIELD }))
      : [{ path, ...messageOfZodIssue(issue) }];
  });

const UNKNOWN_FIELD = messageOf('field.unknown');

/**
 * Throws Strapi's ValidationError, which Strapi's error middleware turns into
 * `400 { data: null, error: { name: 'ValidationError', message, details: { errors } } }`.
 */
export function throwValidation(message: string, issues: ValidationIssue[]): never {
  throw new errors.ValidationError(message, {
    errors: issues.map((issue) => ({ ...issue, name: 'ValidationError' })),
  });
}

/** A refusal at one field (or none: `[]`), its message also the error's. */
export function refuse(message: Message, path: string[] = []): never {
  return throwValidation(message.message, [{ path, ...message }]);
}

/**
 * The `details` of an error that is not about fields (403, 404): the message's id and values, so
 * that the admin can say it in the editor's language.
 */
export const detailsOf = ({ messageId, values }: Message) => ({ messageId, values });

/** A 404 saying `message`. */
export function throwNotFound(message: Message): never {
  throw new errors.NotFoundError(message.message, detailsOf(message));
}

/** Issues in one line, each after its path: the message of a ValidationError. */
export const summarize = (issues: ValidationIssue[]) =>
  issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');

// NUL and unpaired surrogates: PostgreSQL refuses both in text and jsonb columns.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_MESSAGE = messageOf('field.unstorable');

interface PathLink {
  key: string;
  parent: PathLink | undefined;
}

const pathOf = (link: PathLink | undefined, prefix: string[]): string[] => {
  const keys: string[] = [];
  for (let at = link; at; at = at.parent) keys.push(at.key);
  return [...prefix, ...keys.reverse()];
};

/** Every string (value or key) in parsed JSON that a database cannot store, with its path. */
export const unstorableText = (value: unknown, prefix: string[] = []): ValidationIssue[] => {
  // Iterative with parent links, so a deeply nested body neither overflows the stack nor copies
  // a path per level.
  const issues: ValidationIssue[] = [];
  const pending: [unknown, PathLink | undefined][] = [[value, undefined]];
  for (let next = pending.pop(); next && issues.length < 20; next = pending.pop()) {
    const [current, link] = next;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current))
        issues.push({ path: pathOf(link, prefix), ...UNSTORABLE_MESSAGE });
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push([item, { key: String(index), parent: link }]));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const child = { key, parent: link };
        if (UNSTORABLE.test(key))
          issues.push({ path: pathOf(child, prefix), ...UNSTORABLE_MESSAGE });
        pending.push([item, child]);
      }
    }
  }
  return issues;
};

/** Parses `input` with a zod schema or throws a ValidationError naming every problem. */
export const parseOrThrow = <Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  subject: string
): z.output<Schema> => {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const issues = issuesOf(result.error);
  return throwValidation(`Invalid ${subject}: ${summarize(issues)}`, issues);
};

/** Throws a ValidationError for issues found outside zod (rules, contexts), under `prefix`. */
export function throwIssues(subject: string, prefix: string[], issues: Issue[]): never {
  const details = issues.map(({ path, ...message }) => ({
    path: [...prefix, ...(path ? path.split('.') : [])],
    ...message,
  }));
  return throwValidation(`Invalid ${subject}: ${summarize(details)}`, details);
}

/**
 * `parseOrThrow` for a body that will be written: text a database cannot store is refused first,
 * so that it never reaches a write as a 500.
 */
export const parseStorableOrThrow = <Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  subject: string
): z.output<Schema> => {
  const unstorable = unstorableText(input);
  if (unstorable.length > 0)
    throwValidation(`Invalid ${subject}: ${summarize(unstorable)}`, unstorable);
  return parseOrThrow(schema, input, subject);
};

/** Refuses an invalid JSON-logic rule (null = none) with a ValidationError at `field`. */
export const assertValidRule = (rule: unknown, field = 'rule') => {
  const issues = validateRule(rule);
  if (issues.length > 0) throwIssues(field, [field], issues);
};
