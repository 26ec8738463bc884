import { Status, Typography, type StatusProps } from '@strapi/design-system';
import { useIntl, type MessageDescriptor } from 'react-intl';

import type { ExperimentStatus, Variant } from '../api/types';
import { message } from '../utils/getTranslation';

/** A variant's status (draft, published, modified) or an experiment's (draft … completed). */
export type DocumentStatus = Variant['status'] | ExperimentStatus;

/** What each status is called, in the badges and in the lists' status filters. */
export const STATUS_LABELS: Record<DocumentStatus, MessageDescriptor> = {
  draft: message('status.draft', 'Draft'),
  published: message('status.published', 'Published'),
  modified: message('status.modified', 'Modified'),
  scheduled: message('status.scheduled', 'Scheduled'),
  running: message('status.running', 'Running'),
  paused: message('status.paused', 'Paused'),
  completed: message('status.completed', 'Completed'),
};

/**
 * The colours of the Content Manager's document statuses (draft secondary, published success,
 * modified alternative); what an experiment adds reads the same way: scheduled is set to start
 * (primary), running is what visitors get (success), paused waits (warning), completed is over
 * (neutral).
 */
const COLOURS: Record<DocumentStatus, NonNullable<StatusProps['variant']>> = {
  draft: 'secondary',
  published: 'success',
  modified: 'alternative',
  scheduled: 'primary',
  running: 'success',
  paused: 'warning',
  completed: 'neutral',
};

/**
 * The status of a variant or an experiment, drawn as the Content Manager draws a document's
 * (its `DocumentStatus`: the design system's `Status`, small, with a bold label).
 */
export const StatusBadge = ({ status }: { status: DocumentStatus }) => {
  const { formatMessage } = useIntl();
  const text = formatMessage(STATUS_LABELS[status]);
  return (
    <Status
      size="S"
      variant={COLOURS[status]}
      role="status"
      aria-label={text}
      maxWidth="min-content"
    >
      <Typography tag="span" variant="omega" fontWeight="bold">
        {text}
      </Typography>
    </Status>
  );
};
