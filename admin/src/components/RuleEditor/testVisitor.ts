/**
 * The rule test's visitor: a visitor context (docs/architecture.md §4) as JSON text, and the form
 * that edits its most used fields. The form keeps every other field of the context as it is.
 */

/** A visitor context as the test box holds it: what the JSON text parses to. */
export type TestContext = Record<string, unknown>;

export interface TraitRow {
  name: string;
  /** The value as typed: `gold`, `40`, `true`, or a list as `a, b`. */
  value: string;
}

/** The form's fields, as its inputs hold them. */
export interface VisitorForm {
  /** A persona's slug, as frontends send it. */
  persona: string;
  /** A journey stage's slug. */
  stage: string;
  visits: number | undefined;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  device: string;
  country: string;
  events: string[];
  traits: TraitRow[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const textOf = (value: unknown) => (typeof value === 'string' ? value : '');

const objectOf = (value: unknown): Record<string, unknown> => (isObject(value) ? value : {});

/** A trait's value as text: a list as `a, b`. */
export const traitText = (value: unknown): string =>
  Array.isArray(value) ? value.join(', ') : String(value ?? '');

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * A trait's value from its text: unchanged text keeps the value it was (a list stays a list);
 * otherwise a list if it was one, `true`/`false`, a number, or the text.
 */
export const traitValue = (text: string, previous: unknown): unknown => {
  if (previous !== undefined && traitText(previous) === text) return previous;
  if (Array.isArray(previous)) {
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (text === 'true' || text === 'false') return text === 'true';
  return NUMBER.test(text) ? Number(text) : text;
};

/** Parses the JSON text: the context, or why it is not one. */
export const parseTestContext = (
  text: string
): { context: TestContext } | { error: 'json' | 'object' } => {
  if (text.trim() === '') return { context: {} };
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? { context: value } : { error: 'object' };
  } catch {
    return { error: 'json' };
  }
};

export const formOf = (context: TestContext): VisitorForm => {
  const utm = objectOf(context.utm);
  return {
    persona: textOf(context.persona),
    stage: textOf(context.stage),
    visits: typeof context.visits === 'number' ? context.visits : undefined,
    utmSource: textOf(utm.source),
    utmMedium: textOf(utm.medium),
    utmCampaign: textOf(utm.campaign),
    device: textOf(context.device),
    country: textOf(objectOf(context.geo).country),
    events: Array.isArray(context.events) ? context.events.map(String) : [],
    traits: Object.entries(objectOf(context.traits)).map(([name, value]) => ({
      name,
      value: traitText(value),
    })),
  };
};

/** `target` with `key` set to `value`, or without `key` when the value is empty. */
const withValue = (target: Record<string, unknown>, key: string, value: unknown) => {
  const empty =
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0);
  if (empty) {
    const { [key]: _removed, ...rest } = target;
    return rest;
  }
  return { ...target, [key]: value };
};

/**
 * The context the form describes: `base` (the context it was opened with) with the form's
 * fields set, and without those left empty.
 */
export const contextOf = (form: VisitorForm, base: TestContext): TestContext => {
  const baseTraits = objectOf(base.traits);
  const traits: Record<string, unknown> = {};
  for (const row of form.traits) {
    const name = row.name.trim();
    if (name !== '') traits[name] = traitValue(row.value, baseTraits[name]);
  }
  let utm = objectOf(base.utm);
  utm = withValue(utm, 'source', form.utmSource);
  utm = withValue(utm, 'medium', form.utmMedium);
  utm = withValue(utm, 'campaign', form.utmCampaign);
  const geo = withValue(objectOf(base.geo), 'country', form.country.trim().toUpperCase());
  let context = base;
  context = withValue(context, 'persona', form.persona);
  context = withValue(context, 'stage', form.stage);
  context = withValue(context, 'visits', form.visits);
  context = withValue(context, 'utm', utm);
  context = withValue(context, 'device', form.device);
  context = withValue(context, 'geo', geo);
  context = withValue(context, 'events', form.events);
  context = withValue(context, 'traits', traits);
  return context;
};
