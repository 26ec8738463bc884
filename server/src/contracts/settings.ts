import { z } from 'zod';

import { messageSchema } from './common';

/** Settings → Personalize: `GET|PUT /personalize/settings`, which content types have variants. */

export const settingsBodySchema = z.strictObject({
  enabledContentTypes: z.array(z.string().min(1).max(256)).max(1_000),
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

export const settingsSchema = z.strictObject({ contentTypes: z.array(contentTypeSettingsSchema) });
export type Settings = z.infer<typeof settingsSchema>;
