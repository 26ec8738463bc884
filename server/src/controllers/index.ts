import { listController } from './lists';

export default {
  personas: listController('personas'),
  stages: listController('stages'),
  variants: listController('variants'),
  experiments: listController('experiments'),
};
