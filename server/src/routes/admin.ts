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
const canReadProfiles = guard(ACTIONS.profilesRead);
const canErase = {
  policies: ['admin::isAuthenticatedAdmin', 'plugin::personalize.may-erase'],
  middlewares: [storableInput],
};

const route = (
  method: string,
  path: string,
  handler: string,
  config: { policies: unknown[]; middlewares: unknown[] }
) => ({
  method,
  path,
  handler,
  config,
});

type Route = ReturnType<typeof route>;

/**
 * Create, read, update and delete under `/personalize/<name>`. `fixed` routes go before
 * `/<name>/:documentId`, so that their last segment ("order", "counts") is not taken for one.
 */
const crud = (
  name: 'personas' | 'stages' | 'variants' | 'experiments' | 'interests',
  canWrite: ReturnType<typeof guard>,
  fixed: Route[] = []
) => [
  route('GET', `/${name}`, `${name}.find`, canRead),
  route('POST', `/${name}`, `${name}.create`, canWrite),
  ...fixed,
  route('GET', `/${name}/:documentId`, `${name}.findOne`, canRead),
  route('PUT', `/${name}/:documentId`, `${name}.update`, canWrite),
  route('DELETE', `/${name}/:documentId`, `${name}.delete`, canWrite),
];

/** `POST /personalize/<name>/:documentId/<action>` for each action, handled by `<name>.<action>`. */
const actions = (
  name: 'variants' | 'experiments',
  names: readonly string[],
  config: ReturnType<typeof guard>
) =>
  names.map((action) =>
    route('POST', `/${name}/:documentId/${action}`, `${name}.${action}`, config)
  );

/** Admin API under `/personalize/...`: an admin JWT and the plugin's RBAC actions are required. */
export default {
  type: 'admin',
  routes: [
    ...crud('personas', canManage),
    ...crud('stages', canManage, [route('PUT', '/stages/order', 'stages.reorder', canManage)]),
    ...(['personas', 'stages'] as const).map((name) =>
      route('GET', `/${name}/:documentId/usage`, `${name}.usage`, canRead)
    ),
    ...crud('variants', canManage, [
      route('GET', '/variants/counts', 'variants.counts', canRead),
      route('GET', '/variants/reach', 'variants.reach', canRead),
    ]),
    ...actions('variants', ['publish', 'unpublish', 'duplicate'], canManage),
    ...crud('experiments', canExperiment, [
      route('GET', '/experiments/sample-size', 'experiments.sampleSize', canRead),
    ]),
    ...actions('experiments', ['start', 'pause', 'complete', 'promote'], canExperiment),
    route('GET', '/experiments/:documentId/results', 'experiments.results', canRead),
    route('DELETE', '/visitors/:visitorId', 'visitors.erase', canErase),
    route('GET', '/profiles/:visitorId', 'visitors.lookup', canReadProfiles),
    ...crud('interests', canManage),
    route('GET', '/signals', 'signals.find', canRead),
    route('PUT', '/signals', 'signals.replace', canManage),
    route('POST', '/rules/validate', 'rules.validate', canRead),
    route('POST', '/preview', 'preview.preview', canRead),
    route('POST', '/preview-links', 'preview.link', canRead),
    route('GET', '/impact', 'impact.report', canRead),
    route('GET', '/target-summary', 'targets.summary', canRead),
    route('GET', '/settings', 'settings.find', canRead),
    route('PUT', '/settings', 'settings.update', canManage),
  ],
};
