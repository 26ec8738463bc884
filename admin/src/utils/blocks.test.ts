import { blocksToText, textToBlocks } from './blocks';

const paragraph = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

describe('blocks ↔ text', () => {
  it('turns paragraphs and headings into text and back, unchanged', () => {
    const blocks = [
      { type: 'heading', level: 2, children: [{ type: 'text', text: 'Range' }] },
      paragraph('540 km on one charge.'),
      paragraph('Line one\nline two'),
    ];
    const text = blocksToText(blocks);
    expect(text).toBe('## Range\n\n540 km on one charge.\n\nLine one\nline two');
    expect(textToBlocks(text!)).toEqual(blocks);
  });

  it.each([
    ['bold text', [{ type: 'paragraph', children: [{ type: 'text', text: 'x', bold: true }] }]],
    ['a list', [{ type: 'list', format: 'unordered', children: [] }]],
    [
      'a link',
      [{ type: 'paragraph', children: [{ type: 'link', url: 'https://a.b', children: [] }] }],
    ],
    ['a paragraph that reads as a heading', [paragraph('# not a heading')]],
    ['not blocks', 'text'],
  ])('keeps %s as JSON (null)', (_name, blocks) => {
    expect(blocksToText(blocks)).toBeNull();
  });

  it('ignores empty paragraphs typed as extra blank lines', () => {
    expect(textToBlocks('a\n\n\n\nb')).toEqual([paragraph('a'), paragraph('b')]);
  });
});
