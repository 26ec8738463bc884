import { Typography } from '@strapi/design-system';

import { useGetVariantReachQuery } from '../api/personalizeApi';
import type { VariantReach } from '../api/types';
import { useT } from '../utils/getTranslation';

/** The most variants the reach route counts at once (contracts/variants.ts). */
const MAX_IDS = 100;

/**
 * How many visitors each of these variants reached in the last 30 days (undefined while
 * loading, or when the role may not read it).
 */
export const useVariantReach = (targetUid: string, documentIds: string[]) => {
  const ids = documentIds.slice(0, MAX_IDS);
  const { data } = useGetVariantReachQuery(
    { targetUid, documentIds: ids },
    { skip: ids.length === 0 || !targetUid }
  );
  return data;
};

/** "1,234 visitors in 30 days" under a variant; nothing until the counts arrive. */
export const ReachNote = ({
  reach,
  documentId,
}: {
  reach: VariantReach | undefined;
  documentId: string;
}) => {
  const t = useT();
  if (!reach) return null;
  const visitors = reach[documentId] ?? 0;
  return (
    <Typography
      variant="pi"
      textColor={visitors > 0 ? 'neutral600' : 'neutral500'}
      data-testid={`reach-${documentId}`}
      style={{ whiteSpace: 'normal' }}
    >
      {t(
        'reach.visitors',
        '{visitors, plural, =0 {No visitors} one {# visitor} other {# visitors}} in 30 days',
        {
          visitors,
        }
      )}
    </Typography>
  );
};
