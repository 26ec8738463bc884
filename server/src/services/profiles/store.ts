import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';

import {
  applyProfileChange,
  emptyProfile,
  type Profile,
  type ProfileChange,
  type ProfileRules,
} from '../../engine';
import { PROFILES_TABLE } from '../../models/profiles';
import type { SharedCopies } from '../cluster';
import { retryingLockConflicts, timeOf } from '../events/rows';

/** How long changes wait in memory before they are written (one batch for all visitors). */
export const PROFILE_FLUSH_MS = 100;
/** Profiles deleted per statement by retention. */
const PURGE_CHUNK = 500;
/** Pending visitors that make a flush start at once. */
const FLUSH_AT = 500;
/** Rows per statement: SQLite allows at most 500 terms in the compound SELECT knex inserts with. */
const CHUNK = 250;
/** After a failed write, the next attempt (the changes stay pending meanwhile). */
const RETRY_MS = 1_000;

const chunksOf = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, index) =>
    items.slice(index * CHUNK, (index + 1) * CHUNK)
  );

interface ProfileRow {
  visitor_hash: string;
  first_seen: unknown;
  last_seen: unknown;
  visits: number;
  page_views: number;
  stage_reached: string | null;
  data: string;
  version: number;
}

/** The JSON column: what has no column of its own. */
type ProfileData = Pick<Profile, 'lastViewAt' | 'events' | 'interests' | 'traits'>;

const fromRow = (row: ProfileRow): Profile | null => {
  // A row inserted as a placeholder by a flush that then failed holds no profile yet.
  if (row.data === '') return null;
  const data = JSON.parse(row.data) as ProfileData;
  return {
    ...emptyProfile(timeOf(row.first_seen)),
    lastSeen: timeOf(row.last_seen),
    visits: Number(row.visits),
    pageViews: Number(row.page_views),
    stageReached: row.stage_reached,
    lastViewAt: data.lastViewAt,
    events: Object.assign(Object.create(null), data.events) as Profile['events'],
    interests: Object.assign(Object.create(null), data.interests) as Profile['interests'],
    traits: Object.assign(Object.create(null), data.traits) as Profile['traits'],
  };
};

/** A profile as JSON (a copy in Redis) and back, with the null prototypes restored. */
const profileText = (profile: Profile) => JSON.stringify(profile);
const profileOfText = (text: string): Profile => {
  const parsed = JSON.parse(text) as Profile;
  return {
    ...parsed,
    events: Object.assign(Object.create(null), parsed.events) as Profile['events'],
    interests: Object.assign(Object.create(null), parsed.interests) as Profile['interests'],
    traits: Object.assign(Object.create(null), parsed.traits) as Profile['traits'],
  };
};

const toColumns = (profile: Profile) => {
  const data: ProfileData = {
    lastViewAt: profile.lastViewAt,
    events: profile.events,
    interests: profile.interests,
    traits: profile.traits,
  };
  return {
    first_seen: new Date(profile.firstSeen),
    last_seen: new Date(profile.lastSeen),
    visits: profile.visits,
    page_views: profile.pageViews,
    stage_reached: profile.stageReached,
    data: JSON.stringify(data),
  };
};

/**
 * Profiles in the plugin's table behind an in-memory LRU, with write-behind batching: a change is
 * applied to the cached copy at once and written within PROFILE_FLUSH_MS, in one transaction for
 * every visitor changed meanwhile. The write re-reads each row under a lock and applies the
 * changes to it (they add up), so instances writing the same profile lose nothing. Once written,
 * other instances are told to drop their copies (`written`). With Redis, a copy of each profile
 * written is kept there too (`copies`), read before the database when this instance has none.
 */
