/**
 * The decision of `POST /api/personalize/decide`, made from a snapshot where the visitor is (a CDN
 * worker, middleware): the same engine, no Strapi, no Node built-in. docs/edge.md.
 */
import type { DecisionResponse, Snapshot, SnapshotExperiment, SnapshotType } from '../contracts';
import { evaluationData, parseVisitorContext, type VisitorContext } from '../engine/context';
import { decideWithoutTrace, decisionRecords, refusesAnalytics } from '../engine/decide';
import type { ExperimentDefinition } from '../engine/experiments';
import type { HoldoutDefinition } from '../engine/holdout';
import { messageOf } from '../engine/request-messages';
import { compileCondition } from '../engine/rule-compiler';
import { segmentOf } from '../engine/segment';
import type {
  CompiledRule,
  EvaluationData,
  Issue,
  PersonaDefinition,
  StageDefinition,
  VariantDefinition,
} from '../engine/types';

/** The body `POST /api/personalize/decide` takes (`track` is the origin's: profiles). */
export interface EdgeDecideRequest {
  /** As the reads name it (`articles`, `homepage`) or by its UID. */
  targetUid: string;
  targetDocumentId?: string | null;
  locale?: string;
  context?: unknown;
  track?: boolean;
}

/** What the origin takes from the request itself, when the context does not say it. */
export interface EdgeFacts {
  /** Default: now. */
  now?: Date;
  /** The visitor's User-Agent: `device` when the context has none. */
  userAgent?: string;
  /** The visitor's country (a CDN's, e.g. `request.cf.country`): `geo.country` when the context has none. */
  country?: string;
}

/** A request the origin would refuse, with the status and issues it would answer. */
export class EdgeRequestError extends Error {
  readonly status: 400;
  readonly issues: Issue[];

  constructor(message: string, issues: Issue[]) {
    super(message);
    this.name = 'EdgeRequestError';
    this.status = 400;
    this.issues = issues;
  }
}

/**
 * Why only the origin can decide this request: the visitor's profile (profiles on, a consenting
 * visitor with an id), the first arm a reweighted bandit remembers for them, or a preview link
 * (signed with the origin's secret). null: the edge decides exactly as the origin would.
 */
export type OriginReason = 'profile' | 'remembered-arm' | 'preview';

interface EdgeExperiment extends ExperimentDefinition {
  remembersArms: boolean;
}

/** A snapshot with its rules compiled, made once per snapshot. */
interface Prepared {
  types: ReadonlyMap<string, SnapshotType>;
  personas: PersonaDefinition[];
  stages: StageDefinition[];
  variants: ReadonlyMap<string, VariantDefinition[]>;
  experiments: ReadonlyMap<string, EdgeExperiment[]>;
  holdout: HoldoutDefinition | undefined;
}

const prepared = new WeakMap<Snapshot, Prepared>();

const NO_READS: ReadonlySet<string> = new Set();

/**
 * A rule as the snapshot has it, compiled without validating it again: the origin validated every
 * rule it holds (and `reads`, what a response varies on, is the origin's concern). Whatever would
 * fail counts as false, as at the origin; the validator stays out of the edge bundle.
 */
const compiled = (rule: unknown): CompiledRule | null => {
  if (rule === null || rule === undefined) return null;
  let holds: (data: EvaluationData) => boolean;
  try {
    holds = compileCondition(rule);
  } catch {
    holds = () => false;
  }
  const evaluate = (data: EvaluationData) => {
    try {
      return holds(data);
    } catch {
      return false;
    }
  };
  return Object.assign(evaluate, { reads: NO_READS, logic: rule });
};

const entryKey = (uid: string, documentId: string | null) => `${uid}|${documentId ?? ''}`;

