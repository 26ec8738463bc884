/**
 * Shared types of the resolution engine. The engine is pure TypeScript: nothing in `engine/`
 * imports Strapi, so the same code can run at an edge or in a browser.
 */
import type { IssueMessage, MessageValues } from './messages';
import type { Reason, Source, TraceCode } from './reasons';

/** A JSON-logic rule as stored on personas, stages and variants (validated on save). */
export type Rule = unknown;

/** One problem of an input (a rule or a context), `path` pointing at the offending node (e.g. `and.1.var`). */
export interface Issue extends IssueMessage {
  path: string;
}

/** The data a compiled rule is evaluated against: the visitor context plus server facts. */
export type EvaluationData = Readonly<Record<string, unknown>>;

/**
 * A validated rule turned into a function that never throws (an error counts as false), with
 * the context fields it may read (`*`: all of them): what a response decided by it varies on.
 */
export interface CompiledRule {
  (evaluationData: EvaluationData): boolean;
  readonly reads: ReadonlySet<string>;
  /** The validated rule it was compiled from: a private, deep-frozen copy (e.g. to serialize). */
  readonly logic: Rule;
}

export interface PersonaDefinition {
  slug: string;
  name: string;
  priority: number;
  rule: CompiledRule | null;
}

export interface StageDefinition {
  slug: string;
  name: string;
  /** Position along the journey, 1 = first. */
  order: number;
  rule: CompiledRule | null;
}

export interface VariantDefinition {
  documentId: string;
  name: string;
  /** Persona slug, or null for every persona. */
  persona: string | null;
  /** Stage slug, or null for every stage. */
  stage: string | null;
  rule: CompiledRule | null;
  priority: number;
  /** ISO timestamp; the last tie-breaker of the pick order. */
  createdAt: string;
  /** Attribute name of the target type → replacement value, already shaped for output. */
  overrides: Readonly<Record<string, unknown>>;
}

export type { Reason, Source } from './reasons';

/** Why one variant was or was not picked (the preview's trace). */
export interface VariantTrace {
  documentId: string;
  name: string;
  persona: string | null;
  stage: string | null;
  personaMatched: boolean;
  stageMatched: boolean;
  /** null when the variant has no rule. */
  ruleMatched: boolean | null;
  candidate: boolean;
  picked: boolean;
  /** One sentence for editors, e.g. `persona "fleet" required, visitor is "family"`. */
  note: string;
  /** The same by code and values (engine/reasons.ts TRACE_MESSAGES), for the admin to translate. */
  why: TraceNote[];
}

/** One reason of a trace entry's note. */
export interface TraceNote {
  code: TraceCode;
  values?: MessageValues;
}

export interface Decision<Variant extends VariantDefinition = VariantDefinition> {
  persona: string | null;
  personaSource: Source | null;
  stage: string | null;
  stageSource: Source | null;
  variant: Variant | null;
  reason: Reason;
  warnings: string[];
  /** Present only when an experiment decided the content (docs/architecture.md §5 step 6). */
  experiment?: { key: string; arm: string };
  /** Present only when asked for (preview). */
  trace?: VariantTrace[];
  /**
   * Held-out visitors only: the persona and stage they would have had, so the impact report can
   * compare like with like. Never served.
   */
  wouldBe?: { persona: string | null; stage: string | null };
}

/**
 * What a verified preview link forces (POST /personalize/preview-links): a persona and a stage
 * as if the context named them, and an experiment's arm (or the visitor's own arm when only the
 * experiment is named).
 */
export interface PreviewForce {
  persona?: string;
  stage?: string;
  experiment?: string;
  arm?: string;
}

/** One arm of an experiment: the base entry (`variant: null`) or one of its variants. */
export interface ExperimentArm {
  key: string;
  variant: string | null;
  /** Normalized: the arms' weights sum to 1. */
  weight: number;
}

/** An arm's counts, as the statistics take them. */
export interface ArmCounts extends ExperimentArm {
  visitors: number;
  conversions: number;
}

export interface ArmResult extends ArmCounts {
  /** conversions / visitors; null without visitors. */
  rate: number | null;
  /** The arm's own 95 % interval of its rate (normal approximation, within 0–1); null without visitors. */
  rateLow: number | null;
  rateHigh: number | null;
  /** Comparison fields: null on control's own row and whenever undefined. */
  uplift: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  pValueSequential: number | null;
  chanceToBeatControl: number | null;
  significant: boolean;
  /** Bandits only: the chance this arm converts best, by Thompson sampling. */
  probabilityBest?: number;
}

/** How one arm's events (from client addresses) spread over the sources that sent them. */
export interface SourceSpread {
  /** Events with a known source. */
  events: number;
  sources: number;
  /** The share of the events from the top 1 % of sources (at least one source); null without events. */
  top1PercentShare: number | null;
  /** The share, and the count, of the events from the single largest source. */
  topSourceShare: number | null;
  topSourceEvents: number;
  /** One source sent so large a share of them that no visitor population explains it. */
  dominated: boolean;
}

/** The most unlikely minute of an arm's conversions, when it is a burst. */
export interface Burst {
  /** The minute (ms since the epoch, UTC). */
  minute: number;
  conversions: number;
  /** Conversions a minute of that hour averaged. */
  expected: number;
  pValue: number;
}

/** Where one arm's events came from, as the results report it. */
export interface ArmSources {
  key: string;
  exposures: SourceSpread;
  conversions: SourceSpread;
  burst: Burst | null;
}
