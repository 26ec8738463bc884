import { Badge, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { VariantWithFlags } from '../api/types';
import { message } from '../utils/getTranslation';

const STATUS = {
  draft: [message('status.draft', 'Draft'), 'secondary100', 'secondary700'],
  published: [message('status.published', 'Published'), 'success100', 'success700'],
  modified: [message('status.modified', 'Modified'), 'alternative100', 'alternative700'],
} as const;

/** Persona, stage, status, drift and "never served" of a variant, as badges. */
export const VariantBadges = ({ variant }: { variant: VariantWithFlags }) => {
  const { formatMessage } = useIntl();
  const [label, background, color] = STATUS[variant.status];
  return (
    <Flex gap={1} wrap="wrap">
      <Badge backgroundColor={background} textColor={color}>
        {formatMessage(label)}
      </Badge>
      <Badge>
        {variant.persona ?? formatMessage(message('variant.anyPersona', 'any persona'))}
      </Badge>
      <Badge>{variant.stage ?? formatMessage(message('variant.anyStage', 'any stage'))}</Badge>
      {variant.drift ? (
        <Badge
          backgroundColor="warning100"
          textColor="warning700"
          title={formatMessage(
            message('variant.drift.hint', 'The entry changed after this variant was last saved.')
          )}
        >
          {formatMessage(message('variant.drift', 'Entry changed'))}
        </Badge>
      ) : null}
      {variant.shadowedBy ? (
        <Badge
          backgroundColor="danger100"
          textColor="danger700"
          title={formatMessage(
            message('variant.unreachable.hint', '"{name}" always wins over this variant.'),
            { name: variant.shadowedBy.name }
          )}
        >
          {formatMessage(message('variant.unreachable', 'Never served'))}
        </Badge>
      ) : null}
    </Flex>
  );
};
