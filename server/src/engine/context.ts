import { en } from 'zod/locales';
import * as z from 'zod/mini';

import type { Message } from './messages';
import { messageOf, messageOfZodIssue, refinement, REQUEST_MESSAGES } from './request-messages';
import { DEVICES, deviceFromUserAgent } from './device';
import { FORBIDDEN_KEYS, hasOwn, isPlainObject } from './objects';
import type { CompiledRule, EvaluationData, Issue } from './types';

// zod's mini build (the same checks, tree-shakable: the edge bundle stays small) with the English
// messages the full build installs, so that every build words zod's own checks alike.
z.config(en());

/** Longest raw context (header or query parameter, in UTF-8 bytes) that is parsed at all. */
export const MAX_CONTEXT_BYTES = 16_384;

export const MAX_EVENTS = 100;
export const MAX_TRAITS = 50;
export const MAX_TRAIT_VALUES = 100;
/** Characters of one trait value (a string, or one string of a list). */
export const MAX_TRAIT_CHARS = 1_024;
/** Interest scores a context may state (a profile fills them otherwise). */
export const MAX_INTERESTS = 100;

export { DEVICES, deviceFromUserAgent, type Device } from './device';

// Messages are MESSAGES' (engine/messages.ts; request-messages.ts, the part the edge bundle
// carries), so that the admin can translate them. A schema's `error` words its checks too, so each
// check names its own.
const text = (max: number) =>
  z
    .string({ error: REQUEST_MESSAGES['field.string'] })
    .check(z.maxLength(max, messageOf('field.tooLong', { max }).message));

const atMostItems = (max: number) => messageOf('field.tooManyItems', { max }).message;

const whole = () =>
  z
    .number({ error: REQUEST_MESSAGES['field.number'] })
    .check(
      z.int(REQUEST_MESSAGES['field.wholeNumber']),
      z.minimum(0, REQUEST_MESSAGES['context.notNegative'])
    );

const optional = z.optional;

const strictObject = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.strictObject(shape, { error: REQUEST_MESSAGES['field.object'] });

/** One trait's value: what contexts and the trusted traits route accept alike. */
export const traitValue = z.union(
  [
    text(MAX_TRAIT_CHARS),
    z.number(),
    z.boolean(),
    z
      .array(text(MAX_TRAIT_CHARS))
      .check(z.maxLength(MAX_TRAIT_VALUES, atMostItems(MAX_TRAIT_VALUES))),
  ],
  { error: REQUEST_MESSAGES['context.traitValue'] }
);

const traitsRecord = z.record(
  text(64).check(
    z.refine((key) => !FORBIDDEN_KEYS.has(key), REQUEST_MESSAGES['context.nameNotAllowed'])
  ),
  traitValue,
  { error: REQUEST_MESSAGES['field.object'] }
);

/**
 * zod's record silently drops an own `__proto__` key, and it would parse every one of 100,000
 * keys before counting them; both are checked here on the raw input first.
 */
const traitsSchema = z.pipe(
  z.transform((input: unknown, ctx) => {
    if (!isPlainObject(input)) return input;
    if (hasOwn(input, '__proto__')) {
      ctx.issues.push({
        code: 'custom',
        path: ['__proto__'],
        message: REQUEST_MESSAGES['context.nameNotAllowed'],
        input,
      });
    }
    let count = 0;
    for (const key in input) {
      if (hasOwn(input, key) && ++count > MAX_TRAITS) {
        ctx.issues.push({
          code: 'custom',
          ...refinement('context.tooManyTraits', { max: MAX_TRAITS }),
          input,
        });
        return {};
      }
    }
    return input;
  }),
  traitsRecord
);

/** An interest's slug, as `interests.<slug>` and `topInterest` name it. */
const interestSlug = text(64).check(
  z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, REQUEST_MESSAGES['field.slug'])
);

const interestsSchema = z.pipe(
  z.transform((input: unknown, ctx) => {
    if (isPlainObject(input) && Object.keys(input).length > MAX_INTERESTS) {
      ctx.issues.push({ code: 'custom', message: atMostItems(MAX_INTERESTS), input });
      return {};
    }
    return input;
  }),
  z.record(
    interestSlug,
    z
      .number({ error: REQUEST_MESSAGES['field.number'] })
      .check(z.minimum(0, REQUEST_MESSAGES['context.notNegative'])),
    { error: REQUEST_MESSAGES['field.object'] }
  )
);

