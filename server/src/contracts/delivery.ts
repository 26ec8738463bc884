import { z } from 'zod';

import { MAX_CONTEXT_BYTES, visitorContextSchema } from '../engine/context';
import { REASONS, SOURCES } from '../engine/reasons';
import { locale, targetDocumentId, targetUid } from './common';
import { profileUseSchema } from './profiles';

export { visitorContextSchema, type VisitorContext } from '../engine/context';

/**
 * The delivery of the Content API: `GET /api/personalize/content/...` and
 * `POST /api/personalize/decide` (docs/openapi.json).
 */

/** A documentId in a query: Strapi makes 24 lowercase letters and digits; never `:` or `,`. */
const DOCUMENT_ID = '[A-Za-z0-9_-]{1,64}';
const PAIR = `${DOCUMENT_ID}:${DOCUMENT_ID}`;

/** The most `entry:variant` pairs of one `?variants=` (core REST's largest page by default). */
export const MAX_VARIANT_PAIRS = 100;

/**
 * The content of published variants, the same for every visitor (docs/frontend.md, "Cacheable
 * content per variant"): `variant` names the variant of one entry or of a single type,
 * `variants` those of a list's entries as `<entryDocumentId>:<variantDocumentId>` pairs
 * separated by commas. Neither goes with a visitor context.
 */
export const variantQueryFields = {
  variant: z
    .string()
    .regex(new RegExp(`^${DOCUMENT_ID}$`), 'expected a variant documentId')
    .optional(),
  variants: z
    .string()
    .max(MAX_VARIANT_PAIRS * 130)
    .regex(
      new RegExp(`^${PAIR}(,${PAIR})*$`),
      'expected <entryDocumentId>:<variantDocumentId> pairs separated by commas'
    )
    .refine(
      (value) => value.split(',').length <= MAX_VARIANT_PAIRS,
      `at most ${MAX_VARIANT_PAIRS} pairs`
    )
    .optional(),
};

/** Declared so that `rest.strictParams` accepts the delivery's own query parameters. */
export const contextQueryFields = {
  context: z.string().max(MAX_CONTEXT_BYTES).optional(),
  /** `false`: decide without recording a page view in the visitor's profile (a prefetch). */
  track: z.enum(['true', 'false']).optional(),
  ...variantQueryFields,
};

/**
 * The body of a read's POST form (`POST /api/personalize/content/...`): the visitor context, for
 * a context too large for a URL (Node refuses more than 16 KB of URL and headers). The read's
 * other parameters stay in the query. The context is left to utils/visitor-context.ts.
 */
export const readBodySchema = z.strictObject({
  context: z.unknown().optional(),
  track: z.boolean().optional(),
});

/** A read's POST body as a client sends it. */
export const readRequestSchema = readBodySchema.extend({
  context: z.optional(visitorContextSchema),
});
export type ReadRequest = z.infer<typeof readRequestSchema>;

/**
 * `POST /api/personalize/decide` as the server parses it: the context is left to
 * utils/visitor-context.ts, which bounds its size before parsing it.
 */
export const decideBodySchema = z.strictObject({
  targetUid,
  targetDocumentId,
  locale: locale.optional(),
  context: z.unknown().optional(),
  /** `false`: decide without recording a page view in the visitor's profile (a prefetch). */
  track: z.boolean().optional(),
});

/** `POST /api/personalize/decide` as a client sends it. */
export const decideRequestSchema = decideBodySchema.extend({
  context: z.optional(visitorContextSchema),
});
/** The validated request, which a client may send as is (its traits typed, unlike zod's input). */
export type DecideRequest = z.infer<typeof decideRequestSchema>;

/**
 * The arguments of GraphQL's `personalizeDecide` (graphql/schema.ts): the same request as
 * `POST /api/personalize/decide`, named as GraphQL names an entry; the context is left to
 * utils/visitor-context.ts.
 */
export const graphqlDecideArgsSchema = z.strictObject({
  targetUid,
  documentId: targetDocumentId,
  locale: locale.nullish(),
  context: z.unknown().optional(),
});

export const reasonSchema = z.enum(REASONS);
const sourceSchema = z.enum(SOURCES).nullable();

/** The variant served, or null for the base entry. */
export const variantRefSchema = z
  .strictObject({ documentId: z.string(), name: z.string() })
  .nullable();

/** Names what a response contains: `base`, or a hash of the variants served. */
export const segmentSchema = z.string().regex(/^(base|s[0-9a-f]+)$/);

/** `meta.personalization` of a delivery response: who the visitor is and what they got. */
export const personalizationSchema = z.strictObject({
  persona: z.string().nullable(),
  personaSource: sourceSchema,
  stage: z.string().nullable(),
  stageSource: sourceSchema,
  variant: variantRefSchema,
  reason: reasonSchema,
  segment: segmentSchema,
  warnings: z.array(z.string()),
  /** Present only when a running or completed experiment decided the content. */
  experiment: z.strictObject({ key: z.string(), arm: z.string() }).optional(),
  /** Present only when the visitor's profile completed the context: the facts it used. */
  profile: profileUseSchema.optional(),
});
export type Personalization = z.infer<typeof personalizationSchema>;

/** `data` of `POST /api/personalize/decide`: the decision without the content. */
export const decisionSchema = personalizationSchema.omit({
  personaSource: true,
  stageSource: true,
});
export type DecisionResponse = z.infer<typeof decisionSchema>;

export const decideResponseSchema = z.strictObject({ data: decisionSchema });

/**
 * `meta.pagination` of a list, as core REST answers it: by page (`page`, `pageSize`, `pageCount`)
 * or by offset (`start`, `limit`), with the `total`. Open: an app's controller may add to it.
 */
export const contentPaginationSchema = z.looseObject({
  page: z.number().int().optional(),
  pageSize: z.number().int().optional(),
  pageCount: z.number().int().optional(),
  total: z.number().int().optional(),
  start: z.number().int().optional(),
  limit: z.number().int().optional(),
});
export type ContentPagination = z.infer<typeof contentPaginationSchema>;
