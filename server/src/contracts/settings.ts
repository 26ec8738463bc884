import { z } from 'zod';

import { messageSchema } from './common';

/**
 * Settings → Personalize: `GET|PUT /personalize/settings`, which content types have variants and
 * the global holdout.
 */

/** The most visitors the holdout may keep from personalization: 20 %. */
export const MAX_HOLDOUT_SHARE = 0.2;

/**
 * The global holdout: `share` of the visitors with a visitor id (0–0.2; 0 = off) get the base
 * content everywhere, drawn by `seed` (a new seed draws a new holdout).
 */
export const holdoutSchema = z.strictObject({
  share: z.number().min(0).max(MAX_HOLDOUT_SHARE),
  seed: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});
export type Holdout = z.infer<typeof holdoutSchema>;

export const settingsBodySchema = z.strictObject({
  enabledContentTypes: z.array(z.string().min(1).max(256)).max(1_000).optional(),
  /** Without `seed`, the stored one is kept (one is generated the first time). */
  holdout: holdoutSchema.partial({ seed: true }).optional(),
});

/** An attribute of a target type, and whether a variant may override it for this role. */
export const attributeSettingsSchema = z.strictObject({
  name: z.string(),
  type: z.string(),
  overridable: z.boolean(),
  /** Why it may not be overridden; null when it may. */
  reason: messageSchema.nullable(),
  required: z.boolean(),
  /** What the variant editor needs to draw the right input. */
  enum: z.array(z.string()).optional(),
  multiple: z.boolean().optional(),
  allowedTypes: z.array(z.string()).nullable().optional(),
});
export type AttributeSettings = z.infer<typeof attributeSettingsSchema>;

export const contentTypeSettingsSchema = z.strictObject({
  uid: z.string(),
  kind: z.enum(['collectionType', 'singleType']),
  displayName: z.string(),
  localized: z.boolean(),
  enabled: z.boolean(),
  attributes: z.array(attributeSettingsSchema),
});
export type ContentTypeSettings = z.infer<typeof contentTypeSettingsSchema>;

export const settingsSchema = z.strictObject({
  contentTypes: z.array(contentTypeSettingsSchema),
  holdout: holdoutSchema,
});
export type Settings = z.infer<typeof settingsSchema>;