/** The visitor context of docs/architecture.md §4: what a frontend may tell about its visitor. */
export const visitorContextSchema = z.strictObject(
  {
    visitorId: optional(text(128)),
    persona: optional(text(128)),
    stage: optional(text(128)),
    visits: optional(whole()),
    pageViews: optional(whole()),
    events: optional(
      z
        .array(text(128), { error: REQUEST_MESSAGES['context.listOfStrings'] })
        .check(z.maxLength(MAX_EVENTS, atMostItems(MAX_EVENTS)))
    ),
    referrer: optional(text(2_048)),
    searchTerm: optional(text(256)),
    utm: optional(
      strictObject({
        source: optional(text(256)),
        medium: optional(text(256)),
        campaign: optional(text(256)),
        term: optional(text(256)),
        content: optional(text(256)),
      })
    ),
    geo: optional(
      strictObject({
        country: z.pipe(
          z
            .string({ error: REQUEST_MESSAGES['field.string'] })
            .check(z.regex(/^[A-Za-z]{2}$/, REQUEST_MESSAGES['context.country'])),
          z.transform((code: string) => code.toUpperCase())
        ),
        region: optional(text(128)),
        city: optional(text(128)),
      })
    ),
    device: optional(z.enum(DEVICES)),
    locale: optional(text(35)),
    weather: optional(text(64)),
    traits: optional(traitsSchema),
    /** Interest scores (decayed), by interest slug: a profile fills them for consenting visitors. */
    interests: optional(interestsSchema),
    /** The interest with the highest score above the threshold, or null. */
    topInterest: optional(z.nullable(interestSlug)),
    consent: optional(
      strictObject({
        personalization: optional(z.boolean({ error: REQUEST_MESSAGES['field.boolean'] })),
        analytics: optional(z.boolean({ error: REQUEST_MESSAGES['field.boolean'] })),
      })
    ),
    /**
     * The visitor's time, when the frontend knows it (otherwise the server's clock, in UTC): a
     * response then depends on the context alone, so shared caches may keep it.
     */
    now: optional(
      strictObject({
        hour: whole().check(z.maximum(23, REQUEST_MESSAGES['context.hour'])),
        weekday: whole().check(z.maximum(6, REQUEST_MESSAGES['context.weekday'])),
        date: z
          .string({ error: REQUEST_MESSAGES['field.string'] })
          .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, REQUEST_MESSAGES['context.date'])),
      })
    ),
    /**
     * A preview link's signed token (`POST /personalize/preview-links`): forces a persona, a stage
     * and/or an experiment arm for a stakeholder; an invalid or expired one is ignored with a warning.
     */
    preview: optional(text(1_024)),
  },
  { error: REQUEST_MESSAGES['context.notObject'] }
);

export type VisitorContext = z.infer<typeof visitorContextSchema>;

/** Characters of a number or a boolean written as text ("-1.7976931348623157e+308"). */
export const SCALAR_CHARS = 24;
/** An object written as text: "[object Object]". */
const OBJECT_CHARS = 15;

/** How long a value of a valid context can be as text, and how long if it is a string. */
export interface TextBound {
  chars: number;
  string: number;
}

const scalar: TextBound = { chars: SCALAR_CHARS, string: 0 };
const object: TextBound = { chars: OBJECT_CHARS, string: 0 };
const stringOf = (chars: number): TextBound => ({ chars, string: chars });
const list = (items: number, chars: number): TextBound => ({
  chars: Math.min(items * (chars + 1), MAX_CONTEXT_BYTES),
  string: 0,
});

/** Each field of a valid context, as its schema bounds it (`*`: any key or index). */
const FIELD_BOUNDS: Readonly<Record<string, TextBound>> = Object.assign(Object.create(null), {
  visitorId: stringOf(128),
  persona: stringOf(128),
  stage: stringOf(128),
  preview: stringOf(1_024),
  visits: scalar,
  pageViews: scalar,
  events: list(MAX_EVENTS, 128),
  'events.*': stringOf(128),
  referrer: stringOf(2_048),
  searchTerm: stringOf(256),
  utm: object,
  'utm.*': stringOf(256),
  geo: object,
  'geo.*': stringOf(128),
  device: stringOf(7),
  locale: stringOf(35),
  weather: stringOf(64),
  traits: object,
  // A trait is a string, a number, a boolean or a list of strings.
  'traits.*': { chars: list(MAX_TRAIT_VALUES, MAX_TRAIT_CHARS).chars, string: MAX_TRAIT_CHARS },
  'traits.*.*': stringOf(MAX_TRAIT_CHARS),
  interests: object,
  'interests.*': scalar,
  topInterest: stringOf(64),
  consent: object,
  'consent.*': scalar,
  now: object,
  'now.*': stringOf(10),
});

/**
 * How long the value at `path` (as a rule's `var` reads it) can be as text in a valid context:
 * what the cost bound of rules assumes. An unknown path reads undefined, bounded as a scalar.
 */
