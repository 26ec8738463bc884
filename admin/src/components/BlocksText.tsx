import type { ReactNode } from 'react';

import { Box, Flex, Typography } from '@strapi/design-system';

import { MediaThumbnail } from './MediaThumbnail';
import type { MediaFile } from './OverrideInput';

/** A node of Strapi's Blocks rich text: a block (paragraph, heading, list…) or inline text. */
export interface BlockNode {
  type: string;
  children?: BlockNode[];
  text?: string;
  level?: number;
  format?: 'ordered' | 'unordered';
  url?: string;
  image?: MediaFile;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  code?: boolean;
}

const isNode = (value: unknown): value is BlockNode =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as BlockNode).type === 'string' &&
  ((value as BlockNode).children === undefined || Array.isArray((value as BlockNode).children));

/** Whether a value is Blocks content: a list of blocks, each with its children. */
export const isBlocks = (value: unknown): value is BlockNode[] =>
  Array.isArray(value) && value.every((block) => isNode(block) && Array.isArray(block.children));

const HEADING_VARIANTS = ['alpha', 'beta', 'delta', 'delta', 'epsilon', 'epsilon'] as const;

/** Inline text with its marks. A link shows as underlined text with its target as a title, never as a live link. */
const Inline = ({ node }: { node: BlockNode }): ReactNode => {
  if (node.type === 'link') {
    return (
      <u title={node.url}>
        {(node.children ?? []).map((child, index) => (
          <Inline key={index} node={child} />
        ))}
      </u>
    );
  }
  let text: ReactNode = node.text ?? '';
  if (node.code) text = <code>{text}</code>;
  if (node.bold) text = <strong>{text}</strong>;
  if (node.italic) text = <em>{text}</em>;
  if (node.underline) text = <u>{text}</u>;
  if (node.strikethrough) text = <s>{text}</s>;
  return text;
};

const inlines = (node: BlockNode) =>
  (node.children ?? []).map((child, index) => <Inline key={index} node={child} />);

const Block = ({ node }: { node: BlockNode }): ReactNode => {
  switch (node.type) {
    case 'heading':
      return (
        <Typography
          tag="p"
          fontWeight="bold"
          variant={HEADING_VARIANTS[Math.min(Math.max((node.level ?? 1) - 1, 0), 5)]}
        >
          {inlines(node)}
        </Typography>
      );
    case 'list':
      return (
        <Box
          tag={node.format === 'ordered' ? 'ol' : 'ul'}
          paddingLeft={5}
          margin={0}
          style={{ listStyleType: node.format === 'ordered' ? 'decimal' : 'disc' }}
        >
          {(node.children ?? []).map((item, index) =>
            item.type === 'list' ? (
              <Box tag="li" key={index} style={{ listStyleType: 'none' }}>
                <Block node={item} />
              </Box>
            ) : (
              <li key={index}>
                <Typography>{inlines(item)}</Typography>
              </li>
            )
          )}
        </Box>
      );
    case 'quote':
      return (
        <Box paddingLeft={3} borderStyle="solid" borderColor="neutral300" borderWidth="0 0 0 3px">
          <Typography textColor="neutral700">{inlines(node)}</Typography>
        </Box>
      );
    case 'code':
      return (
        <Box tag="pre" padding={2} background="neutral100" hasRadius margin={0}>
          <code>{(node.children ?? []).map((child) => child.text ?? '').join('')}</code>
        </Box>
      );
    case 'image':
      return node.image ? <MediaThumbnail file={node.image} /> : null;
    default:
      return <Typography tag="p">{inlines(node)}</Typography>;
  }
};

/** Blocks rich text rendered for reading: paragraphs, headings, lists, quotes, code and images. */
export const BlocksText = ({ blocks }: { blocks: BlockNode[] }) => (
  <Flex direction="column" alignItems="stretch" gap={2} data-testid="blocks-text">
    {blocks.map((block, index) => (
      <Block key={index} node={block} />
    ))}
  </Flex>
);
