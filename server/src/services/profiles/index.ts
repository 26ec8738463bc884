import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import type { ProfileFacts } from '../../contracts';
import {
  interestScores,
  mergeProfile,
  topInterestOf,
  type Profile,
  type ProfileChange,
  type ProfileRules,
  type ProfileUse,
  type TraitValue,
  type VisitorContext,
} from '../../engine';
import { getService } from '../../utils/get-service';
import { PROFILES_PER_MESSAGE } from '../cluster';
import { DAY_MS } from '../events/rows';
import { profileStore } from './store';

/** What a profile adds to one request's decision. */
export interface ProfileInput {
  /** The request's context completed from the profile. */
  context: VisitorContext;
  use: ProfileUse;
  /** The furthest stage reached, when stages are sticky. */
  stageReached: string | null;
  /** The visitor's HMAC key, under which the request's own view is recorded. */
  visitorHash: string;
}

/** A context whose visitor gave consent to be remembered: a visitor id and `consent.personalization: true`. */
export const consentsToProfile = (
  context: Pick<VisitorContext, 'visitorId' | 'consent'>
): context is { visitorId: string } & VisitorContext =>
  typeof context.visitorId === 'string' &&
  context.visitorId !== '' &&
  context.consent?.personalization === true;

/**
 * Visitor profiles (docs/privacy.md): for consenting visitors only, keyed by the HMAC of the
 * visitor id. The delivery completes a request's context from the profile and records the view
 * after answering; events and trusted backends (API tokens, a CDP) record the rest.
 */
const profiles = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const options = config.profiles;
  const visitGapMs = options.visitGapMinutes * 60_000;
  const registry = () => getService(strapi, 'registryLoader').registry;
  const hashVisitor = (visitorId: string) => getService(strapi, 'events').hashVisitor(visitorId);

  const rules = (): ProfileRules => {
    const { stages } = registry();
    return {
      visitGapMs,
      halfLifeDays: (slug) => registry().interest(slug)?.halfLifeDays,
      stageOrder: (slug) => stages.find((stage) => stage.slug === slug)?.order,
    };
  };

  const store = profileStore(strapi, {
    rules,
    cacheSize: options.cacheSize,
    cacheTtlMs: config.syncIntervalMs,
    copies: getService(strapi, 'cluster').copies('profile'),
    copyTtlMs: config.profileRetentionDays * DAY_MS,
    async written(hashes) {
      const cluster = getService(strapi, 'cluster');
      for (let start = 0; start < hashes.length; start += PROFILES_PER_MESSAGE) {
        await cluster.publish({
          kind: 'profiles',
          visitors: hashes.slice(start, start + PROFILES_PER_MESSAGE),
        });
      }
    },
  });

  const personalDataKeys = new Set(options.personalDataKeys.map((key) => key.toLowerCase()));

  return {
    enabled: options.enabled,

    /**
     * The context completed from the visitor's profile; null without consent, without a profile
     * or with profiles off (then the request decides on its own context, as without profiles).
     */
    async complete(context: VisitorContext, now: number): Promise<ProfileInput | null> {
      if (!options.enabled || !consentsToProfile(context)) return null;
      const visitorHash = hashVisitor(context.visitorId);
      let profile: Profile | null;
      try {
        profile = await store.read(visitorHash);
      } catch (error) {
        // The content is still served, decided on the request's own context.
        strapi.log.warn(`[personalize] reading a visitor profile failed: ${String(error)}`);
        return null;
      }
      if (profile === null) return null;
      const merged = mergeProfile(context, profile, {
        interests: registry().interests,
        now,
        visitGapMs,
        topInterestThreshold: options.topInterestThreshold,
      });
      return {
        ...merged,
        stageReached: config.stages.sticky ? profile.stageReached : null,
        visitorHash,
      };
    },

    /**
     * After a delivery answered: a page view of the entry (its signals add interest points) and
     * the stage it was decided for. Written behind; nothing for visitors without consent.
     */
    recordView(
      context: VisitorContext,
      entry: { uid: string; documentId: string | null } | null,
      stage: string | null,
      at = Date.now()
    ) {
      if (!options.enabled || !consentsToProfile(context)) return;
      store.record(hashVisitor(context.visitorId), [
        {
          kind: 'view',
          at,
          signals: entry ? registry().signalsOf(entry.uid, entry.documentId) : [],
          stage,
        },
      ]);
    },

    /**
     * Records changes by visitor id and waits until they are written (events, trusted APIs): the
     * caller answers only once nothing it accepted can be lost.
     */
    async recordNow(changes: ReadonlyMap<string, readonly ProfileChange[]>) {
      if (!options.enabled || changes.size === 0) return;
      for (const [visitorId, list] of changes) store.record(hashVisitor(visitorId), list);
      await store.flush();
    },

    /** Trait keys refused as personal data (`profiles.personalDataKeys`), unless allowed. */
    personalDataIn(traits: Record<string, TraitValue>): string[] {
      if (options.allowPersonalData) return [];
      return Object.keys(traits).filter((key) => personalDataKeys.has(key.toLowerCase()));
    },

    /** The profile as the admin shows it (interest scores decayed to `now`); null: none. */
    async describe(visitorId: string, now = Date.now()): Promise<ProfileFacts | null> {
      const profile = await store.read(hashVisitor(visitorId));
      if (profile === null) return null;
      const interests = interestScores(profile, registry().interests, now);
      return {
        firstSeen: new Date(profile.firstSeen).toISOString(),
        lastSeen: new Date(profile.lastSeen).toISOString(),
        visits: profile.visits,
        pageViews: profile.pageViews,
        events: Object.fromEntries(
          Object.entries(profile.events).map(([name, { count, last }]) => [
            name,
            { count, last: new Date(last).toISOString() },
          ])
        ),
        interests: { ...interests },
        topInterest: topInterestOf(interests, options.topInterestThreshold),
        traits: { ...profile.traits },
        stageReached: profile.stageReached,
      };
    },

    /** Erasure: the visitor's profile. Returns how many rows were deleted (0 or 1). */
    erase: (visitorId: string) => store.erase(hashVisitor(visitorId)),

    /** Deletes profiles unseen for `profileRetentionDays` (the daily retention job). */
    purgeExpired: (now = new Date()) =>
      store.purgeUnseenSince(new Date(now.getTime() - config.profileRetentionDays * DAY_MS)),

    /** Drops cached copies another instance changed (null: every copy). */
    forget: store.forget,

    get cachedCount() {
      return store.cachedCount;
    },

    /** Writes what is pending before the database closes (a failure is logged where it happens). */
    stop: () => store.flush().catch(() => undefined),
  };
};

export default profiles;
