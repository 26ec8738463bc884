import { Box, Flex, Typography } from '@strapi/design-system';

import { BlocksText, isBlocks } from './BlocksText';
import { MediaThumbnail } from './MediaThumbnail';
import type { MediaFile } from './OverrideInput';

/** Fields every entry has that say nothing about its content. */
export const SYSTEM_FIELDS = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'locale',
  'localizations',
  'createdBy',
  'updatedBy',
]);

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isMediaFile = (value: unknown): value is MediaFile =>
  isFields(value) && typeof value.url === 'string' && typeof value.mime === 'string';

/** A related entry by its first text field, as a list of relations shows it. */
const entryLabel = (entry: Fields) =>
  String(
    Object.entries(entry).find(
      ([name, value]) => !SYSTEM_FIELDS.has(name) && typeof value === 'string' && value !== ''
    )?.[1] ?? entry.documentId
  );

/** JSON for developers, as sent by the server. */
export const JsonText = ({ value }: { value: unknown }) => (
  <Box tag="pre" padding={3} background="neutral100" hasRadius margin={0} overflow="auto">
    <Typography variant="pi" tag="code" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {JSON.stringify(value, null, 2)}
    </Typography>
  </Box>
);

/**
 * A field's value as a reader of the entry sees it: pictures as thumbnails, Blocks as text,
 * components field by field, related entries by name; JSON fields stay JSON.
 */
export const EntryValue = ({ value, type }: { value: unknown; type?: string }) => {
  if (value === null || value === undefined || value === '') {
    return <Typography textColor="neutral500">–</Typography>;
  }
  if (type === 'json') return <JsonText value={value} />;
  if (
    isMediaFile(value) ||
    (Array.isArray(value) && value.length > 0 && value.every(isMediaFile))
  ) {
    const files = Array.isArray(value) ? value : [value];
    return (
      <Flex gap={3} wrap="wrap" alignItems="flex-start">
        {files.map((file) => (
          <MediaThumbnail key={file.id} file={file} />
        ))}
      </Flex>
    );
  }
  if (Array.isArray(value) && value.length > 0 && isBlocks(value))
    return <BlocksText blocks={value} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <Typography textColor="neutral500">–</Typography>;
    return (
      <Flex direction="column" alignItems="stretch" gap={2}>
        {value.map((item, index) => (
          <EntryValue key={index} value={item} />
        ))}
      </Flex>
    );
  }
  if (isFields(value)) {
    // A related entry: its name. A component: its fields.
    if (typeof value.documentId === 'string') return <Typography>{entryLabel(value)}</Typography>;
    return (
      <Flex
        direction="column"
        alignItems="stretch"
        gap={2}
        padding={3}
        hasRadius
        borderStyle="solid"
        borderWidth="1px"
        borderColor="neutral200"
      >
        {typeof value.__component === 'string' ? (
          <Typography variant="sigma" textColor="neutral600">
            {value.__component}
          </Typography>
        ) : null}
        {Object.entries(value)
          .filter(([name]) => !SYSTEM_FIELDS.has(name) && name !== '__component')
          .map(([name, field]) => (
            <Flex key={name} direction="column" alignItems="stretch" gap={1}>
              <Typography variant="pi" fontWeight="semiBold" textColor="neutral600">
                {name}
              </Typography>
              <EntryValue value={field} />
            </Flex>
          ))}
      </Flex>
    );
  }
  return (
    <Typography style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {String(value)}
    </Typography>
  );
};
