import { z } from 'zod';

import { locale, targetUid } from './common';

/**
 * How the admin names a target entry, as the Content Manager does: its content type's display
 * name and the entry's title (the field the type's configuration shows as the title, its
 * `mainField`). The title is null when the role may not read it, or the entry has none.
 */
export const targetSummarySchema = z.strictObject({
  contentType: z.string(),
  title: z.string().nullable(),
});
export type TargetSummary = z.infer<typeof targetSummarySchema>;

/**
 * `GET /personalize/target-summary`: one entry, named as the variant and experiment lists name
 * theirs (for an experiment not created yet). No locale: the default locale's version.
 */
export const targetSummaryQuerySchema = z.strictObject({
  targetUid,
  targetDocumentId: z.string().min(1).max(64).optional(),
  locale: locale.optional(),
});
