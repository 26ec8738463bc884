import type { Core } from '@strapi/strapi';

import type { PluginConfig } from './config';
import {
  CONVERSION_UID,
  EXPOSURE_UID,
  LEASE_UID,
  IMPACT_EXPOSURE_UID,
  GOAL_CONVERSION_UID,
  VARIANT_REACH_UID,
  PLUGIN_ID,
  PROFILE_UID,
  WITHHELD_UID,
} from './constants';
import { documentMiddleware } from './document-middleware';
import { bootstrapGraphql } from './graphql';
import { dropInMiddleware, repeatedAnswersMiddleware } from './middlewares/drop-in';
import { actionDefinitions } from './permissions';
import { DAY_MS, dayOf } from './services/events/rows';
import { afterCommit } from './utils/after-write';
import { drainableServer } from './utils/drain';
import { getService } from './utils/get-service';

/** Database writes that leave cached content as it was. */
const UNCACHED_TABLES = new Set<string>([
  EXPOSURE_UID,
  CONVERSION_UID,
  WITHHELD_UID,
  IMPACT_EXPOSURE_UID,
  GOAL_CONVERSION_UID,
  VARIANT_REACH_UID,
  LEASE_UID,
  PROFILE_UID,
]);
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
const SCHEDULE_JOB = `${PLUGIN_ID}::schedule`;

/** Undo functions for what bootstrap attached to Strapi, run by destroy(). */
export const detachments: (() => void)[] = [];

/** Set by bootstrap: destroy() drains the requests in flight before it flushes. */
export let drainRequests: () => Promise<void> = async () => undefined;

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(actionDefinitions);

  const registryLoader = getService(strapi, 'registryLoader');
  await registryLoader.start();
  detachments.push(() => registryLoader.stop());

  // `use` returns an unsubscribe function although its type says it returns the service.
  const unuse: unknown = strapi.documents.use(documentMiddleware({ strapi }));
  if (typeof unuse === 'function') detachments.push(() => unuse());

  // Any write may change a cached response (an entry, a permission, a token): empty the cache at
  // once, again when the transaction commits (a read in between may have cached the old rows),
  // and tell the other instances.
  const contentCache = getService(strapi, 'contentCache');
  const unsubscribe = strapi.db.lifecycles.subscribe((event) => {
    if (WRITE_EVENTS.has(event.action) && !UNCACHED_TABLES.has(event.model.uid)) {
      contentCache.clear();
      afterCommit(strapi, () => {
        contentCache.clear();
        registryLoader.contentChanged();
      });
    }
  });
  detachments.push(unsubscribe);

  const server = drainableServer(strapi);
  drainRequests = server.drain;
  detachments.push(server.detach);
  // A middleware of the router: it runs after every app middleware, right before the route.
  strapi.server.router.use(dropInMiddleware({ strapi }));
  bootstrapGraphql(strapi);
  // The app's last middleware: the router is mounted after it when the server starts listening.
  strapi.server.use(repeatedAnswersMiddleware({ strapi }));

  // Events older than `eventRetentionDays` go on `eventRetentionSchedule` (03:00 server time), and
  // once a day a minute after start-up: an instance restarted every day might otherwise never
  // sweep. A lease per run lets one instance of several do it.
  const events = getService(strapi, 'events');
  const cluster = getService(strapi, 'cluster');
  const { eventRetentionSchedule, scheduleCron } = strapi.config.get(
    `plugin::${PLUGIN_ID}`
  ) as PluginConfig;
  const purge = async (run: string) => {
    try {
      if (!(await cluster.takeLease(`event-retention@${run}`, DAY_MS))) return;
      const { exposures, conversions, profiles } = await events.purgeExpired();
      strapi.log.info(
        `[personalize] event retention ${run} ran on this instance: ${exposures} exposure(s), ${conversions} conversion(s) and ${profiles} profile(s) deleted`
      );
    } catch (error) {
      strapi.log.warn(`[personalize] event retention failed: ${String(error)}`);
    }
  };
  // Experiments start and complete on their schedule and bandits reweight: one instance a run.
  const runSchedule = async (fireDate: Date) => {
    try {
      if (!(await cluster.takeLease(`schedule@${fireDate.toISOString()}`, 5 * 60_000))) return;
      const run = await getService(strapi, 'experiments').runSchedule(fireDate);
      const done = Object.entries(run).filter(([, keys]) => keys.length > 0);
      if (done.length > 0)
        strapi.log.info(
          `[personalize] schedule: ${done.map(([what, keys]) => `${what} ${keys.join(', ')}`).join('; ')}`
        );
    } catch (error) {
      strapi.log.warn(`[personalize] the schedule failed: ${String(error)}`);
    }
  };
  strapi.cron.add({
    [SCHEDULE_JOB]: {
      // The fire date, whole seconds: every instance names the same run by it.
      task: (_context, fireDate) =>
        runSchedule(
          new Date(
            Math.floor((fireDate instanceof Date ? fireDate : new Date()).getTime() / 1_000) * 1_000
          )
        ),
      options: scheduleCron,
    },
    // Every instance's job fires for the same scheduled time: it names the run.
    [RETENTION_JOB]: {
      task: (_context, fireDate) =>
        purge(fireDate instanceof Date ? fireDate.toISOString() : new Date().toISOString()),
      options: eventRetentionSchedule,
    },
    [RETENTION_AFTER_START_JOB]: {
      task: () => purge(`start-up-${dayOf(new Date())}`),
      options: Date.now() + 60_000,
    },
  });
  detachments.push(() => {
    strapi.cron.remove(SCHEDULE_JOB);
    strapi.cron.remove(RETENTION_JOB);
    strapi.cron.remove(RETENTION_AFTER_START_JOB);
  });
};

export default bootstrap;
