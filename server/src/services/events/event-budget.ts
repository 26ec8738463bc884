import type { PluginConfig } from '../../config';
import { addressKey } from '../../utils/client-address';
import { RateLimiter } from '../../utils/rate-limiter';
import type { EventOrigin } from './rows';

/**
 * One budget per client address for the exposures and events it makes the plugin record
 * (`eventBudget`): the delivery's exposures and the events route spend the same one.
 */
export const eventBudget = ({ perAddress, windowSeconds }: PluginConfig['eventBudget']) => {
  const limiter = new RateLimiter(perAddress, windowSeconds * 1_000);
  return {
    perAddress,
    windowSeconds,
    /**
     * Spends `cost` of the origin's budget; 0 when it may, otherwise the milliseconds until its
     * budget renews.
     */
    spend: (origin: EventOrigin, cost: number, now = Date.now()): number =>
      origin.budgeted && origin.address !== null
        ? limiter.take(addressKey(origin.address), now, cost)
        : 0,
  };
};

export type EventBudget = ReturnType<typeof eventBudget>;
