import { lazy, Suspense } from 'react';

import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { ClassificationPage } from './ClassificationPage';
import { GridPage } from './GridPage';
import { InterestPage } from './InterestPage';
import OverviewPage from './OverviewPage';
import { PreviewPage } from './PreviewPage';
import { VariantEditorPage } from './VariantEditorPage';

// The experiment editor and results (charts) load when first opened.
const ExperimentsApp = lazy(() => import('./ExperimentsApp'));

/**
 * Routes under the Personalize menu entry (`/admin/plugins/personalize`), the one entry of the
 * plugin: the overview's tabs (variants, `experiments`, `impact`, `visitors`) and the editors they
 * open.
 */
const App = () => (
  <Routes>
    <Route index element={<OverviewPage tab="variants" />} />
    <Route path="experiments" element={<OverviewPage tab="experiments" />} />
    <Route path="impact" element={<OverviewPage tab="impact" />} />
    <Route path="visitors" element={<OverviewPage tab="visitors" />} />
    <Route
      path="experiments/*"
      element={
        <Suspense fallback={<Page.Loading />}>
          <ExperimentsApp />
        </Suspense>
      }
    />
    <Route path="personas/:documentId" element={<ClassificationPage kind="personas" />} />
    <Route path="stages/:documentId" element={<ClassificationPage kind="stages" />} />
    <Route path="interests/:documentId" element={<InterestPage />} />
    <Route path="variants/:documentId" element={<VariantEditorPage />} />
    <Route path="grid" element={<GridPage />} />
    <Route path="preview" element={<PreviewPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
