import {
  CONVERSION_UID,
  EXPOSURE_UID,
  GOAL_CONVERSION_UID,
  IMPACT_EXPOSURE_UID,
  VARIANT_REACH_UID,
  WITHHELD_UID,
} from '../constants';

export const EXPOSURES_TABLE = 'personalize_exposures';
export const CONVERSIONS_TABLE = 'personalize_conversions';
export const WITHHELD_TABLE = 'personalize_withheld_exposures';
export const IMPACT_EXPOSURES_TABLE = 'personalize_impact_exposures';
export const GOAL_CONVERSIONS_TABLE = 'personalize_goal_conversions';
export const VARIANT_REACH_TABLE = 'personalize_variant_reach';

/**
 * Exposures and conversions are append-heavy and only ever aggregated, so they live in plain
 * database models (registered like Strapi's own history and core-store tables) rather than in
 * content types: no documentId, draft/publish or locale columns, and real unique indexes so that
 * batched inserts can skip duplicates in the database (`ON CONFLICT DO NOTHING`).
 *
 * `experiment` holds the experiment's documentId; `visitorHash` is an HMAC of the visitor id,
 * never the id itself. `source` is a 6-hex-digit prefix of an HMAC of the client address under
 * a key that changes every day (null for trusted senders: API tokens, the plugin itself), only
 * so that results can show how concentrated an arm's events are; `trusted` marks events a
 * trusted backend sent.
 */
export const exposureModel = {
  uid: EXPOSURE_UID,
  singularName: 'exposure',
  tableName: EXPOSURES_TABLE,
  attributes: {
    id: { type: 'increments' },
    experiment: { type: 'string', column: { notNullable: true } },
    arm: { type: 'string', column: { notNullable: true } },
    visitorHash: { type: 'string', column: { notNullable: true } },
    exposedAt: { type: 'datetime', column: { notNullable: true } },
    /** The UTC date of `exposedAt` (YYYY-MM-DD): the results' daily series group on it in any database. */
    day: { type: 'string', column: { notNullable: true } },
    source: { type: 'string' },
    trusted: { type: 'boolean', default: false },
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
  tableName: CONVERSIONS_TABLE,
  attributes: {
    id: { type: 'increments' },
    experiment: { type: 'string', column: { notNullable: true } },
    goal: { type: 'string', column: { notNullable: true } },
    arm: { type: 'string', column: { notNullable: true } },
    visitorHash: { type: 'string', column: { notNullable: true } },
    convertedAt: { type: 'datetime', column: { notNullable: true } },
    /** The UTC date of `convertedAt` (YYYY-MM-DD). */
    day: { type: 'string', column: { notNullable: true } },
    source: { type: 'string' },
    trusted: { type: 'boolean', default: false },
    /** When the server received it, in minutes since the epoch: bursts are found on it. */
    receivedMinute: { type: 'integer' },
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

/**
 * Exposures the delivery did not record because the client address was over its event budget
 * (per experiment and UTC day), so that results can say how many.
 */
export const withheldModel = {
  uid: WITHHELD_UID,
  singularName: 'withheld-exposure',
  tableName: WITHHELD_TABLE,
  attributes: {
    id: { type: 'increments' },
    experiment: { type: 'string', column: { notNullable: true } },
    day: { type: 'string', column: { notNullable: true } },
    count: { type: 'integer', column: { notNullable: true } },
  },
  indexes: [
    { name: 'personalize_withheld_day_uq', type: 'unique', columns: ['experiment', 'day'] },
  ],
} as const;

/**
 * Exposure to personalization as a whole (the impact report): once per visitor and UTC day, when
 * the delivery served an entry that has variants while the holdout is on; `population` says
 * whether the visitor was held out. `persona` and `stage`: what the visitor was (held out: would
 * have been) classified as, for the breakdowns.
 */
export const impactExposureModel = {
  uid: IMPACT_EXPOSURE_UID,
  singularName: 'impact-exposure',
  tableName: IMPACT_EXPOSURES_TABLE,
  attributes: {
    id: { type: 'increments' },
    visitorHash: { type: 'string', column: { notNullable: true } },
    day: { type: 'string', column: { notNullable: true } },
    population: { type: 'string', column: { notNullable: true } },
    persona: { type: 'string' },
    stage: { type: 'string' },
    exposedAt: { type: 'datetime', column: { notNullable: true } },
  },
  indexes: [
    { name: 'personalize_impact_visitor_day_uq', type: 'unique', columns: ['visitor_hash', 'day'] },
    { name: 'personalize_impact_day_idx', columns: ['day', 'population'] },
  ],
} as const;

/**
 * Conversions of every goal, whatever experiment runs, for the impact report: once per visitor,
 * goal and UTC day (recorded while the holdout is on).
 */
export const goalConversionModel = {
  uid: GOAL_CONVERSION_UID,
  singularName: 'goal-conversion',
  tableName: GOAL_CONVERSIONS_TABLE,
  attributes: {
    id: { type: 'increments' },
    visitorHash: { type: 'string', column: { notNullable: true } },
    goal: { type: 'string', column: { notNullable: true } },
    day: { type: 'string', column: { notNullable: true } },
    convertedAt: { type: 'datetime', column: { notNullable: true } },
    trusted: { type: 'boolean', default: false },
  },
  indexes: [
    {
      name: 'personalize_goal_conversions_uq',
      type: 'unique',
      columns: ['visitor_hash', 'goal', 'day'],
    },
    { name: 'personalize_goal_conversions_day_idx', columns: ['day', 'goal'] },
  ],
} as const;

/** Which visitors each variant was served to, once per visitor and UTC day (its reach). */
export const variantReachModel = {
  uid: VARIANT_REACH_UID,
  singularName: 'variant-reach',
  tableName: VARIANT_REACH_TABLE,
  attributes: {
    id: { type: 'increments' },
    variant: { type: 'string', column: { notNullable: true } },
    visitorHash: { type: 'string', column: { notNullable: true } },
    day: { type: 'string', column: { notNullable: true } },
  },
  indexes: [
    {
      name: 'personalize_variant_reach_uq',
      type: 'unique',
      columns: ['variant', 'visitor_hash', 'day'],
    },
  ],
} as const;

export const eventModels = [
  exposureModel,
  conversionModel,
  withheldModel,
  impactExposureModel,
  goalConversionModel,
  variantReachModel,
];
