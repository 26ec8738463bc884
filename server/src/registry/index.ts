import type { ExperimentDefinition } from '../engine/experiments';
import { NO_HOLDOUT, type HoldoutDefinition } from '../engine/holdout';
import type { InterestDefinition, Signal } from '../engine/profiles';
import type {
  CompiledRule,
  PersonaDefinition,
  StageDefinition,
  VariantDefinition,
} from '../engine/types';

/** A published variant as the registry holds it: the engine's definition plus its target. */
export interface RegisteredVariant extends VariantDefinition {
  targetUid: string;
  /** null for a single type. */
  targetDocumentId: string | null;
  locale: string;
}

/** A running experiment, or a completed one with a winner, as the registry holds it. */
export interface RegisteredExperiment extends ExperimentDefinition {
  targetUid: string;
  /** null for a single type. */
  targetDocumentId: string | null;
  /** When it started: events dated earlier are refused. */
  startedAt: string | null;
  /** When it ended (completed ones), for the order among several completed experiments. */
  endedAt: string | null;
  /** Goals besides `goal` whose conversions it records (shown, never deciding). */
  secondaryGoals: readonly string[];
  /** A bandit's visitors keep the arm of their first exposure when its weights change. */
  mode: 'fixed' | 'bandit';
  /** A bandit whose weights changed since it started: its visitors' first arms are looked up. */
  reweighted: boolean;
}

/** An entry's signals, by `uid|documentId` (documentId empty for a single type). */
export const signalKey = (uid: string, documentId: string | null) => `${uid}|${documentId ?? ''}`;

const EMPTY: readonly RegisteredVariant[] = Object.freeze([]);
const NO_SIGNALS: readonly Signal[] = Object.freeze([]);
const NO_EXPERIMENTS: readonly RegisteredExperiment[] = Object.freeze([]);

/** The key of one target entry in one locale. */
export const targetKey = (uid: string, documentId: string | null, locale: string) =>
  `${uid}|${documentId ?? ''}|${locale}`;

/**
 * The in-memory index the delivery resolves from: personas, stages and published variants with
 * compiled rules. No Strapi import: the services fill it, the delivery only reads it, so a
 * resolution never touches the database for targeting data.
 */
export class Registry {
  private personaList: readonly PersonaDefinition[] = [];
  private stageList: readonly StageDefinition[] = [];
  private classificationRuleList: readonly CompiledRule[] = [];
  private variantsByTarget = new Map<string, readonly RegisteredVariant[]>();
  /** By `uid|documentId` (every locale): running first, then completed ones, latest first. */
  private experimentsByTarget = new Map<string, readonly RegisteredExperiment[]>();
  private experimentsByKey = new Map<string, RegisteredExperiment>();
  private reweightedBanditList: readonly RegisteredExperiment[] = NO_EXPERIMENTS;
  /** Content types whose variants are switched off in the settings: served as plain entries. */
  private disabledTypes: ReadonlySet<string> = new Set();
  private holdoutDefinition: HoldoutDefinition = NO_HOLDOUT;
  private interestList: readonly InterestDefinition[] = [];
  private interestsBySlug = new Map<string, InterestDefinition>();
  private signalsByEntry = new Map<string, readonly Signal[]>();
  private changeCount = 0;

  /** Counts every replacement: what is derived from the whole registry (the snapshot) is kept per generation. */
  get generation() {
    return this.changeCount;
  }

  /** The global holdout (share 0: off). */
  get holdout() {
    return this.holdoutDefinition;
  }

  replaceHoldout(holdout: HoldoutDefinition) {
    this.changeCount++;
    this.holdoutDefinition = holdout.share > 0 ? Object.freeze({ ...holdout }) : NO_HOLDOUT;
  }

  get interests() {
    return this.interestList;
  }

  interest(slug: string) {
    return this.interestsBySlug.get(slug);
  }

  /** What reading this entry adds to the reader's interests. */
  signalsOf(uid: string, documentId: string | null) {
    return this.signalsByEntry.get(signalKey(uid, documentId)) ?? NO_SIGNALS;
  }

  /** Interests and every entry's signals (they change together: a signal names an interest). */
  replaceInterests(
    interests: InterestDefinition[],
    signals: { uid: string; documentId: string | null; signal: Signal }[]
  ) {
    this.changeCount++;
    this.interestList = Object.freeze(interests);
    this.interestsBySlug = new Map(interests.map((interest) => [interest.slug, interest]));
    const byEntry = new Map<string, Signal[]>();
    for (const { uid, documentId, signal } of signals) {
      if (!this.interestsBySlug.has(signal.interest)) continue;
      const key = signalKey(uid, documentId);
      const list = byEntry.get(key);
      if (list) list.push(signal);
      else byEntry.set(key, [signal]);
    }
    this.signalsByEntry = new Map(
      [...byEntry].map(([key, list]) => [key, Object.freeze(list)] as const)
    );
  }

