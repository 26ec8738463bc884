import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { ClassificationPage } from './ClassificationPage';
import { GridPage } from './GridPage';
import OverviewPage from './OverviewPage';
import { VariantEditorPage } from './VariantEditorPage';

/** Routes under the Personalize menu entry (`/admin/plugins/personalize`). */
const App = () => (
  <Routes>
    <Route index element={<OverviewPage />} />
    <Route path="personas/:documentId" element={<ClassificationPage kind="personas" />} />
    <Route path="stages/:documentId" element={<ClassificationPage kind="stages" />} />
    <Route path="variants/:documentId" element={<VariantEditorPage />} />
    <Route path="grid" element={<GridPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
