import type { Core } from '@strapi/strapi';

import { detachments } from './bootstrap';
import { getService } from './utils/get-service';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  while (detachments.length > 0) {
    detachments.pop()?.();
  }
  // Exposures the delivery queued are written before the database closes.
  await getService(strapi, 'events').stop();
};

export default destroy;
