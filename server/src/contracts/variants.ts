import { z } from 'zod';

import {
  jsonLogicRuleSchema,
  listResponseSchema,
  listQueryFields,
  locale,
  messageSchema,
  targetDocumentId,
  targetUid,
  name,
} from './common';
import { targetSummarySchema } from './targets';

/** Variants: `/personalize/variants`. */

const slugOrNull = z.string().min(1).max(120).nullable().optional();

export const variantBodySchema = z.strictObject({
  name,
  targetUid,
  targetDocumentId,
  locale: locale.optional(),
  persona: slugOrNull,
  stage: slugOrNull,
  rule: z.unknown().optional(),
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  overrides: z.unknown(),
});

/** What `PUT` may change: the target and locale of a variant are fixed once created. */
export const variantUpdateBodySchema = variantBodySchema
  .omit({ targetUid: true, targetDocumentId: true, locale: true })
  .partial();

/**
 * `POST /variants/:documentId/duplicate`: a draft copy of a variant on the same entry, in the
 * variant's locale or (`locale`) in another locale of the entry; `name` defaults to the
 * original's.
 */
export const variantDuplicateBodySchema = z.strictObject({
  locale: locale.optional(),
  name: name.optional(),
});

export const variantListQuerySchema = z.strictObject({
  targetUid: z.string().max(256).optional(),
  targetDocumentId: z.string().max(64).optional(),
  locale: z.string().max(35).optional(),
  ...listQueryFields(
    ['targetUid', 'persona', 'stage', 'status'],
    ['name', 'locale', 'persona', 'stage', 'priority']
  ),
});
export type VariantListQuery = z.input<typeof variantListQuerySchema>;

/**
 * `GET /variants/counts`: how many variants each of these entries of a collection type has in a
 * locale (the default locale when omitted or when the type is not localized).
 */
export const variantCountsQuerySchema = z.strictObject({
  targetUid,
  locale: locale.optional(),
  documentIds: z.array(z.string().min(1).max(64)).min(1).max(100),
});

/** `GET /personalize/variants/reach`: how many visitors these variants reached. */
export const variantReachQuerySchema = z.strictObject({
  targetUid,
  documentIds: z.array(z.string().min(1).max(64)).min(1).max(100),
});

/** Days variant reach counts back (today included). */
export const REACH_DAYS = 30;

/**
 * Variant documentId → distinct visitors (with a visitor id) it was served to in the last 30
 * days; variants the role may not read, or not of `targetUid`, are left out.
 */
export const variantReachSchema = z.record(z.string(), z.number().int());
export type VariantReach = z.infer<typeof variantReachSchema>;

/** Entry documentId → its number of variants; entries without variants are left out. */
export const variantCountsSchema = z.record(z.string(), z.number().int());
export type VariantCounts = z.infer<typeof variantCountsSchema>;

/** Draft only; published as saved; or published with later draft changes. */
export const variantStatusSchema = z.enum(['draft', 'published', 'modified']);
export type VariantStatus = z.infer<typeof variantStatusSchema>;

/**
 * A variant as the admin API returns it: slugs for persona and stage, its status, `drift` when
 * the base entry was saved after the variant's overrides, and `shadowedBy` when it is unreachable.
 */
export const variantSchema = z.strictObject({
  documentId: z.string(),
  name: z.string(),
  targetUid: z.string(),
  targetDocumentId: z.string().nullable(),
  locale: z.string(),
  /** Persona slug, or null for every persona. */
  persona: z.string().nullable(),
  /** Journey stage slug, or null for every stage. */
  stage: z.string().nullable(),
  /** What editors call the persona and the stage: their names. */
  personaName: z.string().nullable(),
  stageName: z.string().nullable(),
  priority: z.number().int(),
  rule: jsonLogicRuleSchema,
  /** Attribute name → value, only those the role may read. */
  overrides: z.record(z.string(), z.unknown()),
  baseUpdatedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: variantStatusSchema,
  publishedAt: z.string().nullable(),
  /** The base entry was saved after this variant's overrides. */
  drift: z.boolean(),
  /** The variant that always wins over this one, so this one is never served. */
  shadowedBy: z.strictObject({ documentId: z.string(), name: z.string() }).nullable(),
});
export type Variant = z.infer<typeof variantSchema>;

/** A variant in the list: with its entry named as the Content Manager names it. */
export const variantListItemSchema = variantSchema.extend({ target: targetSummarySchema });
export type VariantListItem = z.infer<typeof variantListItemSchema>;

export const variantListSchema = listResponseSchema(variantListItemSchema);

/** An override of the original that the copy leaves out, because its target refuses it now. */
export const leftOutOverrideSchema = messageSchema.extend({ attribute: z.string() });
export type LeftOutOverride = z.infer<typeof leftOutOverrideSchema>;

/** The answer of a duplicate: the new draft, and the overrides it could not take along. */
export const variantDuplicateResponseSchema = z.strictObject({
  data: variantSchema,
  meta: z.strictObject({ leftOut: z.array(leftOutOverrideSchema) }),
});
export type VariantDuplicateResponse = z.infer<typeof variantDuplicateResponseSchema>;
