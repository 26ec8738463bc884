import type { ReactNode } from 'react';

import { Flex, LinkButton, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { Experiment, Variant } from '../api/types';
import { CellText, ListTable, type Column } from '../components/ListTable';
import { PageLayout } from '../components/PageLayout';
import { PLUGIN_ID } from '../pluginId';
import { message } from '../utils/getTranslation';

const target = (row: Variant | Experiment) => (
  <CellText>
    {row.targetDocumentId ? `${row.targetUid} · ${row.targetDocumentId}` : row.targetUid}
  </CellText>
);

const variantColumns: Column<Variant>[] = [
  {
    key: 'name',
    header: message('column.name', 'Name'),
    cell: (row) => <CellText>{row.name}</CellText>,
  },
  { key: 'target', header: message('column.target', 'Entry'), cell: target },
  {
    key: 'locale',
    header: message('column.locale', 'Locale'),
    cell: (row) => <CellText>{row.locale}</CellText>,
  },
  {
    key: 'persona',
    header: message('column.persona', 'Persona'),
    cell: (row) => <CellText>{row.persona?.name}</CellText>,
  },
  {
    key: 'stage',
    header: message('column.stage', 'Journey stage'),
    cell: (row) => <CellText>{row.stage?.name}</CellText>,
  },
  {
    key: 'priority',
    header: message('column.priority', 'Priority'),
    cell: (row) => <CellText>{row.priority}</CellText>,
  },
];

const experimentColumns: Column<Experiment>[] = [
  {
    key: 'name',
    header: message('column.name', 'Name'),
    cell: (row) => <CellText>{row.name}</CellText>,
  },
  {
    key: 'key',
    header: message('column.key', 'Key'),
    cell: (row) => <CellText>{row.key}</CellText>,
  },
  { key: 'target', header: message('column.target', 'Entry'), cell: target },
  {
    key: 'status',
    header: message('column.status', 'Status'),
    cell: (row) => <CellText>{row.status}</CellText>,
  },
  {
    key: 'goal',
    header: message('column.goal', 'Goal'),
    cell: (row) => <CellText>{row.goal}</CellText>,
  },
];

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Flex direction="column" alignItems="stretch" gap={3} tag="section">
    <Typography variant="delta" tag="h2">
      {title}
    </Typography>
    {children}
  </Flex>
);

/** The Personalize menu page: what is personalized, and which experiments exist. */
const OverviewPage = () => {
  const { formatMessage } = useIntl();
  return (
    <PageLayout
      title={message('plugin.name', 'Personalize')}
      subtitle={message(
        'overview.subtitle',
        'Persona and journey-stage variants of your content, and experiments between them.'
      )}
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Flex gap={2}>
          <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/personas`} variant="secondary">
            {formatMessage(message('settings.personas.title', 'Personas'))}
          </LinkButton>
          <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/stages`} variant="secondary">
            {formatMessage(message('settings.stages.title', 'Journey stages'))}
          </LinkButton>
        </Flex>
        <Section title={formatMessage(message('overview.variants', 'Variants'))}>
          <ListTable
            list="variants"
            columns={variantColumns}
            empty={message('overview.variants.empty', 'No variants yet.')}
          />
        </Section>
        <Section title={formatMessage(message('overview.experiments', 'Experiments'))}>
          <ListTable
            list="experiments"
            columns={experimentColumns}
            empty={message('overview.experiments.empty', 'No experiments yet.')}
          />
        </Section>
      </Flex>
    </PageLayout>
  );
};

export default OverviewPage;
