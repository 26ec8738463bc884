import type { TargetSummary } from '../api/types';

/** The fields of a variant or an experiment that name its entry. */
export interface TargetFields {
  targetUid: string;
  /** null for a single type. */
  targetDocumentId: string | null;
}

/**
 * The entry of a variant or an experiment in one locale (null: every locale), alone: as a
 * query's argument, so that its cache key does not change with the rest of the document.
 */
export const targetOf = ({
  targetUid,
  targetDocumentId,
  locale,
}: TargetFields & { locale: string | null }) => ({ targetUid, targetDocumentId, locale });

/** The list filter for the variants or experiments of one entry, in every locale. */
export const entryFilter = ({ targetUid, targetDocumentId }: TargetFields) => ({
  targetUid,
  ...(targetDocumentId ? { targetDocumentId } : {}),
});

/** An entry as a page's header names it: its title when readable, and its content type. */
export const describeTarget = ({ contentType, title }: TargetSummary) =>
  title === null ? contentType : `${title} (${contentType})`;
