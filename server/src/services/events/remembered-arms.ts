import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';

import { EXPOSURES_TABLE } from '../../models/events';
import { getService } from '../../utils/get-service';
import type { ExposureBuffer } from './exposure-buffer';
import { exposureKey } from './rows';
import type { VisitorHashing } from './visitor-hash';

/** How long a visitor found without exposures is not looked up again. */
const ABSENT_MS = 30_000;

/**
 * The arms of a visitor's first exposures in running bandits that have been reweighted: bucketing
 * by the new weights could move them to another arm, so they keep the stored one. This instance's
 * own exposures answer from memory; others cost one indexed read per visitor (then remembered).
 */
export const rememberedArms = (
  strapi: Core.Strapi,
  { hashing, buffer }: { hashing: VisitorHashing; buffer: ExposureBuffer }
) => {
  const absent = new LRUCache<string, true>({ max: 100_000, ttl: ABSENT_MS });

  return async (visitorId: string): Promise<ReadonlyMap<string, string> | undefined> => {
    const bandits = getService(strapi, 'registryLoader').registry.reweightedBandits;
    if (bandits.length === 0) return undefined;
    const visitorHash = hashing.hashVisitor(visitorId);
    const arms = new Map<string, string>();
    const unknown = new Map<string, string>();
    for (const bandit of bandits) {
      const arm = buffer.armOf(exposureKey(bandit.documentId, visitorHash));
      if (arm === undefined) unknown.set(bandit.documentId, bandit.key);
      else arms.set(bandit.key, arm);
    }
    if (unknown.size === 0 || absent.has(visitorHash)) return arms;
    const rows = (await strapi.db
      .connection(EXPOSURES_TABLE)
      .select('experiment', 'arm')
      .where('visitor_hash', visitorHash)
      .whereIn('experiment', [...unknown.keys()])) as { experiment: string; arm: string }[];
    for (const row of rows) {
      arms.set(unknown.get(row.experiment) as string, row.arm);
      buffer.markStored(exposureKey(row.experiment, visitorHash), row.arm);
    }
    if (rows.length < unknown.size) absent.set(visitorHash, true);
    return arms;
  };
};
