import { Flex, Typography } from '@strapi/design-system';

import { onBackend } from '../utils/backend-url';
import type { MediaFile } from './OverrideInput';

/** An upload file as a reader sees it: an image's thumbnail (or the image) with its name. */
export const MediaThumbnail = ({
  file,
}: {
  file: MediaFile & { alternativeText?: string | null };
}) => (
  <Flex direction="column" alignItems="flex-start" gap={1} data-testid="media-thumbnail">
    {file.mime === undefined || file.mime.startsWith('image/') ? (
      <img
        src={onBackend(file.formats?.thumbnail?.url ?? file.url)}
        alt={file.alternativeText || file.name}
        style={{ height: '9.6rem', maxWidth: '100%', objectFit: 'cover', borderRadius: '4px' }}
      />
    ) : null}
    <Typography variant="pi" textColor="neutral600">
      {file.name}
    </Typography>
  </Flex>
);
