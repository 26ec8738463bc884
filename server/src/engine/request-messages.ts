/**
 * The messages a request for a decision can be refused with: its visitor context (context.ts) and
 * its target. MESSAGES (messages.ts) holds them with all the others; this catalog of theirs alone
 * keeps the others out of the edge bundle (edge/), which refuses as the origin does.
 */
import { FIELD_MESSAGES, messageCatalog } from './message-catalog';

/** A visitor context (a decision, sample contexts, the rule test, the preview). */
export const CONTEXT_MESSAGES = {
  'context.notNegative': 'must not be negative',
  'context.listOfStrings': 'must be a list of strings',
  'context.traitValue': 'must be a string, a number, a boolean or a list of strings',
  'context.nameNotAllowed': 'this name is not allowed',
  'context.nameTooLong': 'a name has at most {max} characters',
  'context.tooManyTraits': 'at most {max} traits',
  'context.country': 'must be an ISO 3166-1 alpha-2 country code such as "DE"',
  'context.hour': 'must be 0 to 23',
  'context.weekday': 'must be 0 (Sunday) to 6',
  'context.date': 'must be a date such as "2026-03-02"',
  'context.notObject': 'the context must be an object',
  'context.notJsonString': 'the context must be a JSON string',
  'context.notJsonObject': 'the context must be a JSON object',
  'context.notJson': 'context is not valid JSON: {reason}',
  'context.tooLong': 'the context is longer than {max} bytes',
  'context.unreadable': 'the context could not be read: {reason}',
} as const;

/** The entry a variant or a decision targets. */
export const TARGET_MESSAGES = {
  'target.unknownType':
    'expected the uid of one of the app\'s content types, e.g. "api::article.article"',
  'target.documentIdRequired': 'required for a collection type',
} as const;

export const REQUEST_MESSAGES = {
  ...FIELD_MESSAGES,
  ...CONTEXT_MESSAGES,
  ...TARGET_MESSAGES,
} as const;

/** The wording of these messages alone: as messages.ts words them, for context.ts and the edge. */
export const { messageOf, messageOfZodIssue, refinement } = messageCatalog(REQUEST_MESSAGES);
