import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { ExperimentEditorPage } from './ExperimentEditorPage';
import { ExperimentResultsPage } from './ExperimentResultsPage';

/**
 * The experiment editor and results under `/admin/plugins/personalize/experiments/…`; the list
 * itself is the overview's Experiments tab (App.tsx).
 */
const ExperimentsApp = () => (
  <Routes>
    <Route path="new" element={<ExperimentEditorPage />} />
    <Route path=":documentId" element={<ExperimentEditorPage />} />
    <Route path=":documentId/results" element={<ExperimentResultsPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default ExperimentsApp;
