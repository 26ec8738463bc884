import { demoSettings } from '../../playground/src/demo/settings';
import type { Playground } from './playground';

const { adminEmail, adminPassword } = demoSettings({});

/** The first admin the playground creates, with the default demo credentials. */
export const DEMO_ADMIN = { email: adminEmail, password: adminPassword };

/** Logs in over HTTP (`POST /admin/login`) and returns the admin JWT. */
export const loginAdmin = async (app: Playground, credentials = DEMO_ADMIN): Promise<string> => {
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
 * Creates an active admin with one of Strapi's built-in roles (`strapi-editor`, `strapi-author`)
 * through the admin services and returns its credentials, for permission tests.
 */
export const createAdmin = async (
  app: Playground,
  { role, email }: { role: 'strapi-editor' | 'strapi-author'; email: string }
) => {
  const { strapi } = app;
  const adminRole = await strapi.db.query('admin::role').findOne({ where: { code: role } });
  const password = 'Another-Secret-42';
  await strapi.service('admin::user').create({
    email,
    password,
    firstname: 'Test',
    lastname: role,
    isActive: true,
    registrationToken: null,
    roles: [adminRole.id],
  });
  return { email, password };
};

/** Grants an admin role (by its code) an action with no conditions, e.g. `plugin::personalize.read`. */
export const grantAdminAction = async (app: Playground, roleCode: string, action: string) => {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
  await app.strapi.db.query('admin::permission').create({
    data: { action, role: role.id, properties: {}, conditions: [] },
  });
};
