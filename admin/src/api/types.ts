/** Shapes returned by the plugin's admin API (`/personalize/...`). */

// The engine's own type: why one variant was or was not picked (type-only, erased in the build).
import type {
  ArmResult,
  ArmSources,
  ExperimentArm,
  SourceSpread,
  VariantTrace,
} from '../../../server/src/engine/types';

export type { ArmResult, ArmSources, SourceSpread };

export type JsonLogicRule = Record<string, unknown> | boolean | null;

interface DocumentFields {
  id: number;
  documentId: string;
  createdAt: string;
  updatedAt: string;
}

export interface Persona extends DocumentFields {
  name: string;
  slug: string;
  description: string | null;
  rule: JsonLogicRule;
  priority: number;
  sampleContext: Record<string, unknown> | null;
}

export interface JourneyStage extends DocumentFields {
  name: string;
  slug: string;
  description: string | null;
  order: number;
  rule: JsonLogicRule;
  sampleContext: Record<string, unknown> | null;
}

export interface Variant extends DocumentFields {
  name: string;
  targetUid: string;
  targetDocumentId: string | null;
  locale: string;
  /** Persona slug, or null for every persona. */
  persona: string | null;
  /** Journey stage slug, or null for every stage. */
  stage: string | null;
  rule: JsonLogicRule;
  priority: number;
  overrides: Record<string, unknown>;
  baseUpdatedAt: string | null;
  status: 'draft' | 'published' | 'modified';
  publishedAt: string | null;
}

export type ExperimentStatus = 'draft' | 'running' | 'paused' | 'completed';

/** An arm: the base entry (`variant: null`) or a variant documentId of the same entry. */
export type Arm = ExperimentArm;

export interface Experiment extends DocumentFields {
  name: string;
  key: string;
  targetUid: string;
  targetDocumentId: string | null;
  locale: string | null;
  status: ExperimentStatus;
  arms: Arm[];
  goal: string;
  trafficAllocation: number;
  audience: JsonLogicRule;
  seed: string;
  startedAt: string | null;
  endedAt: string | null;
  winner: string | null;
}

export interface ExperimentListItem extends Experiment {
  totalVisitors: number;
  leadingArm: string | null;
}

export interface DailyCounts {
  date: string;
  arm: string;
  visitors: number;
  conversions: number;
}

/** Which conversions results count: all, or only those sent with an API token (a backend). */
export type ConversionFilter = 'all' | 'trusted';

export interface ExperimentResults {
  arms: ArmResult[];
  srm: { pValue: number | null; mismatch: boolean };
  totalVisitors: number;
  startedAt: string | null;
  endedAt: string | null;
  sequential: boolean;
  daily: DailyCounts[];
  integrity: {
    conversionsCounted: ConversionFilter;
    /** Exposures not recorded because their address was over its event budget. */
    withheldExposures: number;
    arms: ArmSources[];
  };
}

export interface SampleSize {
  visitorsPerArm: number;
  baselineRate: number;
  minimumDetectableEffect: number;
  alpha: number;
  power: number;
}

/** What `POST /experiments/:documentId/promote` wrote: the base entry's draft to review. */
export interface Promotion {
  targetUid: string;
  documentId: string | null;
  locale: string;
  attributes: string[];
}

/** An entry of a collection type, for choosing an experiment's target. */
export interface EntrySummary {
  documentId: string;
  title: string;
}

export interface AppLocale {
  code: string;
  name: string;
  isDefault: boolean;
}

export interface Lists {
  personas: Persona;
  stages: JourneyStage;
  variants: Variant;
  experiments: ExperimentListItem;
}

export interface ListResponse<Item> {
  data: Item[];
  meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } };
}

export interface VariantWithFlags extends Variant {
  /** The base entry was saved after this variant's overrides. */
  drift: boolean;
  /** The variant that always wins over this one, so this one is never served. */
  shadowedBy: { documentId: string; name: string } | null;
}

export interface AttributeSettings {
  name: string;
  type: string;
  overridable: boolean;
  reason: string | null;
  required: boolean;
  enum?: string[];
  multiple?: boolean;
  allowedTypes?: string[] | null;
}

export interface ContentTypeSettings {
  uid: string;
  kind: 'collectionType' | 'singleType';
  displayName: string;
  localized: boolean;
  enabled: boolean;
  attributes: AttributeSettings[];
}

export interface RuleCheck {
  valid: boolean;
  errors: { path: string; message: string }[];
  result?: boolean;
}

export interface Personalization {
  persona: string | null;
  personaSource: string | null;
  stage: string | null;
  stageSource: string | null;
  variant: { documentId: string; name: string } | null;
  reason: string;
  segment: string;
  warnings: string[];
  trace?: VariantTrace[];
}

export interface PreviewResponse {
  data: Record<string, unknown>;
  meta: { personalization: Personalization };
}
