import { detachments } from './bootstrap';

const destroy = () => {
  while (detachments.length > 0) {
    detachments.pop()?.();
  }
};

export default destroy;
