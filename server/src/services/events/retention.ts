import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import type { Erasure } from '../../contracts';
import { PLUGIN_ID } from '../../constants';
import { CONVERSIONS_TABLE, EXPOSURES_TABLE, WITHHELD_TABLE } from '../../models/events';
import type { ExposureBuffer } from './exposure-buffer';
import { getService } from '../../utils/get-service';
import { DAY_MS, dayOf } from './rows';
import type { VisitorHashing } from './visitor-hash';

/** Erasure and retention: deleting one visitor's events, an experiment's, and expired ones. */
export const eventRetention = (
  strapi: Core.Strapi,
  { hashing, buffer }: { hashing: VisitorHashing; buffer: ExposureBuffer }
) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const knex = () => strapi.db.connection;

  return {
    /** GDPR erasure: every stored event of one visitor, and their profile. */
    async eraseVisitor(visitorId: string): Promise<Erasure> {
      await buffer.flush();
      const visitorHash = hashing.hashVisitor(visitorId);
      const erased = await knex().transaction(async (trx) => {
        const exposures = await trx(EXPOSURES_TABLE).where({ visitor_hash: visitorHash }).del();
        const conversions = await trx(CONVERSIONS_TABLE).where({ visitor_hash: visitorHash }).del();
        buffer.forgetStored();
        return { exposures, conversions };
      });
      return { ...erased, profiles: await getService(strapi, 'profiles').erase(visitorId) };
    },

    /**
     * Deletes events older than `eventRetentionDays` and profiles unseen for
     * `profileRetentionDays` (the daily job).
     */
    async purgeExpired(now = new Date()) {
      await buffer.flush();
      const cutoff = new Date(now.getTime() - config().eventRetentionDays * DAY_MS);
      const exposures = await knex()(EXPOSURES_TABLE).where('exposed_at', '<', cutoff).del();
      const conversions = await knex()(CONVERSIONS_TABLE).where('converted_at', '<', cutoff).del();
      await knex()(WITHHELD_TABLE).where('day', '<', dayOf(cutoff)).del();
      if (exposures > 0) buffer.forgetStored();
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
