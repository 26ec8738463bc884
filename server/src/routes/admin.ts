import { ACTIONS } from '../permissions';
import { LIST_NAMES } from '../services/catalog';

const canRead = [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions: [ACTIONS.read] } },
];

/** Admin API under `/personalize/...`: an admin JWT and the plugin's RBAC actions are required. */
export default {
  type: 'admin',
  routes: LIST_NAMES.map((name) => ({
    method: 'GET',
    path: `/${name}`,
    handler: `${name}.find`,
    config: { policies: canRead },
  })),
};
