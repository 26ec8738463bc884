import experiment from '../../content-types/experiment/schema.json';
import interest from '../../content-types/interest/schema.json';
import journeyStage from '../../content-types/journey-stage/schema.json';
import persona from '../../content-types/persona/schema.json';
import variant from '../../content-types/variant/schema.json';

/** Keys must equal each schema's `info.singularName`: Strapi derives the UID from them. */
export default {
  persona: { schema: persona },
  'journey-stage': { schema: journeyStage },
  variant: { schema: variant },
  experiment: { schema: experiment },
  interest: { schema: interest },
};
