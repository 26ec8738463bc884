// Uses every export of strapi-plugin-personalize-client/edge on a snapshot (the hand-made
// edge-snapshot.json, as `GET /api/personalize/snapshot` answers it). The package test type-checks
// it (strict, without the DOM library), compiles it as ESM (.mts) and CommonJS (.cts), runs both
// and compares `decisions(snapshot)` with the same module run from the plugin's source; for the
// plugin's own tarball it imports strapi-plugin-personalize/edge instead.
import {
  createEdgeDecider,
  decide,
  decideWithEvents,
  EdgeRequestError,
  originReason,
  type DecisionResponse,
  type EdgeDecideRequest,
  type EdgeDecider,
  type EdgeDeciderOptions,
  type EdgeDecisionEvent,
  type EdgeEvent,
  type EdgeExposure,
  type EdgeFacts,
  type EdgeFetch,
  type EdgeResponse,
  type OriginReason,
  type Snapshot,
} from 'strapi-plugin-personalize-client/edge';

const facts: EdgeFacts = { now: new Date('2026-03-02T10:00:00.000Z'), country: 'DE' };
const fleet: EdgeDecideRequest = {
  targetUid: 'articles',
  targetDocumentId: 'a1',
  locale: 'en',
  context: { traits: { cars: 12 } },
};
const experiment: EdgeDecideRequest = {
  targetUid: 'articles',
  targetDocumentId: 'a2',
  context: { visitorId: 'visitor-1' },
};

/** The status and issues of a request the origin would refuse. */
const refusal = (snapshot: Snapshot, request: EdgeDecideRequest) => {
  try {
    decide(snapshot, request, facts);
    return null;
  } catch (error) {
    return error instanceof EdgeRequestError
      ? { status: error.status, issues: error.issues }
      : String(error);
  }
};

export const decisions = async (snapshot: Snapshot) => {
  /** The origin's snapshot route, stubbed. */
  const snapshotResponse: EdgeResponse = {
    ok: true,
    status: 200,
    headers: { get: () => `"${snapshot.version}"` },
    json: async () => snapshot,
    text: async () => '',
  };
  const origin: EdgeFetch = async () => snapshotResponse;
  const options: EdgeDeciderOptions = {
    snapshotUrl: 'https://cms.example/api/personalize/snapshot',
    token: 'token',
    fetch: origin,
  };
  const decider: EdgeDecider = createEdgeDecider(options);
  const served = decideWithEvents(snapshot, experiment, facts);
  const events: EdgeEvent[] = served.events;
  const exposures = events.filter((event): event is EdgeExposure => event.type === 'exposure');
  const decisionEvents = events.filter(
    (event): event is EdgeDecisionEvent => event.type === 'decision'
  );
  const preview: OriginReason | null = originReason(snapshot, {
    ...fleet,
    context: { preview: 'token' },
  });
  const decided: DecisionResponse[] = [
    decide(snapshot, fleet, facts),
    await decider.decide(fleet, facts),
    served.data,
  ];
  return {
    decided,
    exposures,
    decisionEvents,
    preview,
    refused: refusal(snapshot, { ...fleet, context: { visits: -1 } }),
  };
};