const prepare = (snapshot: Snapshot): Prepared => {
  const known = prepared.get(snapshot);
  if (known) return known;
  const types = new Map<string, SnapshotType>();
  for (const type of snapshot.types) {
    types.set(type.uid, type);
    types.set(type.name, type);
  }
  const variants = new Map<string, VariantDefinition[]>();
  for (const entry of snapshot.entries) {
    variants.set(
      `${entryKey(entry.targetUid, entry.targetDocumentId)}|${entry.locale}`,
      entry.variants.map((variant) => ({ ...variant, rule: compiled(variant.rule), overrides: {} }))
    );
  }
  const experiments = new Map<string, EdgeExperiment[]>();
  const toDefinition = (experiment: SnapshotExperiment): EdgeExperiment => ({
    ...experiment,
    documentId: experiment.key,
    audience: compiled(experiment.audience),
  });
  for (const experiment of snapshot.experiments) {
    const key = entryKey(experiment.targetUid, experiment.targetDocumentId);
    const list = experiments.get(key);
    if (list) list.push(toDefinition(experiment));
    else experiments.set(key, [toDefinition(experiment)]);
  }
  const ready: Prepared = {
    types,
    personas: snapshot.personas.map((persona) => ({ ...persona, rule: compiled(persona.rule) })),
    stages: snapshot.stages.map((stage) => ({ ...stage, rule: compiled(stage.rule) })),
    variants,
    experiments,
    holdout: snapshot.holdout ?? undefined,
  };
  prepared.set(snapshot, ready);
  return ready;
};

/** The request's entry, as the origin reads it; an EdgeRequestError where the origin answers 400. */
function targetOf(snapshot: Snapshot, ready: Prepared, request: EdgeDecideRequest) {
  const type = ready.types.get(request.targetUid);
  if (type === undefined) {
    throw new EdgeRequestError(`Unknown target content type "${request.targetUid}"`, [
      { path: 'targetUid', ...messageOf('target.unknownType') },
    ]);
  }
  let documentId: string | null = null;
  if (type.kind === 'collectionType') {
    if (!request.targetDocumentId) {
      throw new EdgeRequestError(
        `targetDocumentId is required for the collection type ${type.uid}`,
        [{ path: 'targetDocumentId', ...messageOf('target.documentIdRequired') }]
      );
    }
    documentId = request.targetDocumentId;
  }
  const locale =
    type.localized && request.locale !== undefined && request.locale !== '*'
      ? request.locale
      : snapshot.defaultLocale;
  const key = entryKey(type.uid, documentId);
  return {
    uid: type.uid,
    documentId,
    locale,
    variants: ready.variants.get(`${key}|${locale}`) ?? [],
    experiments: (ready.experiments.get(key) ?? []).filter(
      (experiment) => experiment.locale === null || experiment.locale === locale
    ),
  };
}

/** The request's context, validated as the origin validates it; null when there is none. */
function contextOf(request: EdgeDecideRequest): VisitorContext | null {
  if (request.context === undefined || request.context === null) return null;
  const parsed = parseVisitorContext(request.context);
  if (!parsed.ok) {
    throw new EdgeRequestError(
      `Invalid context: ${parsed.issues
        .slice(0, 3)
        .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
        .join('; ')}`,
      parsed.issues.map((issue) => ({ ...issue, path: joinPath('context', issue.path) }))
    );
  }
  return parsed.value;
}

const joinPath = (head: string, tail: string) => (tail === '' ? head : `${head}.${tail}`);

/** Why this request needs the origin (see OriginReason), or null. */
export const originReason = (snapshot: Snapshot, request: EdgeDecideRequest): OriginReason | null =>
  reasonFor(
    snapshot,
    contextOf(request),
    targetOf(snapshot, prepare(snapshot), request).experiments
  );

/** originReason of a parsed context and the entry's experiments. */
const reasonFor = (
  snapshot: Snapshot,
  context: VisitorContext | null,
  experiments: readonly EdgeExperiment[]
): OriginReason | null => {
  if (context === null) return null;
  if (context.preview !== undefined) return 'preview';
  if (context.visitorId === undefined) return null;
  if (snapshot.profiles && context.consent?.personalization === true) return 'profile';
  return experiments.some((experiment) => experiment.remembersArms) ? 'remembered-arm' : null;
};

