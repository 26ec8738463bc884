import type { ReactNode } from 'react';

import { Flex, LinkButton, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';

import { ListTable } from '../components/ListTable';
import { PageLayout } from '../components/PageLayout';
import { PLUGIN_ID } from '../pluginId';
import { message } from '../utils/getTranslation';
import { experimentColumns, variantColumns } from './columns';

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
  const navigate = useNavigate();
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
          <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/content-types`} variant="secondary">
            {formatMessage(message('settings.contentTypes.title', 'Content types'))}
          </LinkButton>
        </Flex>
        <Section title={formatMessage(message('overview.variants', 'Variants'))}>
          <ListTable
            list="variants"
            columns={variantColumns}
            empty={message('overview.variants.empty', 'No variants yet.')}
            onRowClick={(variant) => navigate(`variants/${variant.documentId}`)}
          />
        </Section>
        <Section title={formatMessage(message('overview.experiments', 'Experiments'))}>
          <ListTable
            list="experiments"
            columns={experimentColumns}
            empty={message('overview.experiments.empty', 'No experiments yet.')}
            onRowClick={(experiment) => navigate(`experiments/${experiment.documentId}/results`)}
          />
        </Section>
      </Flex>
    </PageLayout>
  );
};

export default OverviewPage;
