import access from './access';
import catalog from './catalog';
import classification from './classification';
import classificationUsage from './classification-usage';
import cluster from './cluster';
import contentCache from './content-cache';
import delivery from './delivery';
import events from './events';
import interests from './interests';
import experiments from './experiments';
import overrides from './overrides';
import impact from './impact';
import preview from './preview';
import previewLinks from './preview-links';
import profiles from './profiles';
import purge from './purge';
import registryLoader from './registry-loader';
import settings from './settings';
import snapshot from './snapshot';
import targets from './targets';
import variants from './variants';

export default {
  access,
  catalog,
  classification,
  classificationUsage,
  cluster,
  contentCache,
  delivery,
  events,
  interests,
  experiments,
  overrides,
  impact,
  preview,
  previewLinks,
  profiles,
  purge,
  registryLoader,
  settings,
  snapshot,
  targets,
  variants,
};
