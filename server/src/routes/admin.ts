import { storableInput } from '../middlewares/storable-input';
import { ACTIONS } from '../permissions';

const guard = (action: string) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: [action] } },
  ],
  middlewares: [storableInput],
});
const canRead = guard(ACTIONS.read);
const canManage = guard(ACTIONS.manage);
const canExperiment = guard(ACTIONS.experiments);

const route = (
  method: string,
  path: string,
  handler: string,
  config: ReturnType<typeof guard>
) => ({
  method,
  path,
  handler,
  config,
});

/** Create, read, update and delete of personas or stages under `/personalize/<name>`. */
const crud = (name: 'personas' | 'stages' | 'variants') => [
  route('GET', `/${name}`, `${name}.find`, canRead),
  route('POST', `/${name}`, `${name}.create`, canManage),
  route('GET', `/${name}/:documentId`, `${name}.findOne`, canRead),
  route('PUT', `/${name}/:documentId`, `${name}.update`, canManage),
  route('DELETE', `/${name}/:documentId`, `${name}.delete`, canManage),
];

/** Admin API under `/personalize/...`: an admin JWT and the plugin's RBAC actions are required. */
export default {
  type: 'admin',
  routes: [
    ...crud('personas'),
    // Before the CRUD routes, so that "order" is not taken for a documentId.
    route('PUT', '/stages/order', 'stages.reorder', canManage),
    ...crud('stages'),
    ...(['personas', 'stages'] as const).map((name) =>
      route('GET', `/${name}/:documentId/usage`, `${name}.usage`, canRead)
    ),
    // Before the CRUD routes, so that "counts" is not taken for a documentId.
    route('GET', '/variants/counts', 'variants.counts', canRead),
    ...crud('variants'),
    route('POST', '/variants/:documentId/publish', 'variants.publish', canManage),
    route('POST', '/variants/:documentId/unpublish', 'variants.unpublish', canManage),
    route('POST', '/variants/:documentId/duplicate', 'variants.duplicate', canManage),
    route('GET', '/experiments', 'experiments.find', canRead),
    route('POST', '/experiments', 'experiments.create', canExperiment),
    // Before `/experiments/:documentId`, so that "sample-size" is not taken for a documentId.
    route('GET', '/experiments/sample-size', 'experiments.sampleSize', canRead),
    route('GET', '/experiments/:documentId', 'experiments.findOne', canRead),
    route('PUT', '/experiments/:documentId', 'experiments.update', canExperiment),
    route('DELETE', '/experiments/:documentId', 'experiments.delete', canExperiment),
    ...(['start', 'pause', 'complete', 'promote'] as const).map((action) =>
      route('POST', `/experiments/:documentId/${action}`, `experiments.${action}`, canExperiment)
    ),
    route('GET', '/experiments/:documentId/results', 'experiments.results', canRead),
    route('DELETE', '/visitors/:visitorId', 'experiments.eraseVisitor', canExperiment),
    route('POST', '/rules/validate', 'rules.validate', canRead),
    route('POST', '/preview', 'preview.preview', canRead),
    route('GET', '/target-summary', 'targets.summary', canRead),
    route('GET', '/settings', 'settings.find', canRead),
    route('PUT', '/settings', 'settings.update', canManage),
  ],
};
