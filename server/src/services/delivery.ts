import type { Core, UID } from '@strapi/strapi';

import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import type { PreviewPersonalization } from '../contracts';
import {
  decide,
  decisionRecords,
  emptyDecision,
  mergeOverrides,
  refusesAnalytics,
  refusesPersonalization,
  segmentOf,
  serverFactsRead,
  type ServerFact,
} from '../engine';
import { isPlainObject } from '../engine/objects';
import type { CompiledRule, Decision } from '../engine/types';
import type { RegisteredVariant } from '../registry';
import type { EventOrigin } from './events';
import { getService } from '../utils/get-service';
import { isLocalized } from '../utils/targets';
import type { Visitor } from '../utils/visitor-context';

type Entry = Record<string, unknown>;

/**
 * What a personalized response depends on besides its URL and the visitor context: facts the
 * server supplied that a rule may have read, and the visitor id (an experiment buckets by it).
 */
export interface Dependence {
  serverFacts: ReadonlySet<ServerFact>;
  visitorId: boolean;
}

export const NO_DEPENDENCE: Dependence = { serverFacts: new Set(), visitorId: false };

/** What several decisions of one response depended on together. */
export const combineDependences = (dependences: Dependence[]): Dependence => ({
  serverFacts: new Set(dependences.flatMap((dependence) => [...dependence.serverFacts])),
  visitorId: dependences.some((dependence) => dependence.visitorId),
});

/**
 * What every personalized response carries in `meta.personalization`; the trace only when the
 * decision has one (the preview).
 */
export const personalizationMeta = (
  decision: Decision,
  visitor?: (Pick<Visitor, 'profile'> & Partial<Pick<Visitor, 'warnings'>>) | null
): PreviewPersonalization => ({
  persona: decision.persona,
  personaSource: decision.personaSource,
  stage: decision.stage,
  stageSource: decision.stageSource,
  variant: decision.variant
    ? { documentId: decision.variant.documentId, name: decision.variant.name }
    : null,
  reason: decision.reason,
  segment: segmentOf([decision.variant?.documentId ?? null]),
  warnings:
    visitor?.warnings && visitor.warnings.length > 0
      ? [...decision.warnings, ...visitor.warnings]
      : decision.warnings,
  ...(decision.experiment ? { experiment: decision.experiment } : {}),
  ...(visitor?.profile ? { profile: visitor.profile.use } : {}),
  ...(decision.trace ? { trace: decision.trace } : {}),
});

/**
 * Resolves entries for a visitor from the in-memory registry (never the database) and merges the
 * picked variants into what core REST returned.
 */
