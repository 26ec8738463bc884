import type { Core } from '@strapi/strapi';

import { detachments, drainRequests } from './bootstrap';
import { getService } from './utils/get-service';

/**
 * Shutdown (SIGTERM): no new connections, the requests in flight answered, then what they
 * accepted written (the exposures and profile changes the delivery queued) before Strapi closes the database.
 */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await drainRequests();
  while (detachments.length > 0) {
    detachments.pop()?.();
  }
  await getService(strapi, 'events').stop();
  // Profiles written tell other instances: before the cluster stops.
  await getService(strapi, 'profiles').stop();
  await getService(strapi, 'cluster').stop();
};

export default destroy;
