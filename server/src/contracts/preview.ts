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

/** At most 30 days: a preview link is for a review, not a permanent door. */
export const MAX_PREVIEW_LINK_HOURS = 720;

const previewSlug = z.string().min(1).max(128);

/**
 * `POST /personalize/preview-links`: a signed, expiring token that forces a persona, a stage
 * and/or an experiment arm (`arm` needs `experiment`, the experiment's key). Frontends send it
 * as `context.preview`; the demo storefront and the client read `?personalize_preview=`.
 */
export const previewLinkBodySchema = z.strictObject({
  persona: previewSlug.optional(),
  stage: previewSlug.optional(),
  experiment: previewSlug.optional(),
  arm: previewSlug.optional(),
  /** Default: the `previewLinkHours` option (7 days). */
  expiresInHours: z.number().int().min(1).max(MAX_PREVIEW_LINK_HOURS).optional(),
});
export type PreviewLinkRequest = z.input<typeof previewLinkBodySchema>;

export const previewLinkSchema = z.strictObject({
  token: z.string(),
  expiresAt: z.string(),
  /** The app's frontend with the token (`previewUrl` option filled in), or null without one. */
  url: z.string().nullable(),
});
export type PreviewLink = z.infer<typeof previewLinkSchema>;
