import type { Core } from '@strapi/strapi';

import { MAX_CONTEXT_BYTES } from './engine';
import { eventModels } from './models/events';
import { leaseModel } from './models/leases';

/** Core REST reads that personalize when they carry a visitor context (the drop-in). */
export const isCoreRead = (route: { method?: string; handler?: unknown }) =>
  route.method === 'GET' &&
  typeof route.handler === 'string' &&
  /^api::[^.]+\.[^.]+\.(find|findOne)$/.test(route.handler);

/** Runs before the database is initialised: models added here become tables at bootstrap. */
const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const models = strapi.get('models');
  for (const model of [...eventModels, leaseModel]) {
    models.add(model);
  }
  // Declared so that core REST reads with `rest.strictParams` accept `?context=`.
  strapi.contentAPI.addQueryParams({
    context: {
      schema: (z) => z.string().max(MAX_CONTEXT_BYTES).optional(),
      // A route that already has it was declared by an earlier boot in the same process (tests).
      matchRoute: (route) =>
        isCoreRead(route) && !(route.request?.query && 'context' in route.request.query),
    },
  });
};

export default register;
