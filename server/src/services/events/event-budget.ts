import type { PluginConfig } from '../../config';
import type { RateLimit } from '../cluster';
import type { EventOrigin } from './rows';
import type { VisitorHashing } from './visitor-hash';

/**
 * One budget per client address for the exposures and events it makes the plugin record
 * (`eventBudget`): the delivery's exposures and the events route spend the same one, counted in
 * Redis across instances when it is configured (services/cluster), else per instance.
 */
export const eventBudget = (
  { perAddress, windowSeconds }: PluginConfig['eventBudget'],
  { limit, hashing }: { limit: RateLimit; hashing: VisitorHashing }
) => ({
  perAddress,
  windowSeconds,
  /**
   * Spends `cost` of the origin's budget; 0 when it may, otherwise the milliseconds until its
   * budget renews.
   */
  spend: async (origin: EventOrigin, cost: number): Promise<number> =>
    origin.budgeted && origin.address !== null && perAddress > 0
      ? limit.take(hashing.limitKey(origin.address), cost)
      : 0,
});

export type EventBudget = ReturnType<typeof eventBudget>;
