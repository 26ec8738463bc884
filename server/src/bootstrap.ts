import type { Core } from '@strapi/strapi';

import { CONVERSION_UID, EXPOSURE_UID, PLUGIN_ID, WITHHELD_UID } from './constants';
import { documentMiddleware } from './document-middleware';
import { dropInMiddleware } from './middlewares/drop-in';
import { actionDefinitions } from './permissions';
import { getService } from './utils/get-service';

/** Database writes that leave cached content as it was. */
const EVENT_TABLES = new Set<string>([EXPOSURE_UID, CONVERSION_UID, WITHHELD_UID]);
const WRITE_EVENTS = new Set([
  'afterCreate',
  'afterCreateMany',
  'afterUpdate',
  'afterUpdateMany',
  'afterDelete',
  'afterDeleteMany',
]);

const RETENTION_JOB = `${PLUGIN_ID}::event-retention`;
const RETENTION_AFTER_START_JOB = `${PLUGIN_ID}::event-retention-after-start`;

/** Undo functions for what bootstrap attached to Strapi, run by destroy(). */
export const detachments: (() => void)[] = [];

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(actionDefinitions);

  const registryLoader = getService(strapi, 'registryLoader');
  await registryLoader.start();
  detachments.push(() => registryLoader.stop());

  // `use` returns an unsubscribe function although its type says it returns the service.
  const unuse: unknown = strapi.documents.use(documentMiddleware({ strapi }));
  if (typeof unuse === 'function') detachments.push(() => unuse());

  const contentCache = getService(strapi, 'contentCache');
  const unsubscribe = strapi.db.lifecycles.subscribe((event) => {
    if (WRITE_EVENTS.has(event.action) && !EVENT_TABLES.has(event.model.uid)) {
      contentCache.clear();
    }
  });
  detachments.push(unsubscribe);

  strapi.server.use(dropInMiddleware({ strapi }));

  // Events older than `eventRetentionDays` go every night (03:00 server time), and once a minute
  // after start-up: an instance restarted every day might otherwise never sweep.
  const events = getService(strapi, 'events');
  const purge = async () => {
    try {
      await events.purgeExpired();
    } catch (error) {
      strapi.log.warn(`[personalize] event retention failed: ${String(error)}`);
    }
  };
  strapi.cron.add({
    [RETENTION_JOB]: { task: purge, options: '0 0 3 * * *' },
    [RETENTION_AFTER_START_JOB]: { task: purge, options: Date.now() + 60_000 },
  });
  detachments.push(() => {
    strapi.cron.remove(RETENTION_JOB);
    strapi.cron.remove(RETENTION_AFTER_START_JOB);
  });
};

export default bootstrap;