const delivery = ({ strapi }: { strapi: Core.Strapi }) => {
  const registryLoader = getService(strapi, 'registryLoader');
  const { registry } = registryLoader;
  const events = getService(strapi, 'events');
  const { exposureOnDelivery } = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  /** The locale variants of this entry are stored under. */
  const variantLocale = (uid: string, entry: Entry | null, requested: unknown) => {
    if (!isLocalized(strapi, uid)) return registryLoader.defaultLocale;
    if (entry && typeof entry.locale === 'string') return entry.locale;
    return typeof requested === 'string' && requested !== '*'
      ? requested
      : registryLoader.defaultLocale;
  };

  /**
   * The decision for one entry (engine/decide.ts), and what it records: the exposure when an arm
   * was served, the variant's reach, and (holdout on) the visitor's exposure to personalization.
   * Nothing for a preview link's view, nor without consent to analytics.
   */
  const decideFor = (
    uid: string,
    documentId: string | null,
    locale: string,
    visitor: Visitor | null,
    origin: EventOrigin
  ): Decision<RegisteredVariant> => {
    const evaluationData = visitor?.evaluationData ?? null;
    const variants = registry.variantsOf(uid, documentId, locale);
    const decision = decide({
      personas: registry.personas,
      stages: registry.stages,
      variants,
      experiments: registry.experimentsOf(uid, documentId, locale),
      evaluationData,
      stageReached: visitor?.profile?.stageReached,
      holdout: registry.holdout,
      preview: visitor?.preview,
      rememberedArms: visitor?.rememberedArms,
    });
    const visitorId = evaluationData?.visitorId;
    if (
      typeof visitorId !== 'string' ||
      visitor === null ||
      visitor.preview !== null ||
      refusesAnalytics(visitor.evaluationData)
    ) {
      return decision;
    }
    if (decision.experiment && exposureOnDelivery) {
      const running = registry.experiment(decision.experiment.key);
      if (running?.status === 'running')
        events.recordExposure(running, decision.experiment.arm, visitorId, origin);
    }
    const now = new Date();
    const { reach, impact } = decisionRecords(decision, registry.holdout, variants.length > 0);
    if (reach !== null) events.recordReach(reach, visitorId, now);
    if (impact !== null) events.recordImpactExposure(visitorId, impact, now);
    return decision;
  };

  /** What the decision for this entry may have depended on (the rules it may have evaluated). */
  const dependenceOf = (
    uid: string,
    documentId: string | null,
    locale: string,
    visitor: Visitor | null
  ): Dependence => {
    if (visitor === null) return NO_DEPENDENCE;
    const experiments = registry.experimentsOf(uid, documentId, locale);
    const variants = registry.variantsOf(uid, documentId, locale);
    const rules: (CompiledRule | null)[] = experiments.map((item) => item.audience);
    if (!refusesPersonalization(visitor.evaluationData) || visitor.preview !== null) {
      rules.push(...registry.classificationRules);
      for (const variant of variants) rules.push(variant.rule);
    }
    const hasVisitorId = typeof visitor.evaluationData.visitorId === 'string';
    return {
      serverFacts: serverFactsRead(rules, visitor.serverFacts),
      // A profile is the visitor's own: so is what it decided. Experiments and the holdout
      // bucket by the visitor id; a preview link is one person's.
      visitorId:
        visitor.profile !== null ||
        visitor.preview !== null ||
        (hasVisitorId &&
          (experiments.length > 0 || (registry.holdout.share > 0 && variants.length > 0))),
    };
  };

  /**
   * The decision for one entry as core returned it (a single type's has no documentId), and what
   * it depended on. A collection type's entry without a documentId gets the empty decision.
   */
  const decideEntry = (
    uid: string,
    entry: Entry,
    requestedLocale: unknown,
    visitor: Visitor | null,
    origin: EventOrigin
  ) => {
    const single = strapi.getModel(uid as UID.ContentType).kind === 'singleType';
    const documentId = single
      ? null
      : typeof entry.documentId === 'string'
        ? entry.documentId
        : null;
    if (!single && documentId === null) {
      return { decision: emptyDecision(), dependence: NO_DEPENDENCE, documentId };
    }
    const locale = variantLocale(uid, entry, requestedLocale);
    return {
      decision: decideFor(uid, documentId, locale, visitor, origin),
      dependence: dependenceOf(uid, documentId, locale, visitor),
      documentId,
    };
  };

  const personalizeEntry = (...[uid, entry, ...rest]: Parameters<typeof decideEntry>) => {
    const decided = decideEntry(uid, entry, ...rest);
    return { ...decided, entry: applyDecision(entry, decided.decision) };
  };

  return {
    variantLocale,
    decideFor,
    dependenceOf,
    decideEntry,

    /**
     * After answering: the page view in the visitor's profile (with consent only), unless the
     * request said `track: false` (a prefetch) or came through a preview link. `entry`: the one entry read (its signals count);
     * null for a list.
     */
    recordView(
      visitor: Visitor | null,
      entry: { uid: string; documentId: string | null } | null,
      stage: string | null
    ) {
      if (visitor === null || visitor.preview !== null) return;
      getService(strapi, 'profiles').recordView(visitor.context, entry, stage);
    },

    /**
     * `body` is a core REST response (`{ data, meta }`, `data` one entry or a list). Returns a new
     * body with variants merged and `meta.personalization` (a list's also with its combined
     * `meta.segment`), the response's segment and what it depended on.
     */
    personalize(
      uid: string,
      body: { data: unknown; meta?: Record<string, unknown> },
      requestedLocale: unknown,
      visitor: Visitor | null,
      origin: EventOrigin
    ) {
      if (Array.isArray(body.data)) {
        const results = body.data.map((entry: Entry) =>
          personalizeEntry(uid, entry, requestedLocale, visitor, origin)
        );
        const metas = results.map(({ decision }) => personalizationMeta(decision, visitor));
        const segment = segmentOf(
          results.map(({ decision }) => decision.variant?.documentId ?? null)
        );
        return {
          body: {
            ...body,
            data: results.map(({ entry }) => entry),
            // The list's segment in the body too: browser code cannot always read headers.
            meta: { ...body.meta, personalization: metas, segment },
          },
          segment,
          dependence: combineDependences(results.map(({ dependence }) => dependence)),
          // Classification does not depend on the entry: every decision has the same stage.
          viewed: { entry: null, stage: results[0]?.decision.stage ?? null },
        };
      }
      if (typeof body.data !== 'object' || body.data === null) {
        return {
          body,
          segment: segmentOf([]),
          dependence: NO_DEPENDENCE,
          viewed: { entry: null, stage: null },
        };
      }
      const { entry, decision, dependence, documentId } = personalizeEntry(
        uid,
        body.data as Entry,
        requestedLocale,
        visitor,
        origin
      );
      const personalization = personalizationMeta(decision, visitor);
      return {
        body: { ...body, data: entry, meta: { ...body.meta, personalization } },
        segment: personalization.segment,
        dependence,
        viewed: { entry: { uid, documentId }, stage: decision.stage },
      };
    },
  };
};

/**
 * A media override comes back in the shape of the base's populated media: when the query selected
 * some file fields (`populate[cover][fields]=url`), only those.
 */
const projectMedia = (entry: Entry, overrides: Readonly<Record<string, unknown>>) => {
  let projected: Record<string, unknown> | null = null;
  for (const [name, value] of Object.entries(overrides)) {
    const base = entry[name];
    const sample = Array.isArray(base) ? base[0] : base;
    if (!isPlainObject(sample) || !(isFile(value) || (Array.isArray(value) && value.every(isFile))))
      continue;
    const keys = Object.keys(sample);
    const pick = (file: Entry) =>
      Object.fromEntries(keys.filter((key) => key in file).map((key) => [key, file[key]]));
    projected ??= { ...overrides };
    projected[name] = Array.isArray(value) ? value.map(pick) : pick(value as Entry);
  }
  return projected ?? overrides;
};

/** The entry with the decision's variant merged in (the entry itself when there is none). */
export const applyDecision = (entry: Entry, decision: Decision) =>
  decision.variant ? mergeOverrides(entry, projectMedia(entry, decision.variant.overrides)) : entry;

const isFile = (value: unknown): value is Entry => isPlainObject(value) && 'url' in value;

export default delivery;
