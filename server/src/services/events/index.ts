import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import { getService } from '../../utils/get-service';
import { eventBudget } from './event-budget';
import { exposureBuffer } from './exposure-buffer';
import { inHoldout, type Population } from '../../engine';
import { impactEvents } from './impact';
import { rememberedArms } from './remembered-arms';
import { eventIngest } from './ingest';
import { eventReports } from './reports';
import { eventRetention } from './retention';
import { SYSTEM_ORIGIN } from './rows';
import { visitorHashing } from './visitor-hash';

export { SYSTEM_ORIGIN, type EventOrigin } from './rows';

/**
 * Exposures and conversions, one module per concern: visitor-hash.ts (the HMAC key: no visitor
 * id, IP address or user agent is ever stored), event-budget.ts (one budget per client address),
 * exposure-buffer.ts (the delivery's write-behind buffer), ingest.ts (ingest and attribution),
 * retention.ts (erasure and retention), reports.ts (aggregates for results), impact.ts (the
 * impact report's exposures and conversions, and variant reach).
 */
const events = ({ strapi }: { strapi: Core.Strapi }) => {
  const { eventBudget: budgetConfig } = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const hashing = visitorHashing(strapi);
  const limit = getService(strapi, 'cluster').rateLimit(
    'budget',
    budgetConfig.perAddress,
    budgetConfig.windowSeconds * 1_000
  );
  const budget = eventBudget(budgetConfig, { limit, hashing });
  const buffer = exposureBuffer(strapi, { hashing, budget });
  const impact = impactEvents(strapi, { hashing });
  const { ingest, assignedArm } = eventIngest(strapi, { hashing, budget, buffer, impact });

  return {
    hashVisitor: hashing.hashVisitor,
    /** What a per-address rate limit counts `address` under (no address reaches Redis). */
    limitKey: hashing.limitKey,
    /** For the plugin's own code and the app's seeds and imports (see SYSTEM_ORIGIN). */
    systemOrigin: SYSTEM_ORIGIN,
    /** Whether the holdout keeps this visitor from personalization now. */
    populationOf: (visitorId: string): Population =>
      inHoldout(getService(strapi, 'registryLoader').registry.holdout, visitorId)
        ? 'holdout'
        : 'personalized',
    recordExposure: buffer.recordExposure,
    rememberedArms: rememberedArms(strapi, { hashing, buffer }),
    flush: buffer.flush,
    ingest,
    assignedArm,
    ...impact,
    ...eventRetention(strapi, { hashing, buffer, impact }),
    ...eventReports(strapi, { buffer }),
    /** What the delivery queued is written before the database closes. */
    async stop() {
      await Promise.all([buffer.flush(), impact.flushImpact()]);
    },
  };
};

export default events;
