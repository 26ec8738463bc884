import type { Core } from '@strapi/strapi';

import { eventModels } from './models/events';

/** Runs before the database is initialised: models added here become tables at bootstrap. */
const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const models = strapi.get('models');
  for (const model of eventModels) {
    models.add(model);
  }
};

export default register;
