import { Badge, Flex } from '@strapi/design-system';

import type { Variant } from '../api/types';
import { useT } from '../utils/getTranslation';
import { StatusBadge } from './StatusBadge';

/** Status, persona, stage (by name), drift and "never served" of a variant, as badges. */
export const VariantBadges = ({ variant }: { variant: Variant }) => {
  const t = useT();
  return (
    <Flex gap={1} wrap="wrap" alignItems="center">
      <StatusBadge status={variant.status} />
      <Badge>{variant.personaName ?? t('variant.anyPersona', 'any persona')}</Badge>
      <Badge>{variant.stageName ?? t('variant.anyStage', 'any stage')}</Badge>
      {variant.drift ? (
        <Badge
          backgroundColor="warning100"
          textColor="warning700"
          title={t('variant.drift.hint', 'The entry changed after this variant was last saved.')}
        >
          {t('variant.drift', 'Entry changed')}
        </Badge>
      ) : null}
      {variant.shadowedBy ? (
        <Badge
          backgroundColor="danger100"
          textColor="danger700"
          title={t('variant.unreachable.hint', '"{name}" always wins over this variant.', {
            name: variant.shadowedBy.name,
          })}
        >
          {t('variant.unreachable', 'Never served')}
        </Badge>
      ) : null}
    </Flex>
  );
};