export const maxTextLength = (path: string | number): TextBound => {
  if (path === '') return object;
  const segments = String(path).split('.');
  const key = [segments[0], ...segments.slice(1).map(() => '*')].join('.');
  return FIELD_BOUNDS[key] ?? scalar;
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

const shorten = (value: string, max = 64) =>
  value.length > max ? `${value.slice(0, max)}…` : value;

const joinPath = (segments: readonly PropertyKey[]) => segments.map(String).join('.');

const toIssues = (error: z.core.$ZodError): Issue[] => {
  const issues: Issue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // One issue per unknown key, pointing at the key itself.
      for (const key of issue.keys.slice(0, 20)) {
        issues.push({ path: joinPath([...issue.path, shorten(key)]), ...UNKNOWN_FIELD });
      }
    } else if (issue.code === 'invalid_key') {
      // A record key (a trait name): zod nests the key's own issues.
      const tooLong = issue.issues.find((keyIssue) => keyIssue.code === 'too_big');
      issues.push({
        path: joinPath(issue.path),
        ...(tooLong
          ? messageOf('context.nameTooLong', { max: Number(tooLong.maximum) })
          : messageOf('context.nameNotAllowed')),
      });
    } else {
      issues.push({ path: joinPath(issue.path), ...messageOfZodIssue(issue) });
    }
  }
  return issues;
};

const UNKNOWN_FIELD = messageOf('field.unknown');

const failure = (message: Message): Parsed<never> => ({
  ok: false,
  issues: [{ path: '', ...message }],
});

/** UTF-8 length of a string, without allocating (the engine does not use Node's Buffer). */
const utf8Length = (value: string): number => {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
};

const TOO_LONG = messageOf('context.tooLong', { max: MAX_CONTEXT_BYTES });
const NOT_OBJECT = messageOf('context.notObject');
const unreadable = (error: unknown) =>
  messageOf('context.unreadable', { reason: shorten(String(error), 200) });

/** Validates a context object of at most MAX_CONTEXT_BYTES; throws on hostile objects. */
const validate = (input: unknown): Parsed<VisitorContext> => {
  if (!isPlainObject(input)) return failure(NOT_OBJECT);
  const result = visitorContextSchema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: toIssues(result.error) };
};

/**
 * Validates a context object (a parsed JSON body); never throws. Like a header's, its JSON may
 * have at most MAX_CONTEXT_BYTES (UTF-8): every entry point accepts the same contexts.
 */
export const parseVisitorContext = (input: unknown): Parsed<VisitorContext> => {
  try {
    if (!isPlainObject(input)) return failure(NOT_OBJECT);
    const json = JSON.stringify(input);
    if (utf8Length(json) > MAX_CONTEXT_BYTES) return failure(TOO_LONG);
    return validate(input);
  } catch (error) {
    // A hostile object (a throwing getter, a proxy) never reaches here from JSON, but may in code.
    return failure(unreadable(error));
  }
};

/**
 * Parses the raw JSON of a header or query parameter, then validates it; never throws.
 * Longer than MAX_CONTEXT_BYTES (UTF-8) is refused before parsing.
 */
export const parseContextJson = (raw: string): Parsed<VisitorContext> => {
  try {
    if (typeof raw !== 'string') return failure(messageOf('context.notJsonString'));
    if (
      raw.length > MAX_CONTEXT_BYTES ||
      (raw.length * 3 > MAX_CONTEXT_BYTES && utf8Length(raw) > MAX_CONTEXT_BYTES)
    ) {
      return failure(TOO_LONG);
    }
    let input: unknown;
    try {
      input = JSON.parse(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure(messageOf('context.notJson', { reason: shorten(reason, 200) }));
    }
    if (!isPlainObject(input)) return failure(messageOf('context.notJsonObject'));
    return validate(input);
  } catch (error) {
    return failure(unreadable(error));
  }
};

const pad = (value: number) => String(value).padStart(2, '0');

/** A null-prototype copy of a validated flat object (rules read it through paths). */
const bare = <T extends object>(source: T): T => {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (!FORBIDDEN_KEYS.has(key)) {
      const value = (source as Record<string, unknown>)[key];
      copy[key] = Array.isArray(value) ? value.slice() : value;
    }
  }
  return copy as T;
};

/** The server facts of `now`, in UTC. */
export interface NowFacts {
  hour: number;
  /** 0 = Sunday. */
  weekday: number;
  /** YYYY-MM-DD. */
  date: string;
}