  get personas() {
    return this.personaList;
  }

  get stages() {
    return this.stageList;
  }

  /** The rules of every persona and stage: any decision may have evaluated them. */
  get classificationRules() {
    return this.classificationRuleList;
  }

  /** Published variants held (the benchmark checks the registry holds every one). */
  get variantCount() {
    let count = 0;
    for (const list of this.variantsByTarget.values()) count += list.length;
    return count;
  }

  variantsOf(uid: string, documentId: string | null, locale: string) {
    if (this.disabledTypes.has(uid)) return EMPTY;
    return this.variantsByTarget.get(targetKey(uid, documentId, locale)) ?? EMPTY;
  }

  /** Experiments that may decide for this entry and locale, in the order they are tried. */
  experimentsOf(uid: string, documentId: string | null, locale: string) {
    if (this.disabledTypes.has(uid)) return NO_EXPERIMENTS;
    const all = this.experimentsByTarget.get(`${uid}|${documentId ?? ''}`);
    if (!all) return NO_EXPERIMENTS;
    return all.filter((experiment) => experiment.locale === null || experiment.locale === locale);
  }

  /** A running or completed-with-winner experiment by key (events name experiments by key). */
  experiment(key: string) {
    return this.experimentsByKey.get(key);
  }

  /** Running bandits whose weights changed: their visitors' first arms are looked up. */
  get reweightedBandits() {
    return this.reweightedBanditList;
  }

  get experiments(): Iterable<RegisteredExperiment> {
    return this.experimentsByKey.values();
  }

  replaceExperiments(experiments: RegisteredExperiment[]) {
    this.changeCount++;
    const rank = (experiment: RegisteredExperiment) => (experiment.status === 'running' ? 0 : 1);
    const sorted = experiments
      .slice()
      .sort((a, b) => rank(a) - rank(b) || (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
    const byTarget = new Map<string, RegisteredExperiment[]>();
    for (const experiment of sorted) {
      const key = `${experiment.targetUid}|${experiment.targetDocumentId ?? ''}`;
      const list = byTarget.get(key);
      if (list) list.push(experiment);
      else byTarget.set(key, [experiment]);
    }
    this.experimentsByTarget = new Map(
      [...byTarget].map(([key, list]) => [key, Object.freeze(list)] as const)
    );
    this.experimentsByKey = new Map(sorted.map((experiment) => [experiment.key, experiment]));
    this.reweightedBanditList = Object.freeze(
      sorted.filter((experiment) => experiment.status === 'running' && experiment.reweighted)
    );
  }

  isEnabled(uid: string) {
    return !this.disabledTypes.has(uid);
  }

  replaceClassification(personas: PersonaDefinition[], stages: StageDefinition[]) {
    this.changeCount++;
    this.personaList = Object.freeze(personas);
    this.stageList = Object.freeze(stages);
    this.classificationRuleList = [...personas, ...stages].flatMap((item) =>
      item.rule ? [item.rule] : []
    );
  }

  replaceDisabledTypes(uids: readonly string[]) {
    this.changeCount++;
    this.disabledTypes = new Set(uids);
  }

  /** Replaces every variant (a full reload). */
  replaceVariants(variants: RegisteredVariant[]) {
    this.changeCount++;
    const byTarget = new Map<string, RegisteredVariant[]>();
    for (const variant of variants) {
      const key = targetKey(variant.targetUid, variant.targetDocumentId, variant.locale);
      const list = byTarget.get(key);
      if (list) list.push(variant);
      else byTarget.set(key, [variant]);
    }
    this.variantsByTarget = new Map(
      [...byTarget].map(([key, list]) => [key, Object.freeze(list)] as const)
    );
  }

  /** Published variants by entry and locale, of the types switched on. */
  *targets(): Iterable<{
    uid: string;
    documentId: string | null;
    locale: string;
    variants: readonly RegisteredVariant[];
  }> {
    for (const variants of this.variantsByTarget.values()) {
      const [{ targetUid: uid, targetDocumentId: documentId, locale }] = variants;
      if (this.isEnabled(uid)) yield { uid, documentId, locale, variants };
    }
  }

  /** Replaces the variants of one target entry in every locale (an incremental reload). */
  replaceTarget(uid: string, documentId: string | null, variants: RegisteredVariant[]) {
    this.changeCount++;
    const prefix = targetKey(uid, documentId, '');
    for (const key of [...this.variantsByTarget.keys()]) {
      if (key.startsWith(prefix)) this.variantsByTarget.delete(key);
    }
    for (const variant of variants) {
      const key = targetKey(uid, documentId, variant.locale);
      this.variantsByTarget.set(
        key,
        Object.freeze([...this.variantsOf(uid, documentId, variant.locale), variant])
      );
    }
  }
}
