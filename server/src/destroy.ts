import type { Core } from '@strapi/strapi';

import { detachments, drainRequests } from './bootstrap';
import { getService } from './utils/get-service';

/**
 * Shutdown (SIGTERM): no new connections, the requests in flight answered, then what they
 * accepted written (the exposures the delivery queued) before Strapi closes the database.
 */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await drainRequests();
  while (detachments.length > 0) {
    detachments.pop()?.();
  }
  await getService(strapi, 'events').stop();
  await getService(strapi, 'cluster').stop();
};

export default destroy;
