import type { ReactNode } from 'react';

import { Flex, Link, Loader, Typography } from '@strapi/design-system';
import { useIntl, type MessageDescriptor } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { ClassificationUsage } from '../api/types';
import { PLUGIN_ID } from '../pluginId';
import { message, useT } from '../utils/getTranslation';
import { describeTarget } from '../utils/targets';
import { EditorCard } from './EditorPage';
import { EXPERIMENTS_PATH } from './ExperimentActions';
import { StatusBadge, type DocumentStatus } from './StatusBadge';

/** Personas or journey stages: the two kinds of visitor group a variant targets. */
export type ClassificationKind = 'personas' | 'stages';

const NONE = {
  personas: message('usage.none.persona', 'No variant targets this persona.'),
  stages: message('usage.none.stage', 'No variant targets this journey stage.'),
};

/** Whether variants use it, seen or not: then the server refuses to delete it. */
export const isUsed = (usage: ClassificationUsage) =>
  usage.variants.length + usage.hidden.variants > 0;

const Group = ({
  title,
  hiddenCount,
  hiddenMessage,
  children,
}: {
  title: MessageDescriptor;
  /** How many the role may not see, said with `hiddenMessage` (`{count}`) when there are any. */
  hiddenCount: number;
  hiddenMessage: MessageDescriptor;
  children: ReactNode;
}) => {
  const { formatMessage } = useIntl();
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="sigma" textColor="neutral600" tag="h3">
        {formatMessage(title)}
      </Typography>
      <Flex direction="column" alignItems="stretch" gap={3} tag="ul">
        {children}
      </Flex>
      {hiddenCount > 0 ? (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(hiddenMessage, { count: hiddenCount })}
        </Typography>
      ) : null}
    </Flex>
  );
};

/** One used-by line: a link to its editor and its status, what it is about underneath. */
const Line = ({
  to,
  name,
  about,
  status,
}: {
  to: string;
  name: string;
  about?: string;
  status: DocumentStatus;
}) => (
  <Flex tag="li" direction="column" alignItems="flex-start" gap={1}>
    <Flex gap={2} wrap="wrap">
      <Link tag={NavLink} to={to}>
        {name}
      </Link>
      <StatusBadge status={status} />
    </Flex>
    {about ? (
      <Typography variant="pi" textColor="neutral600">
        {about}
      </Typography>
    ) : null}
  </Flex>
);

/**
 * The variants that target a persona or stage and the experiments between them, each linked to
 * its editor; what the role may not read is only counted.
 */
export const UsageList = ({
  usage,
  kind,
}: {
  usage: ClassificationUsage;
  kind: ClassificationKind;
}) => {
  const { formatMessage } = useIntl();
  if (!isUsed(usage)) {
    return <Typography textColor="neutral600">{formatMessage(NONE[kind])}</Typography>;
  }
  const { variants, experiments, hidden } = usage;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Group
        title={message('usage.variants', 'Variants')}
        hiddenCount={hidden.variants}
        hiddenMessage={message(
          'usage.hidden.variants',
          '{count, plural, one {# more variant} other {# more variants}} of entries you cannot see'
        )}
      >
        {variants.map((variant) => (
          <Line
            key={`${variant.documentId}:${variant.locale}`}
            to={`/plugins/${PLUGIN_ID}/variants/${variant.documentId}`}
            name={variant.name}
            about={`${describeTarget(variant.target)} · ${variant.locale.toUpperCase()}`}
            status={variant.status}
          />
        ))}
      </Group>
      {experiments.length + hidden.experiments > 0 ? (
        <Group
          title={message('usage.experiments', 'Experiments')}
          hiddenCount={hidden.experiments}
          hiddenMessage={message(
            'usage.hidden.experiments',
            '{count, plural, one {# more experiment} other {# more experiments}} of entries you cannot see'
          )}
        >
          {experiments.map((experiment) => (
            <Line
              key={experiment.documentId}
              to={`${EXPERIMENTS_PATH}/${experiment.documentId}/results`}
              name={experiment.name}
              status={experiment.status}
            />
          ))}
        </Group>
      ) : null}
    </Flex>
  );
};

/** The editor's "Used by" card. */
export const UsageCard = ({
  usage,
  kind,
}: {
  usage: { data?: ClassificationUsage; isLoading: boolean; isError: boolean };
  kind: ClassificationKind;
}) => {
  const t = useT();
  return (
    <EditorCard>
      <Flex direction="column" alignItems="stretch" gap={4} data-testid="classification-usage">
        <Typography variant="delta" tag="h2">
          {t('usage.title', 'Used by')}
        </Typography>
        {usage.data ? (
          <UsageList usage={usage.data} kind={kind} />
        ) : usage.isLoading ? (
          <Loader small>{t('list.loading', 'Loading…')}</Loader>
        ) : (
          <Typography textColor="danger600" role="alert">
            {t('usage.error', 'Where it is used could not be loaded.')}
          </Typography>
        )}
      </Flex>
    </EditorCard>
  );
};