export const nowFacts = (now: Date): NowFacts => ({
  hour: now.getUTCHours(),
  weekday: now.getUTCDay(),
  date: `${String(now.getUTCFullYear()).padStart(4, '0')}-${pad(now.getUTCMonth() + 1)}-${pad(
    now.getUTCDate()
  )}`,
});

/**
 * What the server adds to a context that does not say it (never the IP address: docs/frontend.md,
 * Privacy).
 */
export interface ServerFacts {
  now: Date;
  /** The User-Agent header: `device` when the context has none. */
  userAgent?: string;
  /** A CDN's country header (e.g. CF-IPCountry), when the app configures one: `geo.country`. */
  country?: string;
}

/** Facts a decision may take from the server rather than from the context. */
export type ServerFact = 'device' | 'now' | 'geo';

/**
 * Which facts the server supplies for this context: those it does not state itself (`geo` only
 * when the app reads a country header). A response that depends on one varies with the header
 * it came from, or with the time.
 */
export const serverFactsOf = (
  context: VisitorContext,
  { readsCountry }: { readsCountry: boolean }
): ReadonlySet<ServerFact> => {
  const derived = new Set<ServerFact>();
  if (context.device === undefined) derived.add('device');
  if (context.now === undefined) derived.add('now');
  if (context.geo === undefined && readsCountry) derived.add('geo');
  return derived;
};

/**
 * Which of the facts the server supplied (`supplied`) decisions by `rules` may depend on: those
 * some rule reads (a rule reading the whole context reads them all).
 */
export const serverFactsRead = (
  rules: Iterable<CompiledRule | null>,
  supplied: ReadonlySet<ServerFact>
): Set<ServerFact> => {
  const read = new Set<ServerFact>();
  if (supplied.size === 0) return read;
  for (const rule of rules) {
    if (rule === null) continue;
    for (const fact of supplied) {
      if (rule.reads.has(fact) || rule.reads.has('*')) read.add(fact);
    }
  }
  return read;
};

const COUNTRY = /^[A-Z]{2}$/;

/**
 * What rules are evaluated against: the validated context plus server facts for what it does not
 * state (`now` in UTC, `device` from the User-Agent, `geo.country` from a CDN's header). A new
 * null-prototype object, built from the known fields only (never a spread of the input), with
 * null-prototype nested objects.
 */
export const evaluationData = (context: VisitorContext, facts: ServerFacts): EvaluationData => {
  const data = Object.create(null) as Record<string, unknown>;
  const scalars = [
    'visitorId',
    'persona',
    'stage',
    'visits',
    'pageViews',
    'referrer',
    'searchTerm',
    'device',
    'locale',
    'weather',
    'topInterest',
  ] as const;
  for (const key of scalars) {
    if (context[key] !== undefined) data[key] = context[key];
  }
  if (context.events !== undefined) data.events = context.events.slice();
  if (context.utm !== undefined) data.utm = bare(context.utm);
  if (context.geo !== undefined) data.geo = bare(context.geo);
  if (context.traits !== undefined) data.traits = bare(context.traits);
  if (context.interests !== undefined) data.interests = bare(context.interests);
  if (context.consent !== undefined) data.consent = bare(context.consent);
  data.now = bare(context.now ?? nowFacts(facts.now));
  if (data.device === undefined) data.device = deviceFromUserAgent(facts.userAgent);
  const country = facts.country?.trim().toUpperCase();
  if (data.geo === undefined && country && COUNTRY.test(country)) {
    data.geo = bare({ country });
  }
  return data;
};

const fieldsOf = (schema: { def: { shape: Record<string, unknown> } }): ReadonlySet<string> =>
  new Set(Object.keys(schema.def.shape));

const CONTEXT_FIELDS = fieldsOf(visitorContextSchema);
const { utm, geo, consent, now } = visitorContextSchema.def.shape;
/** The fields of the context's objects whose keys are fixed (traits are the app's own). */
const OBJECT_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  utm: fieldsOf(utm.def.innerType),
  geo: fieldsOf(geo.def.innerType),
  consent: fieldsOf(consent.def.innerType),
  now: fieldsOf(now.def.innerType),
};

/**
 * Whether a rule's `var` path names something a visitor context can hold: a misspelt field
 * (`utm.campain`) would read undefined forever, so editors are told instead.
 */
export const isContextPath = (path: string): boolean => {
  if (path === '') return true;
  const [field, key, ...rest] = path.split('.');
  if (!CONTEXT_FIELDS.has(field)) return false;
  if (key === undefined) return true;
  if (field === 'traits' || field === 'interests') return rest.length === 0 || field === 'traits';
  if (field === 'events') return /^\d+$/.test(key) && rest.length === 0;
  return OBJECT_FIELDS[field]?.has(key) === true && rest.length === 0;
};
