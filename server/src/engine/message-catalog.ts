/**
 * How a message of MESSAGES (messages.ts) is worded: its template filled in, in English, and zod's
 * checks said with FIELD_MESSAGES. A catalog does it for a part of MESSAGES: the server's holds
 * them all, the edge bundle only those a request for a decision can be refused with
 * (request-messages.ts), so that it does not carry every message of the admin.
 */
import type { z } from 'zod';

import type { IssueMessage, Message, MessageId, MessageValues } from './messages';

/** Any field: zod's checks said in words, and the formats fields share. */
export const FIELD_MESSAGES = {
  'field.required': 'required',
  'field.notEmpty': 'must not be empty',
  'field.tooShort': 'at least {min} characters',
  'field.tooLong': 'at most {max} characters',
  'field.atLeast': 'must be at least {min}',
  'field.above': 'must be greater than {min}',
  'field.atMost': 'must be at most {max}',
  'field.below': 'must be less than {max}',
  'field.tooFewItems': 'at least {min, plural, one {# item} other {# items}}',
  'field.tooManyItems': 'at most {max, plural, one {# item} other {# items}}',
  'field.string': 'must be a string',
  'field.number': 'must be a number',
  'field.wholeNumber': 'must be a whole number',
  'field.boolean': 'must be true or false',
  'field.object': 'must be an object',
  'field.list': 'must be a list',
  'field.email': 'must be an email address',
  'field.oneOf': 'must be one of {options}',
  'field.format': 'has the wrong format',
  'field.invalid': 'invalid value',
  'field.unknown': 'unknown field',
  'field.unstorable': 'contains a NUL character or an unpaired surrogate, which cannot be stored',
  'field.slug': 'use lowercase letters, digits and single hyphens, e.g. "fleet-manager"',
  'field.key': 'use lowercase letters, digits and single hyphens',
  'field.armKey': 'use lowercase letters, digits, "-" and "_"',
  'field.eventName': 'use letters, digits, "_", "-", "." and ":"',
} as const;

type FieldMessageId = keyof typeof FIELD_MESSAGES;

const PLURAL = /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g;
const NUMBER = /\{(\w+), number\}/g;
const ARGUMENT = /\{(\w+)\}/g;

/** A number as react-intl writes `#` and `{name, number}` in English: with separators. */
const numberOf = (value: string | number | undefined) =>
  typeof value === 'number' ? value.toLocaleString('en') : String(value);

/** A template of MESSAGES filled in, in English, as react-intl fills it in the admin. */
export const fillTemplate = (template: string, values: MessageValues = {}): string =>
  template
    .replace(PLURAL, (_whole, name: string, one: string, other: string) =>
      (values[name] === 1 ? one : other).split('#').join(numberOf(values[name]))
    )
    .replace(NUMBER, (_whole, name: string) => numberOf(values[name]))
    .replace(ARGUMENT, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole
    );

const TYPE_MESSAGES: Readonly<Record<string, FieldMessageId>> = {
  string: 'field.string',
  number: 'field.number',
  int: 'field.wholeNumber',
  boolean: 'field.boolean',
  object: 'field.object',
  record: 'field.object',
  array: 'field.list',
};

type Bound = { origin: string; inclusive?: boolean };

type Found<Id extends MessageId> = { messageId: Id; values?: MessageValues };

const boundMessage = (issue: Bound, limit: number, side: 'min' | 'max'): Found<FieldMessageId> => {
  const values = { [side]: limit };
  if (issue.origin === 'string') {
    if (side === 'min' && limit === 1) return { messageId: 'field.notEmpty' };
    return { messageId: side === 'min' ? 'field.tooShort' : 'field.tooLong', values };
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    return { messageId: side === 'min' ? 'field.tooFewItems' : 'field.tooManyItems', values };
  }
  if (side === 'min')
    return { messageId: issue.inclusive ? 'field.atLeast' : 'field.above', values };
  return { messageId: issue.inclusive ? 'field.atMost' : 'field.below', values };
};

const valuesOf = (value: unknown): MessageValues | undefined =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(
        Object.entries(value).filter(
          (entry): entry is [string, string | number] =>
            typeof entry[1] === 'string' || typeof entry[1] === 'number'
        )
      )
    : undefined;

/** The wording of the messages of `templates` (a part of MESSAGES with every FIELD_MESSAGES). */
export const messageCatalog = <Id extends MessageId>(
  templates: Readonly<Record<Id | FieldMessageId, string>>
) => {
  type CatalogId = Id | FieldMessageId;

  /** The message `messageId` with `values`, in English and by id. */
  const messageOf = (messageId: CatalogId, values?: MessageValues): Message => ({
    message: fillTemplate(templates[messageId], values),
    messageId,
    ...(values ? { values } : {}),
  });

  /** A zod refinement's (or a custom issue's) `message` and `params` saying `messageId`. */
  const refinement = (messageId: CatalogId, values?: MessageValues) => ({
    message: messageOf(messageId, values).message,
    params: { messageId, values },
  });

  /** The ids of the messages without values, by their text: what a schema's own message says. */
  const fixed = new Map<string, CatalogId>(
    (Object.entries(templates) as [CatalogId, string][])
      .filter(([, template]) => !template.includes('{'))
      .map(([id, template]) => [template, id])
  );

  const isMessageId = (value: unknown): value is CatalogId =>
    typeof value === 'string' && Object.prototype.hasOwnProperty.call(templates, value);

  /**
   * A zod issue as a message of the catalog: a schema's own message by its text (schemas word
   * theirs with MESSAGES), a refinement's by `params: { messageId, values }`, zod's own checks by
   * their code. A schema's message that is not in the catalog keeps its text, without an id.
   */
  const messageOfZodIssue = (issue: z.core.$ZodIssue): IssueMessage => {
    const fixedId = fixed.get(issue.message);
    if (fixedId) return { message: issue.message, messageId: fixedId };
    let found: Found<CatalogId> | undefined;
    switch (issue.code) {
      case 'custom':
        if (isMessageId(issue.params?.messageId)) {
          found = { messageId: issue.params.messageId, values: valuesOf(issue.params.values) };
        }
        break;
      case 'too_small':
        found = boundMessage(issue, Number(issue.minimum), 'min');
        break;
      case 'too_big':
        found = boundMessage(issue, Number(issue.maximum), 'max');
        break;
      case 'invalid_type':
        // zod's own words are the only sign that the value was missing (its input is not kept).
        found = issue.message.endsWith('received undefined')
          ? { messageId: 'field.required' }
          : { messageId: TYPE_MESSAGES[issue.expected] ?? 'field.invalid' };
        break;
      case 'invalid_value':
        found = {
          messageId: 'field.oneOf',
          values: { options: issue.values.map((value) => String(value)).join(', ') },
        };
        break;
      case 'invalid_format':
        if (issue.format === 'email') found = { messageId: 'field.email' };
        else if (issue.format === 'regex' && issue.message.startsWith('Invalid string')) {
          found = { messageId: 'field.format' };
        }
        break;
      case 'unrecognized_keys':
        found = { messageId: 'field.unknown' };
        break;
      case 'invalid_union':
      case 'not_multiple_of':
        found = { messageId: 'field.invalid' };
        break;
      default:
        break;
    }
    return found ? messageOf(found.messageId, found.values) : { message: issue.message };
  };

  return { messageOf, refinement, messageOfZodIssue };
};
