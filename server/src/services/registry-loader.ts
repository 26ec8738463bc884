import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

import type { Core, Modules, UID } from '@strapi/strapi';

import {
  EXPERIMENT_UID,
  INTEREST_UID,
  PERSONA_UID,
  PLUGIN_ID,
  SIGNAL_UID,
  STAGE_UID,
  VARIANT_UID,
} from '../constants';
import { compileRule, NEVER } from '../engine';
import type { CompiledRule, PersonaDefinition, Rule, StageDefinition } from '../engine/types';
import { Registry, type RegisteredExperiment, type RegisteredVariant } from '../registry';
import type { Change, ChangedTarget, ChangeMessage } from './cluster';
import type { ExperimentRow } from './experiments';
import { afterCommit, afterWrite } from '../utils/after-write';
import { getService } from '../utils/get-service';
import { storedRule } from '../utils/stored-rule';
import { targetContentType } from '../utils/targets';
import { VARIANT_POPULATE, variantTargeting, type VariantRow } from '../utils/variant-rows';

const VERSION_KEY = 'registry-version';

/** An interest's half-life when its row has none (the schema's default). */
const DEFAULT_HALF_LIFE_DAYS = 30;

interface SignalRow {
  targetUid: string;
  targetDocumentId: string | null;
  interest: string;
  points: number;
}

/** Set while the loader writes its own version token: that write is not a change to announce. */
const writingVersion = new AsyncLocalStorage<true>();

/** How long after a base-content write its announcement waits, so that one save sends one. */
const CONTENT_ANNOUNCE_DELAY_MS = 5;

/**
 * Fills the in-memory registry from the database and keeps it current: a full load at bootstrap,
 * an incremental reload after each write (see document-middleware.ts), and, for several instances
 * sharing one database, the changes of the others: each write is announced with a message naming
 * what changed (services/cluster) and a new shared version token, which every instance also polls
 * every `syncIntervalMs` as the safety net.
 */
