import type { Core } from '@strapi/strapi';

/**
 * Runs what follows a write that already succeeded (a registry reload, removing orphans): a
 * failure is logged, never turned into a failed save, as Strapi's content-releases does in its
 * document middleware. Until the next reload of the same data, the registry serves what it had.
 */
export const afterWrite = async (
  strapi: Core.Strapi,
  what: string,
  work: () => Promise<unknown>
): Promise<void> => {
  try {
    await work();
  } catch (error) {
    strapi.log.error(
      `[personalize] ${what} failed after a successful write: ${error instanceof Error ? error.message : String(error)}`
    );
  }
};

/**
 * Runs `work` once the current database transaction commits (at once outside one), so that
 * another instance told of a write reads it. Strapi's document service commits each action
 * before its middlewares resume, but a caller may wrap several in a transaction of its own
 * (content-releases does).
 */
export const afterCommit = (strapi: Core.Strapi, work: () => void): void => {
  if (!strapi.db.inTransaction()) {
    work();
    return;
  }
  void strapi.db.transaction(({ onCommit }) => onCommit(work));
};
