import { z } from 'zod';

import { MESSAGES } from '../engine/messages';
import { locale } from './common';

/** `POST /api/personalize/events` (docs/openapi.json). */

/** An experiment key or goal as events name them. */
export const eventName = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[\w.:-]+$/, MESSAGES['field.eventName']);

/** What every event has. */
const eventFields = {
  /** The client's id of the event; retries are idempotent through the per-visitor unique keys. */
  id: z.string().min(1).max(128).optional(),
  visitorId: z.string().min(1).max(128),
  /** ISO 8601 with an offset, or milliseconds since the epoch; default: when received. */
  timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]).optional(),
};

/**
 * The visitor's consent, as in the context: with `personalization: true` the event also updates
 * the visitor's profile (docs/privacy.md); without it, no profile is read or written.
 */
const consent = z
  .strictObject({ personalization: z.boolean().optional(), analytics: z.boolean().optional() })
  .optional();

/** An entry as events name it (documentId null or absent for a single type). */
const eventTarget = z.strictObject({
  uid: z.string().min(1).max(256),
  documentId: z.string().min(1).max(64).nullable().optional(),
});

/** A persona's or stage's slug in a decision, or null. */
const decidedSlug = z.string().min(1).max(120).nullable();

/**
 * An exposure (the visitor was served an experiment's arm, named by the experiment's key), a
 * conversion (the visitor reached a goal, in every running experiment with that goal or only in
 * the one named), a decision made at the edge (what the origin records of its own decisions: the
 * variant's reach and, holdout on, the visitor's impact exposure), and, for the visitor's profile
 * only, a page view (of an entry, whose signals add interest points) or a named event.
 */
export const eventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...eventFields, type: z.literal('exposure'), experiment: eventName }),
  z.strictObject({
    ...eventFields,
    type: z.literal('conversion'),
    goal: eventName,
    experiment: eventName.optional(),
    consent,
  }),
  z.strictObject({
    ...eventFields,
    type: z.literal('decision'),
    /** The entry decided, by its type's UID, in the locale its variants were taken from. */
    target: eventTarget,
    locale,
    /** The variant served (its documentId), null for the base entry. */
    variant: z.string().min(1).max(64).nullable(),
    /** The visitor's persona and stage; for a held-out visitor, those they would have had. */
    persona: decidedSlug,
    stage: decidedSlug,
  }),
  z.strictObject({
    ...eventFields,
    type: z.literal('view'),
    /** The entry viewed. */
    target: eventTarget.optional(),
    consent,
  }),
  z.strictObject({ ...eventFields, type: z.literal('event'), name: eventName, consent }),
]);

/** An event as a client sends it. */
export type TrackedEvent = z.input<typeof eventSchema>;
/** An event as the server reads it. */
export type EventInput = z.output<typeof eventSchema>;
export type ExposureInput = Extract<EventInput, { type: 'exposure' }>;
export type ConversionInput = Extract<EventInput, { type: 'conversion' }>;
export type DecisionEventInput = Extract<EventInput, { type: 'decision' }>;
export type ViewInput = Extract<EventInput, { type: 'view' }>;
export type NamedEventInput = Extract<EventInput, { type: 'event' }>;

const MAX_EVENTS_PER_REQUEST = 500;

/** The body as the server parses it: each event is checked on its own, so one bad event is rejected alone. */
export const eventsBodySchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST),
});

/** The body as a client sends it. */
export const eventsRequestSchema = z.strictObject({
  events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_REQUEST),
});

/** What the server did with a batch: new events, events it had already, and why others were refused. */
export const trackResultSchema = z.strictObject({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.array(z.strictObject({ index: z.number().int().min(0), error: z.string() })),
});
export type TrackResult = z.infer<typeof trackResultSchema>;

export const eventsResponseSchema = z.strictObject({ data: trackResultSchema });

/** `DELETE /personalize/visitors/:visitorId` (admin): how many stored events were erased. */
export const erasureSchema = z.strictObject({
  exposures: z.number().int().min(0),
  conversions: z.number().int().min(0),
  /** The visitor's profile: 1 when there was one. */
  profiles: z.number().int().min(0),
});
export type Erasure = z.infer<typeof erasureSchema>;
