import { decodeMessage, encodeMessage, type ChangeMessage } from './messages';

const message = (change: ChangeMessage['change']): ChangeMessage => ({
  from: 'web-1:42:abcd',
  version: 'b9a1',
  change,
});

describe('change messages', () => {
  it('travel as JSON and come back as they were', () => {
    const sent = message({
      kind: 'targets',
      targets: [
        { uid: 'api::article.article', documentId: 'abc' },
        { uid: 'api::homepage.homepage', documentId: null },
      ],
    });
    expect(decodeMessage(encodeMessage(sent))).toEqual(sent);
    expect(decodeMessage(encodeMessage(message({ kind: 'experiments' })))).toEqual(
      message({ kind: 'experiments' })
    );
  });

  it('become a full reload when they would not fit in a PostgreSQL NOTIFY', () => {
    const targets = Array.from({ length: 500 }, (_, index) => ({
      uid: 'api::article.article',
      documentId: `document-${index}`,
    }));
    const text = encodeMessage(message({ kind: 'targets', targets }));
    expect(Buffer.byteLength(text)).toBeLessThan(8_000);
    expect(decodeMessage(text)).toEqual(message({ kind: 'all' }));
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown kind', JSON.stringify(message({ kind: 'content' })).replace('content', 'bogus')],
    ['no sender', JSON.stringify({ version: 'x', change: { kind: 'all' } })],
    [
      'an empty target list',
      JSON.stringify(message({ kind: 'all' })).replace('"all"', '"targets","targets":[]'),
    ],
  ])('are refused when they are %s (the receiver then reloads everything)', (_name, text) => {
    expect(decodeMessage(text)).toBeNull();
  });
});
