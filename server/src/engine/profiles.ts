/**
 * Visitor profiles (docs/architecture.md §4): what the server remembers of a consenting visitor,
 * how it changes, and how it fills a request's context. Pure: the store lives in the server.
 */
import { MAX_EVENTS, MAX_TRAITS, type VisitorContext } from './context';
import { FORBIDDEN_KEYS } from './objects';

export type TraitValue = string | number | boolean | string[];

/** An interest's score as stored: its value at `at` (ms since the epoch); it decays from there. */
export interface StoredScore {
  score: number;
  at: number;
}

export interface Profile {
  /** ms since the epoch. */
  firstSeen: number;
  /** The last activity of any kind (retention counts from it). */
  lastSeen: number;
  /** The last page view: a view after `visitGapMs` without one starts a new visit. */
  lastViewAt: number;
  visits: number;
  pageViews: number;
  events: Record<string, { count: number; last: number }>;
  interests: Record<string, StoredScore>;
  /** Only from trusted sources (API token, CDP). */
  traits: Record<string, TraitValue>;
  /** The furthest journey stage reached (a slug). */
  stageReached: string | null;
}

export interface InterestDefinition {
  slug: string;
  halfLifeDays: number;
}

/** "Reading this entry adds `points` to `interest`." */
export interface Signal {
  interest: string;
  points: number;
}

/**
 * One thing that happened to a profile. Applying several in any order gives the same profile,
 * except for `visits`, which counts the gaps between views as they come (in time order, but for
 * a client's late timestamps).
 */
export type ProfileChange =
  | { kind: 'view'; at: number; signals: readonly Signal[]; stage: string | null }
  | { kind: 'event'; at: number; name: string }
  | { kind: 'traits'; at: number; traits: Record<string, TraitValue>; replace: boolean };

/** What applying a change needs to know of the site. */
export interface ProfileRules {
  visitGapMs: number;
  halfLifeDays: (interest: string) => number | undefined;
  /** A stage's position along the journey; undefined for a stage that no longer exists. */
  stageOrder: (stage: string) => number | undefined;
}

/** Distinct event names a profile keeps (the least recent go first). */
export const MAX_PROFILE_EVENTS = 200;

const DAY_MS = 86_400_000;

export const emptyProfile = (at: number): Profile => ({
  firstSeen: at,
  lastSeen: at,
  lastViewAt: 0,
  visits: 0,
  pageViews: 0,
  events: Object.create(null) as Profile['events'],
  interests: Object.create(null) as Profile['interests'],
  traits: Object.create(null) as Profile['traits'],
  stageReached: null,
});

/** The factor a score keeps after `ms` with this half-life. */
const decay = (ms: number, halfLifeDays: number) => Math.pow(0.5, ms / (halfLifeDays * DAY_MS));

/** The score at `now`. */
export const decayedScore = (stored: StoredScore, halfLifeDays: number, now: number): number =>
  now <= stored.at ? stored.score : stored.score * decay(now - stored.at, halfLifeDays);

/** Adds points earned at `at` to a stored score, whichever of the two is later. */
const addPoints = (
  stored: StoredScore | undefined,
  points: number,
  at: number,
  halfLifeDays: number
): StoredScore => {
  if (stored === undefined) return { score: points, at };
  return stored.at <= at
    ? { score: decayedScore(stored, halfLifeDays, at) + points, at }
    : { score: stored.score + points * decay(stored.at - at, halfLifeDays), at: stored.at };
};

const copyOf = (profile: Profile): Profile => ({
  ...profile,
  events: Object.assign(Object.create(null), profile.events) as Profile['events'],
  interests: Object.assign(Object.create(null), profile.interests) as Profile['interests'],
  traits: Object.assign(Object.create(null), profile.traits) as Profile['traits'],
});

const furtherStage = (rules: ProfileRules, current: string | null, reached: string | null) => {
  if (reached === null) return current;
  const order = rules.stageOrder(reached);
  if (order === undefined) return current;
  if (current === null) return reached;
  const currentOrder = rules.stageOrder(current);
  return currentOrder === undefined || order > currentOrder ? reached : current;
};

/** Keeps the MAX_PROFILE_EVENTS most recent event names. */
const trimEvents = (events: Profile['events']) => {
  const names = Object.keys(events);
  if (names.length <= MAX_PROFILE_EVENTS) return;
  names.sort((a, b) => events[a].last - events[b].last);
  for (const name of names.slice(0, names.length - MAX_PROFILE_EVENTS)) delete events[name];
};

