import { Status, Typography, type StatusProps } from '@strapi/design-system';
import { useIntl, type MessageDescriptor } from 'react-intl';

import type { ExperimentStatus, Variant } from '../api/types';
import { message } from '../utils/getTranslation';

/** A variant's status (draft, published, modified) or an experiment's (draft … completed). */
export type DocumentStatus = Variant['status'] | ExperimentStatus;

/**
 * The colours of the Content Manager's document statuses (draft secondary, published success,
 * modified alternative); what an experiment adds reads the same way: running is what visitors
 * get (success), paused waits (warning), completed is over (neutral).
 */
const STATUSES: Record<
  DocumentStatus,
  { variant: NonNullable<StatusProps['variant']>; label: MessageDescriptor }
> = {
  draft: { variant: 'secondary', label: message('status.draft', 'Draft') },
  published: { variant: 'success', label: message('status.published', 'Published') },
  modified: { variant: 'alternative', label: message('status.modified', 'Modified') },
  running: { variant: 'success', label: message('status.running', 'Running') },
  paused: { variant: 'warning', label: message('status.paused', 'Paused') },
  completed: { variant: 'neutral', label: message('status.completed', 'Completed') },
};

/**
 * The status of a variant or an experiment, drawn as the Content Manager draws a document's
 * (its `DocumentStatus`: the design system's `Status`, small, with a bold label).
 */
export const StatusBadge = ({ status }: { status: DocumentStatus }) => {
  const { formatMessage } = useIntl();
  const { variant, label } = STATUSES[status];
  const text = formatMessage(label);
  return (
    <Status size="S" variant={variant} role="status" aria-label={text} maxWidth="min-content">
      <Typography tag="span" variant="omega" fontWeight="bold">
        {text}
      </Typography>
    </Status>
  );
};
