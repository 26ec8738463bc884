import { z } from 'zod';

import { visitorContextSchema } from '../engine/context';
import { MESSAGES } from '../engine/messages';
import { documentFields, jsonLogicRuleSchema, listResponseSchema, name } from './common';
import { experimentStatusSchema } from './experiments';
import { targetSummarySchema } from './targets';
import { variantStatusSchema } from './variants';

/** Personas and journey stages: `/personalize/personas`, `/personalize/stages`. */

const slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, MESSAGES['field.slug']);

const classificationBodyFields = {
  name,
  slug: slug.optional(),
  description: z.string().max(2_000).nullable().optional(),
  rule: z.unknown().optional(),
  sampleContext: z.nullable(visitorContextSchema).optional(),
};

/** Request bodies of `POST`; `PUT` takes any subset. */
export const personaBodySchema = z.strictObject({
  ...classificationBodyFields,
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});

export const stageBodySchema = z.strictObject({
  ...classificationBodyFields,
  order: z.number().int().min(1).max(1_000_000),
});

/** `PUT /personalize/stages/order`: every stage, in their new order. */
export const stageOrderBodySchema = z.strictObject({
  documentIds: z.array(z.string().min(1).max(64)).max(1_000),
});

const classificationFields = {
  ...documentFields,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  rule: jsonLogicRuleSchema,
  sampleContext: z.record(z.string(), z.unknown()).nullable(),
};

export const personaSchema = z.object({
  ...classificationFields,
  priority: z.number().int(),
});
export type Persona = z.infer<typeof personaSchema>;

export const journeyStageSchema = z.object({
  ...classificationFields,
  /** Position along the journey, 1 = first. */
  order: z.number().int(),
});
export type JourneyStage = z.infer<typeof journeyStageSchema>;

export const personaListSchema = listResponseSchema(personaSchema);
export const journeyStageListSchema = listResponseSchema(journeyStageSchema);

/**
 * `GET /personalize/personas/:documentId/usage`, `GET /personalize/stages/:documentId/usage`:
 * the variants that target it (every locale version, draft or published) and the experiments
 * whose arms are such variants, of entries the role may read; the others only counted.
 */
export const classificationUsageSchema = z.strictObject({
  variants: z.array(
    z.strictObject({
      documentId: z.string(),
      name: z.string(),
      locale: z.string(),
      status: variantStatusSchema,
      targetUid: z.string(),
      /** null for a single type. */
      targetDocumentId: z.string().nullable(),
      target: targetSummarySchema,
    })
  ),
  experiments: z.array(
    z.strictObject({ documentId: z.string(), name: z.string(), status: experimentStatusSchema })
  ),
  /** What targets it on entries the role may not read: counted, never shown. */
  hidden: z.strictObject({ variants: z.number().int(), experiments: z.number().int() }),
});
export type ClassificationUsage = z.infer<typeof classificationUsageSchema>;
