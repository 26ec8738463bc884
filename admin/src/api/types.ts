/** Shapes returned by the plugin's admin API (`/personalize/...`). */

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

export interface Experiment extends DocumentFields {
  name: string;
  key: string;
  targetUid: string;
  targetDocumentId: string | null;
  status: ExperimentStatus;
  goal: string;
  trafficAllocation: number;
  startedAt: string | null;
  endedAt: string | null;
  winner: string | null;
}

export interface Lists {
  personas: Persona;
  stages: JourneyStage;
  variants: Variant;
  experiments: Experiment;
}

export interface ListResponse<Item> {
  data: Item[];
  meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } };
}
