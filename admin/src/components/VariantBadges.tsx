import { Badge, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { VariantWithFlags } from '../api/types';
import { message } from '../utils/getTranslation';
import { StatusBadge } from './StatusBadge';

/** Status, persona, stage (by name), drift and "never served" of a variant, as badges. */
export const VariantBadges = ({ variant }: { variant: VariantWithFlags }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex gap={1} wrap="wrap" alignItems="center">
      <StatusBadge status={variant.status} />
      <Badge>
        {variant.personaName ?? formatMessage(message('variant.anyPersona', 'any persona'))}
      </Badge>
      <Badge>{variant.stageName ?? formatMessage(message('variant.anyStage', 'any stage'))}</Badge>
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
