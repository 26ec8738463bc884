import type { VariantStatus } from '../contracts';
import type { Rule } from '../engine/types';

/** A variant as the document service returns it with `VARIANT_POPULATE`. */
export interface VariantRow {
  id: number;
  documentId: string;
  name: string;
  targetUid: string;
  targetDocumentId: string | null;
  locale: string;
  rule: Rule;
  priority: number | null;
  overrides: Record<string, unknown> | null;
  baseUpdatedAt: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  persona?: { slug: string; name: string } | null;
  stage?: { slug: string; name: string } | null;
}

/** Persona and stage are referred to by slug everywhere outside the database; editors read names. */
export const VARIANT_POPULATE = {
  persona: { fields: ['slug', 'name'] },
  stage: { fields: ['slug', 'name'] },
};

/** The targeting fields of a variant row, shared by the admin API and the registry. */
export const variantTargeting = (row: VariantRow) => ({
  documentId: row.documentId,
  name: row.name,
  targetUid: row.targetUid,
  targetDocumentId: row.targetDocumentId ?? null,
  locale: row.locale,
  persona: row.persona?.slug ?? null,
  stage: row.stage?.slug ?? null,
  priority: row.priority ?? 0,
});

/** Whether timestamp `a` is after `b`; false when either is unknown. */
export const isLater = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && new Date(a).getTime() > new Date(b).getTime());

/** A variant's status from its draft and its published version (none: never published). */
export const variantStatus = (
  draft: { updatedAt: string },
  published: { updatedAt: string } | undefined
): VariantStatus =>
  !published ? 'draft' : isLater(draft.updatedAt, published.updatedAt) ? 'modified' : 'published';
