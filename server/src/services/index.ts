import access from './access';
import catalog from './catalog';
import classification from './classification';
import classificationUsage from './classification-usage';
import cluster from './cluster';
import contentCache from './content-cache';
import delivery from './delivery';
import events from './events';
import experiments from './experiments';
import overrides from './overrides';
import preview from './preview';
import registryLoader from './registry-loader';
import settings from './settings';
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
  experiments,
  overrides,
  preview,
  registryLoader,
  settings,
  targets,
  variants,
};
