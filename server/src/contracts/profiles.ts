import { z } from 'zod';

import { MAX_TRAITS, traitValue } from '../engine/context';
import { MESSAGES } from '../engine/messages';
import { documentFields, listResponseSchema, name, targetDocumentId, targetUid } from './common';
import { eventName } from './events';

/** Visitor profiles, interests and signals (docs/privacy.md, docs/openapi.json). */

const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, MESSAGES['field.slug']);

/** A visitor id in a path: what contexts and events carry as `visitorId`. */
export const visitorIdSchema = z.string().min(1).max(128);

/** `meta.personalization.profile`: the profile facts a decision used (never traits). */
export const profileUseSchema = z.strictObject({
  visits: z.number().int().min(0),
  pageViews: z.number().int().min(0),
  topInterest: z.string().nullable(),
  stageReached: z.string().nullable(),
});

/** `POST /personalize/interests`; `PUT` takes any subset. */
export const interestBodySchema = z.strictObject({
  name,
  slug: slug.optional(),
  description: z.string().max(2_000).nullable().optional(),
  halfLifeDays: z.number().int().min(1).max(3_650).optional(),
});

export const interestSchema = z.object({
  ...documentFields,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  halfLifeDays: z.number().int(),
});
export type Interest = z.infer<typeof interestSchema>;
export const interestListSchema = listResponseSchema(interestSchema);

/** "Reading this entry adds `points` to `interest`." */
export const signalSchema = z.strictObject({
  interest: slug,
  points: z.number().int().min(1).max(100),
});
export type EntrySignal = z.infer<typeof signalSchema>;

/** `GET /personalize/signals?targetUid=&targetDocumentId=`. */
export const signalsQuerySchema = z.strictObject({
  targetUid,
  targetDocumentId: targetDocumentId.optional(),
});

/** `PUT /personalize/signals`: replaces the entry's signals (one per interest). */
export const signalsBodySchema = z.strictObject({
  targetUid,
  targetDocumentId,
  signals: z
    .array(signalSchema)
    .max(50)
    .refine(
      (signals) => new Set(signals.map((signal) => signal.interest)).size === signals.length,
      'one signal per interest'
    ),
});
export type SignalsBody = z.infer<typeof signalsBodySchema>;
export const signalsResponseSchema = z.strictObject({
  data: z.strictObject({ signals: z.array(signalSchema) }),
  meta: z.strictObject({}),
});

/** Traits from a trusted source: bounded like a context's, checked for personal data by the server. */
export const traitsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . -'),
    traitValue
  )
  .refine((traits) => Object.keys(traits).length <= MAX_TRAITS, `at most ${MAX_TRAITS} traits`);

/** `PUT /api/personalize/profiles/:visitorId/traits`: replaces the profile's traits. */
export const traitsBodySchema = z.strictObject({ traits: traitsSchema });

const timestamp = z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]);

/** `POST /api/personalize/profiles/:visitorId/events`. */
export const profileEventsBodySchema = z.strictObject({
  events: z
    .array(z.strictObject({ name: eventName, timestamp: timestamp.optional() }))
    .min(1)
    .max(100),
});

/** What the trusted routes answer: what the profile now holds (as the admin shows it). */
export const profileFactsSchema = z.strictObject({
  firstSeen: z.string(),
  lastSeen: z.string(),
  visits: z.number().int(),
  pageViews: z.number().int(),
  events: z.record(z.string(), z.strictObject({ count: z.number().int(), last: z.string() })),
  /** Scores decayed to now. */
  interests: z.record(z.string(), z.number()),
  topInterest: z.string().nullable(),
  traits: z.record(z.string(), traitValue),
  stageReached: z.string().nullable(),
});
export type ProfileFacts = z.infer<typeof profileFactsSchema>;
export const profileResponseSchema = z.strictObject({
  data: profileFactsSchema,
  meta: z.strictObject({}),
});

/** What `POST /api/personalize/integrations/segment` did with the messages (a batch's, by index). */
export const segmentResponseSchema = z.strictObject({
  data: z.strictObject({
    accepted: z.number().int().min(0),
    rejected: z.array(z.strictObject({ index: z.number().int().min(0), error: z.string() })),
  }),
  meta: z.strictObject({}),
});

/**
 * Segment's `identify`, `track` and `page` specs (what RudderStack and many CDPs emit too),
 * loosely: a CDP sends many more fields, which are ignored.
 */
const segmentCommon = {
  userId: z.string().min(1).max(128).nullish(),
  anonymousId: z.string().min(1).max(128).nullish(),
  timestamp: timestamp.optional(),
};
export const segmentMessageSchema = z.discriminatedUnion('type', [
  z.looseObject({ ...segmentCommon, type: z.literal('identify'), traits: z.unknown().optional() }),
  // Segment names events in words ("Order Completed"): profiles keep them as `order_completed`.
  z.looseObject({
    ...segmentCommon,
    type: z.literal('track'),
    event: z.string().trim().min(1).max(120),
  }),
  z.looseObject({ ...segmentCommon, type: z.literal('page') }),
]);
export type SegmentMessage = z.infer<typeof segmentMessageSchema>;

/** A Segment event name as profiles and rules name events: `Order Completed` → `order_completed`. */
export const segmentEventName = (event: string) =>
  event
    .trim()
    .toLowerCase()
    .replace(/[^\w.:-]+/g, '_');

/** `POST /api/personalize/integrations/segment`: one message, or Segment's batch form. */
export const segmentBatchSchema = z.looseObject({ batch: z.array(z.unknown()).min(1).max(500) });
export const segmentBodySchema = z.union([segmentMessageSchema, segmentBatchSchema]);

/** `GET /personalize/profiles/:visitorId` (admin) query: a target to decide for, optionally. */
export const profileLookupQuerySchema = z.strictObject({
  targetUid: targetUid.optional(),
  targetDocumentId: targetDocumentId.optional(),
  locale: z.string().max(35).optional(),
});
