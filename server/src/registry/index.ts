import type { PersonaDefinition, StageDefinition, VariantDefinition } from '../engine/types';

/** A published variant as the registry holds it: the engine's definition plus its target. */
export interface RegisteredVariant extends VariantDefinition {
  targetUid: string;
  /** null for a single type. */
  targetDocumentId: string | null;
  locale: string;
}

const EMPTY: readonly RegisteredVariant[] = Object.freeze([]);

/** The key of one target entry in one locale. */
export const targetKey = (uid: string, documentId: string | null, locale: string) =>
  `${uid}|${documentId ?? ''}|${locale}`;

/**
 * The in-memory index the delivery resolves from: personas, stages and published variants with
 * compiled rules. No Strapi import: the services fill it, the delivery only reads it, so a
 * resolution never touches the database for targeting data.
 */
export class Registry {
  private personaList: readonly PersonaDefinition[] = EMPTY as never;
  private stageList: readonly StageDefinition[] = EMPTY as never;
  private variantsByTarget = new Map<string, readonly RegisteredVariant[]>();
  /** Content types whose variants are switched off in the settings: served as plain entries. */
  private disabledTypes: ReadonlySet<string> = new Set();
  /** Bumped on every change, so caches built on the registry know when they are stale. */
  generation = 0;

  get personas() {
    return this.personaList;
  }

  get stages() {
    return this.stageList;
  }

  variantsOf(uid: string, documentId: string | null, locale: string) {
    if (this.disabledTypes.has(uid)) return EMPTY;
    return this.variantsByTarget.get(targetKey(uid, documentId, locale)) ?? EMPTY;
  }

  isEnabled(uid: string) {
    return !this.disabledTypes.has(uid);
  }

  hasVariants(uid: string) {
    if (this.disabledTypes.has(uid)) return false;
    const prefix = `${uid}|`;
    for (const key of this.variantsByTarget.keys()) {
      if (key.startsWith(prefix)) return true;
    }
    return false;
  }

  get variantCount() {
    let count = 0;
    for (const variants of this.variantsByTarget.values()) count += variants.length;
    return count;
  }

  replaceClassification(personas: PersonaDefinition[], stages: StageDefinition[]) {
    this.personaList = Object.freeze(personas);
    this.stageList = Object.freeze(stages);
    this.generation += 1;
  }

  replaceDisabledTypes(uids: readonly string[]) {
    this.disabledTypes = new Set(uids);
    this.generation += 1;
  }

  /** Replaces every variant (a full reload). */
  replaceVariants(variants: RegisteredVariant[]) {
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
    this.generation += 1;
  }

  /** Replaces the variants of one target entry in every locale (an incremental reload). */
  replaceTarget(uid: string, documentId: string | null, variants: RegisteredVariant[]) {
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
    this.generation += 1;
  }
}
