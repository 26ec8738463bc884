import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import OverviewPage from './OverviewPage';

/** Routes under the Personalize menu entry (`/admin/plugins/personalize`). */
const App = () => (
  <Routes>
    <Route index element={<OverviewPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
