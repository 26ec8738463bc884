/** What the delivery API takes and answers, as the client sees it. */

export interface VisitorContext {
  visitorId?: string;
  persona?: string;
  stage?: string;
  visits?: number;
  pageViews?: number;
  events?: string[];
  referrer?: string;
  searchTerm?: string;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
  geo?: { country?: string; region?: string; city?: string };
  device?: 'mobile' | 'tablet' | 'desktop' | 'other';
  locale?: string;
  weather?: string;
  traits?: Record<string, string | number | boolean | string[]>;
  consent?: { personalization?: boolean; analytics?: boolean };
}

/** `meta.personalization` of a delivery response: who the visitor is and what they got. */
export interface Personalization {
  persona: string | null;
  personaSource: 'explicit' | 'rule' | null;
  stage: string | null;
  stageSource: 'explicit' | 'rule' | null;
  variant: { documentId: string; name: string } | null;
  reason: string;
  segment: string;
  warnings: string[];
  experiment?: { key: string; arm: string };
}

export type Query = Record<string, unknown>;

export interface ReadOptions extends Query {
  context?: VisitorContext;
  locale?: string;
  populate?: unknown;
  fields?: unknown;
}

export interface TrackedEvent {
  type: 'exposure' | 'conversion';
  visitorId: string;
  experiment?: string;
  goal?: string;
  timestamp?: number | string;
  /** Set by the client when absent: a retry sends the same id. */
  id?: string;
}

export interface TrackResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}
