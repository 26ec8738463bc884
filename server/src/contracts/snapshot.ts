import { z } from 'zod';

/**
 * `GET /api/personalize/snapshot` (docs/edge.md): everything a decision needs and nothing more,
 * for `strapi-plugin-personalize/edge` to decide where the visitor is. Rules are marketing
 * segments: only an API token with `plugin::personalize.snapshot.read` may read it.
 */

/** Changes whenever the snapshot's content does; also its strong ETag. */
export const SNAPSHOT_FORMAT = 1;

/** A rule as stored (validated JSON logic); `false` for a stored rule that no longer validates. */
const rule = z.unknown();

/** A content type that has variants, with the names the delivery accepts for it. */
export const snapshotTypeSchema = z.strictObject({
  uid: z.string(),
  /** The name its delivery route uses: a collection type's plural, a single type's singular name. */
  name: z.string(),
  kind: z.enum(['collectionType', 'singleType']),
  localized: z.boolean(),
});

export const snapshotVariantSchema = z.strictObject({
  documentId: z.string(),
  name: z.string(),
  persona: z.string().nullable(),
  stage: z.string().nullable(),
  rule,
  priority: z.number(),
  createdAt: z.string(),
});

/** The published variants of one entry in one locale. */
export const snapshotEntrySchema = z.strictObject({
  targetUid: z.string(),
  /** null for a single type. */
  targetDocumentId: z.string().nullable(),
  locale: z.string(),
  variants: z.array(snapshotVariantSchema),
});

/** A running experiment, or a completed one with a winner; per entry in the order they are tried. */
export const snapshotExperimentSchema = z.strictObject({
  key: z.string(),
  seed: z.string(),
  targetUid: z.string(),
  targetDocumentId: z.string().nullable(),
  locale: z.string().nullable(),
  status: z.enum(['running', 'completed']),
  winner: z.string().nullable(),
  arms: z.array(
    z.strictObject({ key: z.string(), variant: z.string().nullable(), weight: z.number() })
  ),
  trafficAllocation: z.number(),
  audience: rule,
  goal: z.string(),
  /**
   * A bandit whose weights changed since it started: a visitor with an id keeps the arm of their
   * first exposure, which only the origin knows (the edge asks it: docs/edge.md).
   */
  remembersArms: z.boolean(),
});

export const snapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.string(),
  defaultLocale: z.string(),
  /**
   * Visitor profiles are on: a consenting visitor with an id is decided with their profile,
   * which only the origin has (the edge asks it).
   */
  profiles: z.boolean(),
  /** The delivery records exposures when it serves an arm (`exposureOnDelivery`): so does the edge. */
  recordsExposures: z.boolean(),
  types: z.array(snapshotTypeSchema),
  personas: z.array(
    z.strictObject({ slug: z.string(), name: z.string(), priority: z.number(), rule })
  ),
  stages: z.array(z.strictObject({ slug: z.string(), name: z.string(), order: z.number(), rule })),
  /** null: no holdout. */
  holdout: z.strictObject({ share: z.number(), seed: z.string() }).nullable(),
  entries: z.array(snapshotEntrySchema),
  experiments: z.array(snapshotExperimentSchema),
});

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotType = z.infer<typeof snapshotTypeSchema>;
export type SnapshotVariant = z.infer<typeof snapshotVariantSchema>;
export type SnapshotExperiment = z.infer<typeof snapshotExperimentSchema>;
