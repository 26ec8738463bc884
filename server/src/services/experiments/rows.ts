import type { Core } from '@strapi/strapi';

import { EXPERIMENT_UID } from '../../constants';
import type { BanditWeights, Experiment, ExperimentMode, ExperimentStatus } from '../../contracts';
import { messageOf } from '../../engine/messages';
import type { ExperimentArm } from '../../engine/types';
import { targetRefOf, type ContentAccess, type ContentAction } from '../../utils/content-access';
import { storedRule } from '../../utils/stored-rule';
import { throwNotFound } from '../../utils/validation';

/** An experiment as the document service returns it. */
export interface ExperimentRow {
  id: number;
  documentId: string;
  name: string;
  key: string;
  targetUid: string;
  targetDocumentId: string | null;
  locale: string | null;
  status: ExperimentStatus;
  arms: ExperimentArm[];
  trafficAllocation: number | string;
  audience: unknown;
  goal: string;
  secondaryGoals: string[] | null;
  mode: ExperimentMode | null;
  startAt: string | null;
  endAt: string | null;
  /** Bandits: every reweighting, oldest first. */
  weightHistory: BanditWeights[] | null;
  seed: string;
  startedAt: string | null;
  endedAt: string | null;
  winner: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields of an experiment that name its entry. */
type TargetFields = Pick<ExperimentRow, 'targetUid' | 'targetDocumentId' | 'locale'>;

/** Date-times in one form whatever the database returned (SQLite: epoch milliseconds). */
export const isoOrNull = (value: string | number | Date | null | undefined) =>
  value === null || value === undefined ? null : new Date(value).toISOString();

/** Decimal columns come back as strings from some databases. */
export const present = (row: ExperimentRow): Experiment => ({
  id: row.id,
  documentId: row.documentId,
  name: row.name,
  key: row.key,
  targetUid: row.targetUid,
  targetDocumentId: row.targetDocumentId ?? null,
  locale: row.locale ?? null,
  status: row.status,
  arms: row.arms,
  trafficAllocation: Number(row.trafficAllocation ?? 1),
  audience: storedRule(row.audience),
  goal: row.goal,
  secondaryGoals: row.secondaryGoals ?? [],
  mode: row.mode ?? 'fixed',
  startAt: isoOrNull(row.startAt),
  endAt: isoOrNull(row.endAt),
  seed: row.seed,
  startedAt: row.startedAt ?? null,
  endedAt: row.endedAt ?? null,
  winner: row.winner ?? null,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export { refuse } from '../../utils/validation';

/** Reading and writing experiment documents, with the role's access to their entry checked. */
export const experimentRows = (strapi: Core.Strapi) => {
  const documents = () => strapi.documents(EXPERIMENT_UID);

  const findRow = async (documentId: string) => {
    const row = (await documents().findOne({ documentId })) as ExperimentRow | null;
    if (!row) throwNotFound(messageOf('notFound.experiment', { documentId }));
    return row;
  };

  /** 403 unless the role may `action` the experiment's entry (in every locale when it has none). */
  const assertTarget = (access: ContentAccess, action: ContentAction, row: TargetFields) =>
    access.assertEntry(action, targetRefOf(row));

  /** The experiment, after checking that the role may `action` its entry. */
  const rowFor = async (access: ContentAccess, action: ContentAction, documentId: string) => {
    const row = await findRow(documentId);
    await assertTarget(access, action, row);
    return row;
  };

  // The document middleware reloads the registry's experiments after every write.
  const write = async (documentId: string, data: Record<string, unknown>) => {
    const updated = (await documents().update({
      documentId,
      data,
    })) as ExperimentRow;
    return present(updated);
  };

  return { documents, findRow, assertTarget, rowFor, write };
};

export type ExperimentRows = ReturnType<typeof experimentRows>;
