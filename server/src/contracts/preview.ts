import { z } from 'zod';

import type { VariantTrace } from '../engine/types';
import { locale, targetDocumentId, targetUid } from './common';
import { personalizationSchema, visitorContextSchema } from './delivery';
import { profileFactsSchema } from './profiles';

/** `POST /personalize/preview`: what a visitor would get, for editors, with a trace. */

export const previewBodySchema = z.strictObject({
  targetUid,
  targetDocumentId,
  locale: locale.optional(),
  context: z.unknown().optional(),
  status: z.enum(['draft', 'published']).default('published'),
});
export type PreviewRequest = z.input<typeof previewBodySchema>;

/** The delivery's `meta.personalization`, with why each variant was or was not picked. */
export const previewPersonalizationSchema = personalizationSchema.extend({
  trace: z.array(z.custom<VariantTrace>()).optional(),
});
export type PreviewPersonalization = z.infer<typeof previewPersonalizationSchema>;

export const previewResponseSchema = z.strictObject({
  /** The entry with the variant merged in, only the fields the role may read. */
  data: z.record(z.string(), z.unknown()),
  meta: z.strictObject({
    personalization: previewPersonalizationSchema,
    /** The attributes of `data` the variant replaced. */
    overridden: z.array(z.string()),
    /** The app's frontend as this visitor (the `previewUrl` option filled in), or null. */
    previewUrl: z.string().nullable(),
  }),
});
export type PreviewResponse = z.infer<typeof previewResponseSchema>;

/** `GET /personalize/profiles/:visitorId` (admin): the profile, and the decision it yields now. */
export const profileLookupSchema = z.strictObject({
  data: z.strictObject({
    profile: profileFactsSchema.nullable(),
    /** The context the decision was made for: the visitor id, consent, and what the profile added. */
    context: visitorContextSchema,
    persona: z.string().nullable(),
    stage: z.string().nullable(),
    stageSource: z.string().nullable(),
    /** With a target: `meta.personalization` as the preview has it (variant, reason, trace). */
    decision: previewPersonalizationSchema.nullable(),
  }),
  meta: z.strictObject({}),
});
export type ProfileLookup = z.infer<typeof profileLookupSchema>;
