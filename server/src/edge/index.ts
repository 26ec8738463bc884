/**
 * `strapi-plugin-personalize/edge` (docs/edge.md): the plugin's decisions in a CDN worker or
 * middleware (Cloudflare Workers, Vercel/Next.js middleware, Deno), from the snapshot of
 * `GET /api/personalize/snapshot`. Web standards only: `fetch`, no Node built-in. Also
 * `strapi-plugin-personalize-client/edge`, its dependencies bundled (scripts/build-client.mjs).
 */
export {
  createEdgeDecider,
  type EdgeDecider,
  type EdgeDeciderOptions,
  type EdgeFetch,
  type EdgeResponse,
} from './decider';
export {
  decide,
  decideWithEvents,
  EdgeRequestError,
  originReason,
  type EdgeDecideRequest,
  type EdgeDecisionEvent,
  type EdgeEvent,
  type EdgeExposure,
  type EdgeFacts,
  type OriginReason,
} from './decide';
export type { DecisionResponse, Snapshot } from '../contracts';
