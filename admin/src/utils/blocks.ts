/**
 * Strapi "blocks" rich text ↔ plain text with Markdown-style headings, for the variant editor.
 * Only blocks this text can hold exactly (paragraphs and headings of unformatted text) are
 * converted; anything else (lists, links, bold, images) stays JSON so nothing is lost.
 */

interface TextNode {
  type: 'text';
  text: string;
}

type SimpleBlock =
  | { type: 'paragraph'; children: TextNode[] }
  | { type: 'heading'; level: number; children: TextNode[] };

const isPlainText = (node: unknown): node is TextNode =>
  typeof node === 'object' &&
  node !== null &&
  Object.keys(node).sort().join() === 'text,type' &&
  (node as TextNode).type === 'text' &&
  typeof (node as TextNode).text === 'string' &&
  !(node as TextNode).text.includes('\n\n');

const isSimpleBlock = (block: unknown): block is SimpleBlock => {
  if (typeof block !== 'object' || block === null) return false;
  const { type, children, ...rest } = block as Record<string, unknown>;
  const extra = Object.keys(rest);
  const shapeOk =
    (type === 'paragraph' && extra.length === 0) ||
    (type === 'heading' &&
      extra.join() === 'level' &&
      Number.isInteger(rest.level) &&
      (rest.level as number) >= 1 &&
      (rest.level as number) <= 6);
  return shapeOk && Array.isArray(children) && children.every(isPlainText);
};

const textOf = (block: SimpleBlock) => block.children.map((child) => child.text).join('');

/** The blocks as text, or null when they hold more than plain paragraphs and headings. */
export const blocksToText = (blocks: unknown): string | null => {
  if (!Array.isArray(blocks) || !blocks.every(isSimpleBlock)) return null;
  const text = blocks
    .map((block) =>
      block.type === 'heading' ? `${'#'.repeat(block.level)} ${textOf(block)}` : textOf(block)
    )
    .join('\n\n');
  // Only when the text gives back exactly these blocks.
  return JSON.stringify(textToBlocks(text)) === JSON.stringify(blocks) ? text : null;
};

/** Text → blocks: blank lines separate blocks, "# " to "###### " start headings. */
export const textToBlocks = (text: string): SimpleBlock[] =>
  text
    .split(/\n{2,}/)
    .filter((part) => part.trim() !== '')
    .map((part): SimpleBlock => {
      const heading = /^(#{1,6}) (.*)$/s.exec(part);
      return heading
        ? {
            type: 'heading',
            level: heading[1].length,
            children: [{ type: 'text', text: heading[2] }],
          }
        : { type: 'paragraph', children: [{ type: 'text', text: part }] };
    });
