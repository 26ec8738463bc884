/**
 * React bindings (`strapi-plugin-personalize-client/react`), for React 18 and 19: a provider that
 * holds the client, the visitor context and the consent; hooks that read personalized content and
 * decisions without Suspense; and conversion tracking. SSR-safe: nothing is fetched while
 * rendering. A hook renders its `initial` reading at once (fetched on the server, e.g. in a
 * Next.js server component) and fetches after mount only what it was not given.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import type { PersonalizeClient, PersonalizeError, Reading } from './client';
import type {
  AbortSignalLike,
  DecideRequest,
  Decision,
  Personalization,
  ReadOptions,
  TrackedEvent,
  VisitorContext,
} from './types';

interface Personalize {
  client: PersonalizeClient;
  context: VisitorContext;
}

const PersonalizeContext = createContext<Personalize | null>(null);

export interface PersonalizeProviderProps {
  client: PersonalizeClient;
  /** The visitor context of every read and decision below (`browserContext()`, `contextFromRequest()`). */
  context?: VisitorContext;
  /** The visitor's consent, added to the context; with `analytics: false` nothing is tracked. */
  consent?: VisitorContext['consent'];
  children?: ReactNode;
}

export function PersonalizeProvider({
  client,
  context,
  consent,
  children,
}: PersonalizeProviderProps) {
  // The context is compared by value: a page may build it anew on every render.
  const key = JSON.stringify([context, consent]);
  const value = useMemo(
    () => ({ client, context: { ...context, ...(consent ? { consent } : {}) } }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for context and consent
    [client, key]
  );
  useEffect(() => {
    if (consent) client.setConsent(consent);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for consent
  }, [client, key]);
  return <PersonalizeContext.Provider value={value}>{children}</PersonalizeContext.Provider>;
}

function usePersonalize(): Personalize {
  const personalize = useContext(PersonalizeContext);
  if (!personalize) throw new Error('Personalize hooks need a <PersonalizeProvider> above them');
  return personalize;
}

/** What a hook has: the last answer, an error, and whether the current one is still on its way. */
export interface Remote<Value> {
  /** The answer for the current arguments, or the previous one while `loading`. */
  value: Value | undefined;
  error: PersonalizeError | null;
  loading: boolean;
}

/** Calls `load` after mount and whenever `key` changes; the previous call is aborted. */
function useRemote<Value>(
  key: string,
  load: (signal: AbortSignalLike) => Promise<Value>,
  initial: Value | undefined
): Remote<Value> {
  const [state, setState] = useState(() => ({
    key: initial === undefined ? null : key,
    value: initial,
    error: null as PersonalizeError | null,
  }));
  useEffect(() => {
    if (state.key === key) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => setState({ key, value, error: null }),
      (error: PersonalizeError) => {
        if (!controller.signal.aborted) setState({ key, value: undefined, error });
      }
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for what `load` reads
  }, [key]);
  return { value: state.value, error: state.error, loading: state.key !== key };
}

/** A read's options, and the reading the server already fetched for them. */
export interface HookReadOptions<Data> extends Omit<ReadOptions, 'signal'> {
  initial?: Reading<Data>;
}

export interface PersonalizedEntry<Data> extends Remote<Reading<Data>> {
  data: Data | undefined;
  personalization: Personalization | undefined;
}

function useReading<Data>(
  path: [string] | [string, string],
  { initial, context, ...options }: HookReadOptions<Data>
): PersonalizedEntry<Data> {
  const personalize = usePersonalize();
  const readOptions = { ...options, context: context ?? personalize.context };
  const remote = useRemote(
    JSON.stringify([path, readOptions]),
    (signal) =>
      path.length === 2
        ? personalize.client.getEntry<Data>(path[0], path[1], { ...readOptions, signal })
        : personalize.client.getSingle<Data>(path[0], { ...readOptions, signal }),
    initial
  );
  return { ...remote, data: remote.value?.data, personalization: remote.value?.personalization };
}

/** One entry of a collection type, personalized for the provider's context. */
export const usePersonalizedEntry = <Data = Record<string, unknown>,>(
  pluralName: string,
  documentId: string,
  options: HookReadOptions<Data> = {}
) => useReading<Data>([pluralName, documentId], options);

/** A single type, personalized for the provider's context. */
export const usePersonalizedSingle = <Data = Record<string, unknown>,>(
  singularName: string,
  options: HookReadOptions<Data> = {}
) => useReading<Data>([singularName], options);

/** The decision for an entry without its content (`decide`), for the provider's context. */
export const useDecision = (
  request: DecideRequest,
  { initial }: { initial?: Decision } = {}
): Remote<Decision> => {
  const { client, context } = usePersonalize();
  const input = { ...request, context: request.context ?? context };
  return useRemote(JSON.stringify(input), (signal) => client.decide(input, { signal }), initial);
};

/** An event whose visitor may be left to the provider's context. */
export type VisitorEvent = WithOptionalVisitor<TrackedEvent>;
type WithOptionalVisitor<Event> = Event extends unknown
  ? Omit<Event, 'visitorId'> & { visitorId?: string }
  : never;

/**
 * Queues events for the provider's visitor (`client.track`). Nothing is sent without a visitor id
 * or when the visitor refused analytics.
 */
export const useTrack = () => {
  const { client, context } = usePersonalize();
  return (events: VisitorEvent | VisitorEvent[]) => {
    if (context.consent?.analytics === false) return;
    const tracked: TrackedEvent[] = [];
    for (const event of Array.isArray(events) ? events : [events]) {
      const visitorId = event.visitorId ?? context.visitorId;
      if (visitorId) tracked.push({ ...event, visitorId });
    }
    if (tracked.length > 0) client.track(tracked);
  };
};

export interface TrackConversionProps {
  goal: string;
  /** Only this experiment's conversion; default: every running experiment with the goal. */
  experiment?: string;
}

/**
 * Tracks a conversion when it is rendered (a thank-you page, a completed form). Renders nothing.
 * The server counts one conversion per visitor, experiment and goal, so a second mount is harmless.
 */
export function TrackConversion({ goal, experiment }: TrackConversionProps) {
  const track = useTrack();
  useEffect(() => {
    track({ type: 'conversion', goal, ...(experiment ? { experiment } : {}) });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per goal and experiment
  }, [goal, experiment]);
  return null;
}
