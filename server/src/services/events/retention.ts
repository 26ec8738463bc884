import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import type { Erasure } from '../../contracts';
import { PLUGIN_ID } from '../../constants';
import {
  CONVERSIONS_TABLE,
  EXPOSURES_TABLE,
  GOAL_CONVERSIONS_TABLE,
  IMPACT_EXPOSURES_TABLE,
  VARIANT_REACH_TABLE,
  WITHHELD_TABLE,
} from '../../models/events';
import type { ExposureBuffer } from './exposure-buffer';
import type { ImpactEvents } from './impact';
import { getService } from '../../utils/get-service';
import { DAY_MS, dayOf } from './rows';
import type { VisitorHashing } from './visitor-hash';

/** Erasure and retention: deleting one visitor's events, an experiment's, and expired ones. */
export const eventRetention = (
  strapi: Core.Strapi,
  {
    hashing,
    buffer,
    impact,
  }: { hashing: VisitorHashing; buffer: ExposureBuffer; impact: ImpactEvents }
) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const knex = () => strapi.db.connection;

  return {
    /** GDPR erasure: every stored event of one visitor, and their profile. */
    async eraseVisitor(visitorId: string): Promise<Erasure> {
      await Promise.all([buffer.flush(), impact.flushImpact()]);
      const visitorHash = hashing.hashVisitor(visitorId);
      const erased = await knex().transaction(async (trx) => {
        const where = { visitor_hash: visitorHash };
        const exposures =
          (await trx(EXPOSURES_TABLE).where(where).del()) +
          (await trx(IMPACT_EXPOSURES_TABLE).where(where).del()) +
          (await trx(VARIANT_REACH_TABLE).where(where).del());
        const conversions =
          (await trx(CONVERSIONS_TABLE).where(where).del()) +
          (await trx(GOAL_CONVERSIONS_TABLE).where(where).del());
        buffer.forgetStored();
        impact.forgetImpact();
        return { exposures, conversions };
      });
      return { ...erased, profiles: await getService(strapi, 'profiles').erase(visitorId) };
    },

    /**
     * Deletes events older than `eventRetentionDays` and profiles unseen for
     * `profileRetentionDays` (the daily job).
     */
    async purgeExpired(now = new Date()) {
      await Promise.all([buffer.flush(), impact.flushImpact()]);
      const cutoff = new Date(now.getTime() - config().eventRetentionDays * DAY_MS);
      const exposures = await knex()(EXPOSURES_TABLE).where('exposed_at', '<', cutoff).del();
      const conversions = await knex()(CONVERSIONS_TABLE).where('converted_at', '<', cutoff).del();
      // The impact tables are counted by day: their rows go by day too.
      for (const table of [
        WITHHELD_TABLE,
        IMPACT_EXPOSURES_TABLE,
        VARIANT_REACH_TABLE,
        GOAL_CONVERSIONS_TABLE,
      ]) {
        await knex()(table).where('day', '<', dayOf(cutoff)).del();
      }
      if (exposures > 0) buffer.forgetStored();
      impact.forgetImpact();
      const profiles = await getService(strapi, 'profiles').purgeExpired(now);
      return { exposures, conversions, profiles };
    },

    /** Every event of one experiment (it is deleted). */
    async deleteExperimentEvents(experimentDocumentId: string) {
      await buffer.flush();
      for (const table of [EXPOSURES_TABLE, CONVERSIONS_TABLE, WITHHELD_TABLE]) {
        await knex()(table).where({ experiment: experimentDocumentId }).del();
      }
      buffer.forgetStored();
    },
  };
};
