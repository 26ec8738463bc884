export const PLUGIN_ID = 'personalize';

/** UIDs of the plugin's content types (schemas in the top-level `content-types/` folder). */
export const PERSONA_UID = 'plugin::personalize.persona';
export const STAGE_UID = 'plugin::personalize.journey-stage';
export const VARIANT_UID = 'plugin::personalize.variant';
export const EXPERIMENT_UID = 'plugin::personalize.experiment';
export const INTEREST_UID = 'plugin::personalize.interest';

/** UIDs of the plugin's event tables (database models, not content types). */
export const EXPOSURE_UID = 'plugin::personalize.exposure';
export const CONVERSION_UID = 'plugin::personalize.conversion';
export const WITHHELD_UID = 'plugin::personalize.withheld-exposure';
/** UIDs of the tables the impact report and variant reach are counted from. */
export const IMPACT_EXPOSURE_UID = 'plugin::personalize.impact-exposure';
export const GOAL_CONVERSION_UID = 'plugin::personalize.goal-conversion';
export const VARIANT_REACH_UID = 'plugin::personalize.variant-reach';

/** UID of the table of leases that let one instance of several run a scheduled job. */
export const LEASE_UID = 'plugin::personalize.lease';

/** UIDs of the tables of visitor profiles and of entries' interest signals (database models). */
export const PROFILE_UID = 'plugin::personalize.profile';
export const SIGNAL_UID = 'plugin::personalize.signal';