/** An exposure to send to `POST /api/personalize/events`, as the origin would record it. */
export interface EdgeExposure {
  type: 'exposure';
  experiment: string;
  visitorId: string;
  timestamp: number;
}

/**
 * A decision to send to `POST /api/personalize/events`: the origin records the variant's reach
 * and, holdout on, the visitor's impact exposure, as it records its own decisions.
 */
export interface EdgeDecisionEvent {
  type: 'decision';
  visitorId: string;
  timestamp: number;
  target: { uid: string; documentId: string | null };
  locale: string;
  variant: string | null;
  /** The visitor's persona and stage; held out, those they would have had. */
  persona: string | null;
  stage: string | null;
}

/** What the edge sends to the events route for the decisions it made. */
export type EdgeEvent = EdgeExposure | EdgeDecisionEvent;

/**
 * The decision `POST /api/personalize/decide` answers in `data` for the same snapshot, and the
 * events that record what the origin would have recorded with it (an experiment's exposure, the
 * decision itself): none without a visitor id or with analytics refused. Throws an
 * EdgeRequestError where the origin answers 400. Where `originReason` is not null, only the
 * origin decides exactly.
 */
export const decideWithEvents = (
  snapshot: Snapshot,
  request: EdgeDecideRequest,
  facts: EdgeFacts = {}
): {
  data: DecisionResponse;
  events: EdgeEvent[];
  /** As `originReason` says, from the context parsed once. */
  originReason: OriginReason | null;
} => {
  const ready = prepare(snapshot);
  const target = targetOf(snapshot, ready, request);
  const { variants, experiments } = target;
  const context = contextOf(request);
  const now = facts.now ?? new Date();
  const data =
    context === null
      ? null
      : evaluationData(context, { now, userAgent: facts.userAgent, country: facts.country });
  const decision = decideWithoutTrace({
    personas: ready.personas,
    stages: ready.stages,
    variants,
    experiments,
    evaluationData: data,
    holdout: ready.holdout,
  });
  const { persona, stage, variant, reason, warnings, experiment } = decision;
  const origin = reasonFor(snapshot, context, experiments);
  const visitorId = data?.visitorId;
  const events: EdgeEvent[] = [];
  // What delivery.ts `decideFor` records: nothing for a preview, nor without consent to analytics.
  if (
    typeof visitorId === 'string' &&
    data !== null &&
    !refusesAnalytics(data) &&
    origin !== 'preview'
  ) {
    const timestamp = now.getTime();
    if (
      experiment &&
      snapshot.recordsExposures &&
      experiments.some((item) => item.key === experiment.key && item.status === 'running')
    ) {
      events.push({ type: 'exposure', experiment: experiment.key, visitorId, timestamp });
    }
    const { reach, impact } = decisionRecords(decision, ready.holdout, variants.length > 0);
    if (reach !== null || impact !== null) {
      const classified = impact ?? decision;
      events.push({
        type: 'decision',
        visitorId,
        timestamp,
        target: { uid: target.uid, documentId: target.documentId },
        locale: target.locale,
        variant: reach,
        persona: classified.persona,
        stage: classified.stage,
      });
    }
  }
  return {
    data: {
      persona,
      stage,
      variant: variant ? { documentId: variant.documentId, name: variant.name } : null,
      reason,
      segment: segmentOf([variant?.documentId ?? null]),
      warnings,
      ...(experiment ? { experiment: { key: experiment.key, arm: experiment.arm } } : {}),
    },
    events,
    originReason: origin,
  };
};

/** The decision `POST /api/personalize/decide` answers in `data`, for the same snapshot. */
export const decide = (
  snapshot: Snapshot,
  request: EdgeDecideRequest,
  facts?: EdgeFacts
): DecisionResponse => decideWithEvents(snapshot, request, facts).data;
