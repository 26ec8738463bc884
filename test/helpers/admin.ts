import { demoSettings } from '../../playground/src/demo/settings';
import type { Playground } from './playground';

/** What these helpers need of an app: HTTP to it (an in-process playground or another process). */
type App = Pick<Playground, 'http'>;

const { adminEmail, adminPassword } = demoSettings({});

/** The first admin the playground creates, with the default demo credentials. */
export const DEMO_ADMIN = { email: adminEmail, password: adminPassword };

/** Logs in over HTTP (`POST /admin/login`) and returns the admin JWT. */
export const loginAdmin = async (app: App, credentials = DEMO_ADMIN): Promise<string> => {
  const response = await app.http().post('/admin/login').send(credentials);
  const token = response.body?.data?.token ?? response.body?.data?.accessToken;
  if (response.status !== 200 || typeof token !== 'string') {
    throw new Error(
      `Admin login failed for ${credentials.email}: ${response.status} ${response.text}`
    );
  }
  return token;
};

/**
 * The plugin's admin API (`/personalize/...`) as the admin whose JWT is `jwt`; paths are relative
 * to `/personalize`.
 */
export const pluginApi = (app: App, jwt: string) => {
  const send = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
    app.http()[method](`/personalize${path}`).set('Authorization', `Bearer ${jwt}`);
  return {
    get: (path: string, query: Record<string, unknown> = {}) => send('get', path).query(query),
    post: (path: string, body?: object) => send('post', path).send(body),
    put: (path: string, body: object) => send('put', path).send(body),
    delete: (path: string) => send('delete', path),
  };
};
export type PluginApi = ReturnType<typeof pluginApi>;

/** One permission of an admin role, as `PUT /admin/roles/:id/permissions` takes it. */
export interface RolePermission {
  action: string;
  subject?: string | null;
  properties?: { fields?: string[]; locales?: string[] };
  conditions?: string[];
}

/** A call of the admin API as the admin of `token`; throws unless it answers `expected`. */
const call = async (
  app: App,
  token: string,
  method: 'get' | 'post' | 'put',
  path: string,
  body?: object,
  expected = [200, 201]
) => {
  const response = await app
    .http()
    [method](path)
    .set('Authorization', `Bearer ${token}`)
    .send(body);
  if (!expected.includes(response.status)) {
    throw new Error(`${method.toUpperCase()} ${path}: ${response.status} ${response.text}`);
  }
  return response.body.data;
};

const roleId = async (app: App, token: string, code: string): Promise<number> => {
  const roles = (await call(app, token, 'get', '/admin/roles')) as { id: number; code: string }[];
  const role = roles.find((candidate) => candidate.code === code);
  if (!role) throw new Error(`No admin role with code "${code}"`);
  return role.id;
};

/** Creates an admin role with exactly `permissions` through the admin API; returns its id. */
export const createRole = async (
  app: App,
  token: string,
  name: string,
  permissions: RolePermission[]
): Promise<number> => {
  const role = await call(app, token, 'post', '/admin/roles', { name, description: name });
  await call(app, token, 'put', `/admin/roles/${role.id}/permissions`, { permissions });
  return role.id;
};

/**
 * Adds permissions to a role (by its code, e.g. `strapi-editor`) through the admin API,
 * keeping the ones it has.
 */
export const grantPermissions = async (
  app: App,
  token: string,
  roleCode: string,
  permissions: RolePermission[]
) => {
  const id = await roleId(app, token, roleCode);
  const existing = (await call(
    app,
    token,
    'get',
    `/admin/roles/${id}/permissions`
  )) as RolePermission[];
  await call(app, token, 'put', `/admin/roles/${id}/permissions`, {
    permissions: [
      ...existing.map(({ action, subject, properties, conditions }) => ({
        action,
        subject,
        properties,
        conditions,
      })),
      ...permissions,
    ],
  });
};

/** The plugin's three admin actions, for roles that should use the plugin fully. */
export const PLUGIN_ACTIONS: RolePermission[] = ['read', 'manage', 'experiments'].map((name) => ({
  action: `plugin::personalize.${name}`,
}));

/**
 * Invites an admin with `roles` (ids, or a built-in role's code) and registers them through the
 * admin API (`POST /admin/users`, `POST /admin/register`), as a new colleague would. Returns
 * their credentials and JWT.
 */
export const createAdmin = async (
  app: App,
  token: string,
  { email, roles }: { email: string; roles: (number | 'strapi-editor' | 'strapi-author')[] }
) => {
  const ids = await Promise.all(
    roles.map((role) => (typeof role === 'number' ? role : roleId(app, token, role)))
  );
  const user = await call(app, token, 'post', '/admin/users', {
    firstname: 'Test',
    lastname: email.split('@')[0],
    email,
    roles: ids,
  });
  const password = 'Another-Secret-42';
  const registered = await call(app, token, 'post', '/admin/register', {
    registrationToken: user.registrationToken,
    userInfo: { firstname: 'Test', lastname: email.split('@')[0], password },
  });
  return {
    id: user.id as number,
    email,
    password,
    token: (registered.token ?? registered.accessToken) as string,
  };
};

/**
 * Creates a Strapi API token through the admin API (`POST /admin/api-tokens`); returns its key.
 * A `custom` token gets exactly `permissions` (Content API actions).
 */
export const createApiToken = async (
  app: App,
  token: string,
  type: 'read-only' | 'full-access' | 'custom',
  name = `${type} ${Math.random().toString(36).slice(2)}`,
  permissions: string[] = []
): Promise<string> =>
  (
    await call(app, token, 'post', '/admin/api-tokens', {
      name,
      description: name,
      type,
      lifespan: null,
      ...(type === 'custom' ? { permissions } : {}),
    })
  ).accessKey;
