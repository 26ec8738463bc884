import { z } from 'zod';

/** Profile keys one message names (64 hex digits each: 100 fit in a NOTIFY). */
export const PROFILES_PER_MESSAGE = 100;

const targetSchema = z.strictObject({
  uid: z.string().min(1).max(200),
  /** null for a single type. */
  documentId: z.string().min(1).max(200).nullable(),
});

/**
 * What a write changed, as another instance needs to hear it: it reloads only that part, as the
 * writing instance already did. `all` asks for a full reload (settings, a bulk import, a message
 * too long to send whole); `content` only empties the content cache.
 */
const changeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('targets'), targets: z.array(targetSchema).min(1) }),
  z.strictObject({ kind: z.literal('classification') }),
  z.strictObject({ kind: z.literal('experiments') }),
  z.strictObject({ kind: z.literal('content') }),
  // Visitor profiles written (their HMAC keys): other instances drop their cached copies.
  z.strictObject({
    kind: z.literal('profiles'),
    visitors: z
      .array(z.string().regex(/^[0-9a-f]{64}$/))
      .min(1)
      .max(PROFILES_PER_MESSAGE),
  }),
  z.strictObject({ kind: z.literal('all') }),
]);

export type Change = z.infer<typeof changeSchema>;
export type ChangedTarget = z.infer<typeof targetSchema>;

/**
 * A change as it travels: who sent it (an instance ignores its own) and the version token it set
 * (none for profiles, which the registry does not hold).
 */
const messageSchema = z.strictObject({
  from: z.string().min(1).max(100),
  version: z.string().min(1).max(100).optional(),
  change: changeSchema,
});

export type ChangeMessage = z.infer<typeof messageSchema>;

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; Redis has no such limit. */
const MAX_MESSAGE_BYTES = 7_500;

/** The message as text; one naming too many targets to fit becomes a full reload. */
export const encodeMessage = (message: ChangeMessage): string => {
  const text = JSON.stringify(message);
  return Buffer.byteLength(text) <= MAX_MESSAGE_BYTES
    ? text
    : JSON.stringify({ ...message, change: { kind: 'all' } });
};

/** The message, or null for text that is not one (then the receiver reloads everything). */
export const decodeMessage = (text: string): ChangeMessage | null => {
  try {
    const parsed = messageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};
