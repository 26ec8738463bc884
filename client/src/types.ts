/**
 * What the delivery API takes and answers, as the client sees it: the server's contracts
 * (server/src/contracts/), imported type-only so that zod stays out of the client's bundle.
 */
import type { VisitorContext } from '../../server/src/contracts/delivery';

export type {
  DecideRequest,
  DecisionResponse as Decision,
  Personalization,
  VisitorContext,
} from '../../server/src/contracts/delivery';
export type { TrackedEvent, TrackResult } from '../../server/src/contracts/events';

export type Query = Record<string, unknown>;

export interface ReadOptions extends Query {
  context?: VisitorContext;
  locale?: string;
  populate?: unknown;
  fields?: unknown;
}