const registryLoader = ({ strapi }: { strapi: Core.Strapi }) => {
  const registry = new Registry();
  const bulk = new AsyncLocalStorage<{ dirty: boolean }>();
  const pluginStore = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });
  let seenVersion: unknown = null;
  let timer: NodeJS.Timeout | undefined;
  let defaultLocale = 'en';

  /** A stored rule that no longer validates never matches: an old row must not break delivery. */
  const compile = (rule: Rule, owner: string): CompiledRule | null => {
    try {
      return compileRule(storedRule(rule), {
        onError: (error) =>
          strapi.log.warn(
            `[personalize] the rule of ${owner} failed and counts as false: ${String(error)}`
          ),
      });
    } catch (error) {
      strapi.log.warn(
        `[personalize] the rule of ${owner} is invalid and never matches: ${String(error)}`
      );
      return NEVER;
    }
  };

  const toVariants = async (rows: VariantRow[]): Promise<RegisteredVariant[]> => {
    const overrides = getService(strapi, 'overrides');
    const known = rows.filter((row) => targetContentType(strapi, row.targetUid));
    const files = await overrides.loadFiles(
      known.flatMap((row) =>
        overrides.fileIds(row.targetUid as UID.ContentType, row.overrides ?? {})
      )
    );
    const variants: RegisteredVariant[] = [];
    for (const row of known) {
      variants.push({
        ...variantTargeting(row),
        rule: compile(row.rule, `variant "${row.name}"`),
        createdAt: new Date(row.createdAt).toISOString(),
        overrides: Object.freeze(
          await overrides.shape(row.targetUid as UID.ContentType, row.overrides ?? {}, files)
        ),
      });
    }
    return variants;
  };

  const findPublishedVariants = (
    filters: Modules.Documents.Params.Filters.Any<typeof VARIANT_UID> = {}
  ) =>
    strapi.documents(VARIANT_UID).findMany({
      status: 'published',
      locale: '*',
      filters,
      populate: VARIANT_POPULATE,
    }) as Promise<VariantRow[]>;

  /** Personas, stages, interests and entries' signals: what classifies and profiles visitors. */
  const loadClassification = async () => {
    const [personas, stages, interests, signals] = await Promise.all([
      strapi.documents(PERSONA_UID).findMany({}),
      strapi.documents(STAGE_UID).findMany({}),
      strapi.documents(INTEREST_UID).findMany({ fields: ['slug', 'halfLifeDays'] }),
      strapi.db.query(SIGNAL_UID).findMany({}) as Promise<SignalRow[]>,
    ]);
    registry.replaceInterests(
      interests.map((interest) => ({
        slug: interest.slug,
        halfLifeDays: interest.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
      })),
      signals.map((row) => ({
        uid: row.targetUid,
        documentId: row.targetDocumentId ?? null,
        signal: { interest: row.interest, points: row.points },
      }))
    );
    registry.replaceClassification(
      personas.map(
        (persona): PersonaDefinition => ({
          slug: persona.slug,
          name: persona.name,
          priority: persona.priority ?? 0,
          rule: compile(persona.rule, `persona "${persona.slug}"`),
        })
      ),
      stages.map(
        (stage): StageDefinition => ({
          slug: stage.slug,
          name: stage.name,
          order: stage.order,
          rule: compile(stage.rule, `stage "${stage.slug}"`),
        })
      )
    );
  };

  /** Running experiments, and completed ones with a winner (they still serve it). */
  const loadExperiments = async () => {
    const rows = (await strapi.documents(EXPERIMENT_UID).findMany({
      filters: {
        $or: [{ status: 'running' }, { status: 'completed', winner: { $notNull: true } }],
      },
    })) as ExperimentRow[];
    registry.replaceExperiments(
      rows.map(
        (row): RegisteredExperiment => ({
          documentId: row.documentId,
          key: row.key,
          seed: row.seed,
          locale: row.locale ?? null,
          status: row.status === 'running' ? 'running' : 'completed',
          winner: row.winner ?? null,
          arms: row.arms,
          trafficAllocation: Number(row.trafficAllocation ?? 1),
          audience:
            row.audience === null || row.audience === undefined
              ? null
              : compile(row.audience, `the audience of experiment "${row.key}"`),
          goal: row.goal,
          secondaryGoals: row.secondaryGoals ?? [],
          mode: row.mode ?? 'fixed',
          reweighted: row.mode === 'bandit' && (row.weightHistory?.length ?? 0) > 1,
          targetUid: row.targetUid,
          targetDocumentId: row.targetDocumentId ?? null,
          startedAt: row.startedAt ? new Date(row.startedAt).toISOString() : null,
          endedAt: row.endedAt ?? null,
        })
      )
    );
  };

  const reloadAll = async () => {
    const locale = await strapi.plugin('i18n')?.service('locales')?.getDefaultLocale?.();
    if (typeof locale === 'string') defaultLocale = locale;
    const settings = getService(strapi, 'settings');
    registry.replaceDisabledTypes(await settings.disabledContentTypes());
    registry.replaceHoldout(await settings.holdout());
    await loadClassification();
    registry.replaceVariants(await toVariants(await findPublishedVariants()));
    await loadExperiments();
    // Answers kept from the registry as it was (utils/repeatable-responses.ts) go with it.
    getService(strapi, 'contentCache').clear();
  };

  const reloadTargets = async (targets: ChangedTarget[]) => {
    const seen = new Set<string>();
    for (const { uid, documentId } of targets) {
      const key = `${uid}|${documentId ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const rows = await findPublishedVariants({
        targetUid: uid,
        targetDocumentId: documentId === null ? { $null: true } : documentId,
      });
      registry.replaceTarget(uid, documentId, await toVariants(rows));
    }
  };

  /**
   * Reloads what a change names into this instance's registry, then empties the content cache:
   * what it kept may be the changed content, or answers decided with the registry as it was (the
   * cache was emptied when the write committed, but a request may have been answered in between).
   */
  const reload = async (change: Change) => {
    if (change.kind === 'targets') await reloadTargets(change.targets);
    else if (change.kind === 'experiments') await loadExperiments();
    else if (change.kind === 'classification' || change.kind === 'all') await reloadAll();
    getService(strapi, 'contentCache').clear();
  };

  /**
   * Tells other instances: a new version token (what the poll compares), then, once the write
   * committed, the message. This instance does not take its own token as seen: another instance
   * may have written one just before, unseen here, that this one overwrote; so its next poll
   * reloads everything once.
   */
  const announce = async (change: Change) => {
    const version = randomUUID();
    await writingVersion.run(true, () => pluginStore().set({ key: VERSION_KEY, value: version }));
    afterCommit(strapi, () => void getService(strapi, 'cluster').publish(change, version));
  };

  const reloadEverything = async () => {
    await reloadAll();
    // Profile messages may have been missed too.
    getService(strapi, 'profiles').forget(null);
  };

  const poll = async () => {
    try {
      const version = await pluginStore().get({ key: VERSION_KEY });
      if (version !== null && version !== seenVersion) {
        seenVersion = version;
        await reloadEverything();
      }
    } catch (error) {
      strapi.log.warn(`[personalize] registry sync failed, retrying: ${String(error)}`);
    }
  };

  /** Inside `bulk()`: notes that its end must reload and announce everything. */
  const markDirtyInBulk = () => {
    const state = bulk.getStore();
    if (state) state.dirty = true;
    return state !== undefined;
  };

  /** A write of this instance changed `change`: reload it here and tell the others. */
  const changed = async (change: Change) => {
    if (markDirtyInBulk()) return;
    await reload(change);
    await announce(change);
  };

  /** Base content writes waiting to be announced (one save writes many rows). */
  let contentAnnouncement: NodeJS.Timeout | undefined;

  return {
    /** The in-memory registry itself, which the delivery reads. */
    registry,
    get defaultLocale() {
      return defaultLocale;
    },

    async start() {
      seenVersion = await pluginStore().get({ key: VERSION_KEY });
      await reloadAll();
      await getService(strapi, 'cluster').start({
        // Another instance's change: reload the part it names, as the writer did.
        apply: async ({ change, version }: ChangeMessage) => {
          if (change.kind === 'profiles') {
            getService(strapi, 'profiles').forget(change.visitors);
            return;
          }
          await reload(change);
          if (version !== undefined) seenVersion = version;
        },
        reloadAll: reloadEverything,
      });
      const { syncIntervalMs } = strapi.config.get(`plugin::${PLUGIN_ID}`) as {
        syncIntervalMs: number;
      };
      // A timer, not a cron job: a heartbeat of a few seconds (in ms) that keeps this instance's
      // registry coherent with others, not work due at a time of day.
      if (syncIntervalMs > 0) {
        timer = setInterval(() => void poll(), syncIntervalMs);
        timer.unref();
      }
    },

    stop() {
      clearInterval(timer);
      clearTimeout(contentAnnouncement);
    },

    reloadAll,

    /**
     * Reloads now if another instance wrote since this one last heard (the poll, awaited): for
     * reads that must be current wherever they land, such as the edge snapshot.
     */
    catchUp: poll,

    /** Variant rows (any status) as the engine takes them: rules compiled, overrides shaped. */
    toVariants,

    /** Personas or stages changed: their slugs may appear in any variant, so reload everything. */
    classificationChanged: () => changed({ kind: 'classification' }),

    /** Content types were switched on or off. */
    settingsChanged: () => changed({ kind: 'all' }),

    /** An experiment was created, changed state or was deleted. */
    experimentsChanged: () => changed({ kind: 'experiments' }),

    /** Variants of these targets changed. */
    targetsChanged: async (targets: ChangedTarget[]) => {
      if (targets.length > 0) await changed({ kind: 'targets', targets });
    },

    /**
     * A database write that may change what the content cache holds (base entries, permissions,
     * tokens): only other instances need to hear of it, once for all the rows of one save.
     */
    contentChanged() {
      if (writingVersion.getStore() || markDirtyInBulk() || contentAnnouncement) return;
      contentAnnouncement = setTimeout(() => {
        contentAnnouncement = undefined;
        void afterWrite(strapi, 'announcing the change', () => announce({ kind: 'content' }));
      }, CONTENT_ANNOUNCE_DELAY_MS);
    },

    /** Runs many writes (a seed, an import) with one reload at the end instead of one per write. */
    async bulk<T>(work: () => Promise<T>): Promise<T> {
      const state = { dirty: false };
      try {
        return await bulk.run(state, work);
      } finally {
        if (state.dirty) {
          await afterWrite(strapi, 'reloading the registry', async () => {
            await reloadAll();
            await announce({ kind: 'all' });
          });
        }
      }
    },
  };
};

export default registryLoader;
