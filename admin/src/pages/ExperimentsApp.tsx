import { LinkButton } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink, Route, Routes, useNavigate } from 'react-router-dom';

import { useGetExperimentsQuery } from '../api/personalizeApi';
import { ListTable } from '../components/ListTable';
import { EXPERIMENTS_PATH } from '../components/ExperimentActions';
import { PageLayout } from '../components/PageLayout';
import { useCanRunExperiments } from '../hooks';
import { message } from '../utils/getTranslation';
import { experimentColumns } from './columns';
import { ExperimentEditorPage } from './ExperimentEditorPage';
import { ExperimentResultsPage } from './ExperimentResultsPage';

/** The Experiments menu page: every experiment with its status, arms, traffic and leader. */
const ExperimentsPage = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const canRun = useCanRunExperiments();
  const experiments = useGetExperimentsQuery();
  return (
    <PageLayout
      title={message('experiments.title', 'Experiments')}
      subtitle={message(
        'experiments.subtitle',
        'A/B tests between an entry and its variants. Create one here or from the Personalization panel of an entry.'
      )}
      primaryAction={
        canRun ? (
          <LinkButton tag={NavLink} startIcon={<Plus />} to={`${EXPERIMENTS_PATH}/new`}>
            {formatMessage(message('experiments.create', 'Create experiment'))}
          </LinkButton>
        ) : undefined
      }
    >
      <ListTable
        query={experiments}
        columns={experimentColumns}
        empty={message('overview.experiments.empty', 'No experiments yet.')}
        onRowClick={(experiment) => navigate(`${experiment.documentId}/results`)}
      />
    </PageLayout>
  );
};

/** Routes under the Experiments menu entry (`/admin/plugins/personalize/experiments`). */
const ExperimentsApp = () => (
  <Routes>
    <Route index element={<ExperimentsPage />} />
    <Route path="new" element={<ExperimentEditorPage />} />
    <Route path=":documentId" element={<ExperimentEditorPage />} />
    <Route path=":documentId/results" element={<ExperimentResultsPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default ExperimentsApp;
