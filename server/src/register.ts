import type { Core } from '@strapi/strapi';

import { MAX_CONTEXT_BYTES } from './engine';
import { registerGraphql } from './graphql';
import { eventModels } from './models/events';
import { leaseModel } from './models/leases';
import { profileModel, signalModel } from './models/profiles';

/** Core REST reads that personalize when they carry a visitor context (the drop-in). */
export const isCoreRead = (route: { method?: string; handler?: unknown }) =>
  route.method === 'GET' &&
  typeof route.handler === 'string' &&
  /^api::[^.]+\.[^.]+\.(find|findOne)$/.test(route.handler);

/** Runs before the database is initialised: models added here become tables at bootstrap. */
const register = ({ strapi }: { strapi: Core.Strapi }) => {
  const models = strapi.get('models');
  for (const model of [...eventModels, leaseModel, profileModel, signalModel]) {
    models.add(model);
  }
  // Declared so that core REST reads with `rest.strictParams` accept `?context=` and `?track=`.
  strapi.contentAPI.addQueryParams({
    context: {
      schema: (z) => z.string().max(MAX_CONTEXT_BYTES).optional(),
      // A route that already has it was declared by an earlier boot in the same process (tests).
      matchRoute: (route) =>
        isCoreRead(route) && !(route.request?.query && 'context' in route.request.query),
    },
    track: {
      schema: (z) => z.enum(['true', 'false']).optional(),
      matchRoute: (route) =>
        isCoreRead(route) && !(route.request?.query && 'track' in route.request.query),
    },
  });
  registerGraphql(strapi);
};

export default register;