export const profileStore = (
  strapi: Core.Strapi,
  {
    rules,
    cacheSize,
    cacheTtlMs,
    copies,
    copyTtlMs,
    written,
  }: {
    rules: () => ProfileRules;
    cacheSize: number;
    /** Bounds a cached copy's staleness when no message says another instance changed it. */
    cacheTtlMs: number;
    /** Shared copies (Redis), or null. */
    copies: SharedCopies | null;
    /** How long a copy outlives its last write (the profile's retention). */
    copyTtlMs: number;
    written: (visitorHashes: string[]) => Promise<void>;
  }
) => {
  const knex = () => strapi.db.connection;
  /** Visitor hash → profile as this instance knows it (pending changes applied); null: none. */
  const cache = new LRUCache<string, { profile: Profile | null }>({
    max: cacheSize,
    ...(cacheTtlMs > 0 ? { ttl: cacheTtlMs } : {}),
  });
  const loading = new Map<string, Promise<Profile | null>>();
  let pending = new Map<string, ProfileChange[]>();
  /** The changes being written now (a read meanwhile cannot tell whether its row has them). */
  let writing = new Map<string, ProfileChange[]>();
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const applyAll = (profile: Profile | null, changes: readonly ProfileChange[]) => {
    let next = profile;
    const current = rules();
    for (const change of changes) next = applyProfileChange(next, change, current);
    return next;
  };

  const selectRows = async (db: Knex | Knex.Transaction, hashes: string[], lock: boolean) => {
    const rows: ProfileRow[] = [];
    for (const chunk of chunksOf(hashes)) {
      // In key order: instances locking overlapping visitors take the locks in the same order.
      const query = db(PROFILES_TABLE)
        .select('*')
        .whereIn('visitor_hash', chunk)
        .orderBy('visitor_hash');
      // SQLite has no row locks: its transactions are serialized already.
      if (lock && strapi.db.dialect.client !== 'sqlite') query.forUpdate();
      rows.push(...((await query) as ProfileRow[]));
    }
    return rows;
  };

  const retryLater = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => void flush().catch(() => undefined), RETRY_MS);
    timer.unref();
  };

  /**
   * Writes every pending change; on failure they stay pending, a retry is scheduled, and the
   * error is thrown to whoever waits for this write.
   */
  const write = async () => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    writing = batch;
    const hashes = [...batch.keys()].sort();
    let stored = new Map<string, { profile: Profile | null; version: number }>();
    try {
      await retryingLockConflicts(() =>
        knex().transaction(async (trx) => {
          const now = new Date();
          // Rows first, so that every instance then locks and updates an existing one.
          for (const chunk of chunksOf(hashes)) {
            await trx(PROFILES_TABLE)
              .insert(
                chunk.map((visitor_hash) => ({
                  visitor_hash,
                  first_seen: now,
                  last_seen: now,
                  visits: 0,
                  page_views: 0,
                  data: '',
                  version: 0,
                }))
              )
              .onConflict('visitor_hash')
              .ignore();
          }
          stored = new Map();
          for (const row of await selectRows(trx, hashes, true)) {
            const profile = applyAll(fromRow(row), batch.get(row.visitor_hash) ?? []);
            const version = Number(row.version) + 1;
            stored.set(row.visitor_hash, { profile, version });
            if (profile) {
              await trx(PROFILES_TABLE)
                .where({ visitor_hash: row.visitor_hash })
                .update({ ...toColumns(profile), version });
            }
          }
        })
      );
    } catch (error) {
      // Kept for the next flush, before anything recorded since.
      for (const [hash, changes] of pending)
        batch.set(hash, [...(batch.get(hash) ?? []), ...changes]);
      pending = batch;
      writing = new Map();
      strapi.log.warn(
        `[personalize] writing ${hashes.length} visitor profiles failed, retrying in ${RETRY_MS} ms: ${String(error).slice(0, 300)}`
      );
      retryLater();
      throw error;
    }
    for (const [hash, { profile }] of stored) {
      // What the database now holds, plus what was recorded meanwhile.
      cache.set(hash, { profile: applyAll(profile, pending.get(hash) ?? []) });
    }
    writing = new Map();
    if (copies) {
      for (const [hash, { profile, version }] of stored) {
        if (profile) await copies.put(hash, version, profileText(profile), copyTtlMs);
      }
    }
    await written(hashes);
  };

  /** One flush at a time, each after the one before; rejects when its write failed. */
  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const run = flushing.then(write);
    flushing = run.catch(() => undefined);
    return run;
  }

  const schedule = () => {
    if (pending.size === FLUSH_AT) void flush().catch(() => undefined);
    else if (timer === undefined) {
      timer = setTimeout(() => void flush().catch(() => undefined), PROFILE_FLUSH_MS);
      timer.unref();
    }
  };

  const load = async (hash: string): Promise<Profile | null> => {
    const copy = await copies?.get(hash);
    if (copy) return profileOfText(copy);
    const [row] = await selectRows(knex(), [hash], false);
    return row ? fromRow(row) : null;
  };

  return {
    /** The visitor's profile with every change recorded here; null when there is none. */
    async read(hash: string): Promise<Profile | null> {
      const cached = cache.get(hash);
      if (cached) return cached.profile;
      let loaded = loading.get(hash);
      if (!loaded) {
        loaded = load(hash).finally(() => loading.delete(hash));
        loading.set(hash, loaded);
      }
      const stored = await loaded;
      // A write that finished meanwhile cached what it wrote.
      const meanwhile = cache.get(hash);
      if (meanwhile) return meanwhile.profile;
      const inFlight = writing.get(hash);
      if (inFlight) {
        // Not cached: the row read may or may not have these changes; the write caches the truth.
        return applyAll(stored, [...inFlight, ...(pending.get(hash) ?? [])]);
      }
      const profile = applyAll(stored, pending.get(hash) ?? []);
      cache.set(hash, { profile });
      return profile;
    },

    /** Records changes: visible here at once, written within PROFILE_FLUSH_MS. */
    record(hash: string, changes: readonly ProfileChange[]) {
      if (changes.length === 0) return;
      const list = pending.get(hash);
      if (list) list.push(...changes);
      else pending.set(hash, [...changes]);
      const cached = cache.peek(hash);
      if (cached) cache.set(hash, { profile: applyAll(cached.profile, changes) });
      schedule();
    },

    flush,

    /** Drops cached copies (null: all): another instance wrote them. */
    forget(hashes: readonly string[] | null) {
      if (hashes === null) cache.clear();
      else for (const hash of hashes) cache.delete(hash);
    },

    /** Erasure: the profile and anything pending for it. Returns whether a row was deleted. */
    async erase(hash: string) {
      await flush();
      pending.delete(hash);
      cache.delete(hash);
      const deleted = await knex()(PROFILES_TABLE).where({ visitor_hash: hash }).del();
      await copies?.remove([hash]);
      await written([hash]);
      return deleted;
    },

    /** Retention: profiles unseen since `cutoff`, with their copies. */
    async purgeUnseenSince(cutoff: Date) {
      await flush();
      let deleted = 0;
      for (;;) {
        const hashes = (
          (await knex()(PROFILES_TABLE)
            .select('visitor_hash')
            .where('last_seen', '<', cutoff)
            .limit(PURGE_CHUNK)) as { visitor_hash: string }[]
        ).map((row) => row.visitor_hash);
        if (hashes.length === 0) return deleted;
        deleted += await knex()(PROFILES_TABLE)
          .whereIn('visitor_hash', hashes)
          .where('last_seen', '<', cutoff)
          .del();
        await copies?.remove(hashes);
        for (const hash of hashes) cache.delete(hash);
        await written(hashes);
      }
    },

    /** How many profiles this instance holds in memory (the bench reports it). */
    get cachedCount() {
      return cache.size;
    },
  };
};

export type ProfileStore = ReturnType<typeof profileStore>;
