import type { Knex } from 'knex';

import type { RegisteredExperiment } from '../../registry';

/** Where events come from: the request that sent them, or whose delivery recorded an exposure. */
export interface EventOrigin {
  /** The client address as Strapi sees it (`ctx.ip`, which honours the app's proxy settings); null for the plugin's own code. */
  address: string | null;
  /** Whether they spend that address's event budget: not with an API token that is not read-only. */
  budgeted: boolean;
  /**
   * Whether the events it sends are vouched for (a full-access API token: a backend confirming a
   * purchase; the plugin's own code). Exposures the delivery records never are: whoever asks for
   * a page chooses the visitor id in its context.
   */
  trusted: boolean;
}

/** The plugin's own code (seeds, imports): trusted, from no address, spending no budget. */
export const SYSTEM_ORIGIN: EventOrigin = { address: null, budgeted: false, trusted: true };

export interface ExposureRow {
  experiment: string;
  arm: string;
  visitor_hash: string;
  exposed_at: Date;
  day: string;
  source: string | null;
  trusted: boolean;
}

export interface ConversionRow {
  experiment: string;
  goal: string;
  arm: string;
  visitor_hash: string;
  converted_at: Date;
  day: string;
  source: string | null;
  trusted: boolean;
  received_minute: number;
}

/** Rows per INSERT: well under SQLite's bound-variable limit, large enough to be fast. */
export const INSERT_CHUNK = 500;
export const DAY_MS = 24 * 60 * 60_000;

/** The UTC calendar date of `date`, YYYY-MM-DD. */
export const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** A stored datetime as the database driver returns it (a Date, ms since the epoch or a string). */
export const timeOf = (value: unknown) =>
  value instanceof Date ? value.getTime() : new Date(value as string | number).getTime();

/** One visitor's exposure in one experiment: the exposures table's unique key. */
export const exposureKey = (experiment: string, visitorHash: string) =>
  `${experiment}|${visitorHash}`;

/** Why an event dated `at` cannot belong to the experiment: before it started or after it ended. */
export const outsideRun = (experiment: RegisteredExperiment, at: Date): string | null => {
  if (experiment.startedAt && at.getTime() < new Date(experiment.startedAt).getTime())
    return `dated before the experiment "${experiment.key}" started (${experiment.startedAt})`;
  if (experiment.endedAt && at.getTime() > new Date(experiment.endedAt).getTime())
    return `dated after the experiment "${experiment.key}" ended (${experiment.endedAt})`;
  return null;
};

/** An exposure at `at`; `source` is null for trusted senders (see visitor-hash.ts). */
export const exposureRow = (
  experiment: RegisteredExperiment,
  arm: string,
  visitorHash: string,
  at: Date,
  source: string | null,
  trusted: boolean
): ExposureRow => ({
  experiment: experiment.documentId,
  arm,
  visitor_hash: visitorHash,
  exposed_at: at,
  day: dayOf(at),
  source: trusted ? null : source,
  trusted,
});

/** The unique key of a row, as `insertNew` reports it. */
const keyOf = (row: Record<string, unknown>, conflict: string[]) =>
  conflict.map((column) => String(row[column])).join('|');

/**
 * Inserts rows, skipping those whose unique key exists; returns the keys actually inserted.
 * PostgreSQL and SQLite say which rows they inserted (`RETURNING`). MySQL and MariaDB do not:
 * there the keys that exist are read first with `FOR UPDATE`, whose locks (gap locks for absent
 * keys) keep another instance from inserting them before this transaction ends.
 */
export const insertNew = async <Row extends object>(
  trx: Knex | Knex.Transaction,
  table: string,
  rows: Row[],
  conflict: string[]
): Promise<Set<string>> => {
  const inserted = new Set<string>();
  const returns = trx.client.dialect !== 'mysql';
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK) as Record<string, unknown>[];
    if (returns) {
      const returned = (await trx(table)
        .insert(chunk)
        .onConflict(conflict)
        .ignore()
        .returning(conflict)) as Record<string, unknown>[];
      for (const row of returned) inserted.add(keyOf(row, conflict));
      continue;
    }
    const values = chunk.map((row) => conflict.map((column) => row[column])) as Knex.Value[][];
    const existing = (await trx(table)
      .select(conflict)
      .whereIn(conflict, values)
      .forUpdate()) as Record<string, unknown>[];
    const taken = new Set(existing.map((row) => keyOf(row, conflict)));
    await trx(table).insert(chunk).onConflict(conflict).ignore();
    for (const row of chunk) {
      const key = keyOf(row, conflict);
      // The first of a key within the chunk is the one inserted.
      if (!taken.has(key)) inserted.add(key);
      taken.add(key);
    }
  }
  return inserted;
};

/**
 * A transaction the database ended to resolve a lock conflict: on MySQL/MariaDB a deadlock victim
 * (errno 1213) or a lock wait that timed out (1205), on PostgreSQL a deadlock (SQLSTATE 40P01).
 */
const isLockConflict = (error: unknown) => {
  const { errno, code } = (error ?? {}) as { errno?: unknown; code?: unknown };
  return errno === 1213 || errno === 1205 || code === '40P01';
};

/**
 * Runs a transaction again when InnoDB ended it as a deadlock victim, as its manual says to:
 * batches that share absent keys take gap locks (`insertNew`) and may wait on each other when
 * instances ingest them at once. At most `attempts` times, after a short random pause.
 */
export const retryingLockConflicts = async <T>(
  work: () => Promise<T>,
  attempts = 5
): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
};
