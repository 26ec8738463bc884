import { classificationController } from './admin/classification';
import experiments from './admin/experiments';
import impact from './admin/impact';
import { interests, signals } from './admin/interests';
import preview from './admin/preview';
import rules from './admin/rules';
import settings from './admin/settings';
import targets from './admin/targets';
import variants from './admin/variants';
import visitors from './admin/visitors';
import content from './content-api/content';
import decide from './content-api/decide';
import events from './content-api/events';
import profiles from './content-api/profiles';
import snapshot from './content-api/snapshot';

export default {
  personas: classificationController('persona', 'personas'),
  stages: classificationController('stage', 'stages'),
  variants,
  experiments,
  impact,
  interests,
  signals,
  visitors,
  rules,
  settings,
  targets,
  preview,
  content,
  decide,
  events,
  profiles,
  snapshot,
};
