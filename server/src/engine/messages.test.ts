import { z } from 'zod';

import { visitorContextSchema } from './context';
import { fillTemplate } from './message-catalog';
import { MESSAGES, messageOf, messageOfZodIssue, refinement } from './messages';
import * as request from './request-messages';

describe('fillTemplate', () => {
  it('fills values, counts and numbers as react-intl does in English', () => {
    expect(fillTemplate('at most {max} characters', { max: 16384 })).toBe(
      'at most 16384 characters'
    );
    expect(fillTemplate(MESSAGES['classification.inUse'], { count: 1 })).toBe(
      'used by 1 variant version; delete or retarget them first'
    );
    expect(fillTemplate(MESSAGES['classification.inUse'], { count: 1200 })).toBe(
      'used by 1,200 variant versions; delete or retarget them first'
    );
    expect(fillTemplate('up to {cost, number} units', { cost: 2500000 })).toBe(
      'up to 2,500,000 units'
    );
  });

  it('leaves a value it was not given as it is', () => {
    expect(fillTemplate('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });
});

describe('messageOfZodIssue', () => {
  const messagesOf = (schema: z.ZodType, input: unknown) => {
    const result = schema.safeParse(input);
    return result.success ? [] : result.error.issues.map(messageOfZodIssue);
  };

  it("names zod's own checks by their code, with their bounds", () => {
    const schema = z.strictObject({
      name: z.string().trim().min(1).max(5),
      weight: z.number().positive(),
      priority: z.number().int().max(10),
      arms: z.array(z.string()).min(2),
      device: z.enum(['mobile', 'desktop']),
      goal: z.string(),
    });
    expect(
      messagesOf(schema, { name: ' ', weight: 0, priority: 11.5, arms: [], device: 'tv' })
    ).toEqual([
      { message: 'must not be empty', messageId: 'field.notEmpty' },
      { message: 'must be greater than 0', messageId: 'field.above', values: { min: 0 } },
      { message: 'must be a whole number', messageId: 'field.wholeNumber' },
      { message: 'at least 2 items', messageId: 'field.tooFewItems', values: { min: 2 } },
      {
        message: 'must be one of mobile, desktop',
        messageId: 'field.oneOf',
        values: { options: 'mobile, desktop' },
      },
      { message: 'required', messageId: 'field.required' },
    ]);
    expect(messagesOf(schema.shape.name, 'x'.repeat(6))).toEqual([
      { message: 'at most 5 characters', messageId: 'field.tooLong', values: { max: 5 } },
    ]);
  });

  it("names a schema's own message of MESSAGES, and a refinement's by its params", () => {
    expect(messagesOf(z.string().regex(/^a$/, MESSAGES['field.slug']), 'b')).toEqual([
      { message: MESSAGES['field.slug'], messageId: 'field.slug' },
    ]);
    const refined = z
      .string()
      .refine(() => false, refinement('experiment.controlArm', { key: 'c' }));
    expect(messagesOf(refined, 'x')).toEqual([messageOf('experiment.controlArm', { key: 'c' })]);
  });

  it('keeps a message it does not know, without an id', () => {
    expect(
      messagesOf(
        z.string().refine(() => false, 'something else'),
        'x'
      )
    ).toEqual([{ message: 'something else' }]);
  });
});

describe("the request's catalog (request-messages.ts, the edge bundle's)", () => {
  it('holds messages of MESSAGES, and words them and zod issues of a context alike', () => {
    for (const [id, template] of Object.entries(request.REQUEST_MESSAGES)) {
      expect([id, template]).toEqual([id, MESSAGES[id as keyof typeof MESSAGES]]);
      expect(request.messageOf(id as keyof typeof request.REQUEST_MESSAGES, { max: 3 })).toEqual(
        messageOf(id as keyof typeof MESSAGES, { max: 3 })
      );
    }
    const result = visitorContextSchema.safeParse({
      visits: -1,
      pageViews: 1.5,
      device: 'tv',
      events: 'x',
      geo: { country: 'DEU', city: 7 },
      traits: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 1])),
      consent: { analytics: 'yes' },
      now: { hour: 24 },
      unknown: true,
    });
    const issues = result.success ? [] : result.error.issues;
    expect(issues.length).toBeGreaterThan(8);
    expect(issues.map(request.messageOfZodIssue)).toEqual(issues.map(messageOfZodIssue));
  });
});