/** The profile after `change` (a new object; null: a new profile). */
export const applyProfileChange = (
  profile: Profile | null,
  change: ProfileChange,
  rules: ProfileRules
): Profile => {
  const next = copyOf(profile ?? emptyProfile(change.at));
  next.firstSeen = Math.min(next.firstSeen, change.at);
  next.lastSeen = Math.max(next.lastSeen, change.at);
  if (change.kind === 'view') {
    if (next.visits === 0 || change.at - next.lastViewAt > rules.visitGapMs) next.visits += 1;
    next.lastViewAt = Math.max(next.lastViewAt, change.at);
    next.pageViews += 1;
    for (const { interest, points } of change.signals) {
      const halfLife = rules.halfLifeDays(interest);
      if (halfLife === undefined || FORBIDDEN_KEYS.has(interest)) continue;
      next.interests[interest] = addPoints(next.interests[interest], points, change.at, halfLife);
    }
    next.stageReached = furtherStage(rules, next.stageReached, change.stage);
  } else if (change.kind === 'event') {
    const known = next.events[change.name];
    next.events[change.name] = {
      count: (known?.count ?? 0) + 1,
      last: Math.max(known?.last ?? 0, change.at),
    };
    trimEvents(next.events);
  } else {
    const traits = change.replace ? (Object.create(null) as Profile['traits']) : next.traits;
    for (const [key, value] of Object.entries(change.traits)) {
      if (!FORBIDDEN_KEYS.has(key)) traits[key] = value;
    }
    next.traits = traits;
  }
  return next;
};

/** Each known interest's score at `now`, to two decimals (stable for rules and caches). */
export const interestScores = (
  profile: Profile,
  interests: readonly InterestDefinition[],
  now: number
): Record<string, number> => {
  const scores = Object.create(null) as Record<string, number>;
  for (const { slug, halfLifeDays } of interests) {
    const stored = profile.interests[slug];
    if (stored !== undefined) {
      scores[slug] = Math.round(decayedScore(stored, halfLifeDays, now) * 100) / 100;
    }
  }
  return scores;
};

/** The interest with the highest score of at least `threshold` (ties: the first slug); else null. */
export const topInterestOf = (
  scores: Readonly<Record<string, number>>,
  threshold: number
): string | null => {
  let top: string | null = null;
  for (const slug of Object.keys(scores).sort()) {
    if (scores[slug] >= threshold && (top === null || scores[slug] > scores[top])) top = slug;
  }
  return top;
};

/** Which profile facts a decision used: `meta.personalization.profile` (never raw traits). */
export interface ProfileUse {
  visits: number;
  pageViews: number;
  topInterest: string | null;
  stageReached: string | null;
}

/**
 * The request's context completed from the profile: what the request states wins; `events` are
 * the union; `traits` merge with the request's keys winning. `visits` counts the visit this
 * request belongs to (a new one after `visitGapMs`), `pageViews` the views recorded before it.
 */
export const mergeProfile = (
  context: VisitorContext,
  profile: Profile,
  {
    interests,
    now,
    visitGapMs,
    topInterestThreshold,
  }: {
    interests: readonly InterestDefinition[];
    now: number;
    visitGapMs: number;
    topInterestThreshold: number;
  }
): { context: VisitorContext; use: ProfileUse } => {
  const visits =
    profile.visits === 0 ? 1 : profile.visits + (now - profile.lastViewAt > visitGapMs ? 1 : 0);
  const scores = interestScores(profile, interests, now);
  const merged: VisitorContext = {
    ...context,
    visits: context.visits ?? visits,
    pageViews: context.pageViews ?? profile.pageViews,
    interests: context.interests ?? scores,
    topInterest:
      context.topInterest !== undefined
        ? context.topInterest
        : topInterestOf(scores, topInterestThreshold),
  };
  const profileEvents = Object.keys(profile.events).sort(
    (a, b) => profile.events[b].last - profile.events[a].last
  );
  if (profileEvents.length > 0) {
    const events = new Set(context.events ?? []);
    for (const name of profileEvents) {
      if (events.size >= MAX_EVENTS) break;
      events.add(name);
    }
    merged.events = [...events];
  }
  const traitKeys = Object.keys(profile.traits);
  if (traitKeys.length > 0) {
    const traits = { ...context.traits };
    for (const key of traitKeys) {
      if (Object.keys(traits).length >= MAX_TRAITS) break;
      if (!(key in traits)) traits[key] = profile.traits[key];
    }
    merged.traits = traits;
  }
  return {
    context: merged,
    use: {
      visits: merged.visits as number,
      pageViews: merged.pageViews as number,
      topInterest: merged.topInterest ?? null,
      stageReached: profile.stageReached,
    },
  };
};
