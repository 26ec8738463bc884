import { CONVERSION_UID, EXPOSURE_UID } from '../constants';

/**
 * Exposures and conversions are append-heavy and only ever aggregated, so they live in plain
 * database models (registered like Strapi's own history and core-store tables) rather than in
 * content types: no documentId, draft/publish or locale columns, and real unique indexes so that
 * batched inserts can skip duplicates in the database (`ON CONFLICT DO NOTHING`).
 *
 * `experiment` holds the experiment's documentId; `visitorHash` is an HMAC of the visitor id,
 * never the id itself.
 */
export const exposureModel = {
  uid: EXPOSURE_UID,
  singularName: 'exposure',
  tableName: 'personalize_exposures',
  attributes: {
    id: { type: 'increments' },
    experiment: { type: 'string', column: { notNullable: true } },
    arm: { type: 'string', column: { notNullable: true } },
    visitorHash: { type: 'string', column: { notNullable: true } },
    exposedAt: { type: 'datetime', column: { notNullable: true } },
    /** The UTC date of `exposedAt` (YYYY-MM-DD): the results' daily series group on it in any database. */
    day: { type: 'string', column: { notNullable: true } },
  },
  indexes: [
    // One exposure per visitor and experiment: the first one counts.
    {
      name: 'personalize_exposures_visitor_uq',
      type: 'unique',
      columns: ['experiment', 'visitor_hash'],
    },
    { name: 'personalize_exposures_arm_idx', columns: ['experiment', 'arm'] },
  ],
} as const;

export const conversionModel = {
  uid: CONVERSION_UID,
  singularName: 'conversion',
  tableName: 'personalize_conversions',
  attributes: {
    id: { type: 'increments' },
    experiment: { type: 'string', column: { notNullable: true } },
    goal: { type: 'string', column: { notNullable: true } },
    arm: { type: 'string', column: { notNullable: true } },
    visitorHash: { type: 'string', column: { notNullable: true } },
    convertedAt: { type: 'datetime', column: { notNullable: true } },
    /** The UTC date of `convertedAt` (YYYY-MM-DD). */
    day: { type: 'string', column: { notNullable: true } },
  },
  indexes: [
    // A visitor converts at most once per experiment and goal.
    {
      name: 'personalize_conversions_visitor_uq',
      type: 'unique',
      columns: ['experiment', 'goal', 'visitor_hash'],
    },
    { name: 'personalize_conversions_arm_idx', columns: ['experiment', 'goal', 'arm'] },
  ],
} as const;

export const eventModels = [exposureModel, conversionModel];
