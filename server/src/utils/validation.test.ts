import { errors } from '@strapi/utils';
import { z } from 'zod';

import { parseStorableOrThrow, unstorableText } from './validation';

describe('unstorableText', () => {
  it('accepts ordinary text, emoji (paired surrogates) and non-strings', () => {
    expect(unstorableText({ name: 'Grüße 🚗', list: [1, true, null, 'ok'] })).toEqual([]);
  });

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udc00b'],
  ])('names the path of %s in a value or a key', (_name, text) => {
    expect(unstorableText({ rule: { in: ['x', [text]] } })).toMatchObject([
      { path: ['rule', 'in', '1', '0'], message: expect.stringContaining('cannot be stored') },
    ]);
    expect(unstorableText({ traits: { [text]: 1 } })).toMatchObject([
      { path: ['traits', text], message: expect.stringContaining('cannot be stored') },
    ]);
  });

  it('walks very deep values without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(unstorableText(deep)).toHaveLength(1);
  });
});

describe('parseStorableOrThrow', () => {
  it('refuses unstorable text with a ValidationError before the schema runs', () => {
    expect(() =>
      parseStorableOrThrow(z.object({ name: z.string() }), { name: '\u0000' }, 'body')
    ).toThrow(errors.ValidationError);
  });
});
