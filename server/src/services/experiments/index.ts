import type { Core } from '@strapi/strapi';

import { experimentLifecycle } from './lifecycle';
import { experimentPromotion } from './promote';
import { experimentResults } from './results';
import { experimentRows } from './rows';
import { experimentSchedule } from './schedule';

export type { ExperimentRow } from './rows';

/**
 * Experiments for the admin API, one module per concern: lifecycle.ts (validation and the
 * draft → running ⇄ paused → completed lifecycle), promote.ts (the winner into the base entry),
 * results.ts (statistics and sample sizes), schedule.ts (starts, ends and bandit reweighting on
 * the clock); rows.ts reads and writes the documents.
 */
const experiments = ({ strapi }: { strapi: Core.Strapi }) => {
  const rows = experimentRows(strapi);
  const results = experimentResults(strapi, { experimentRows: rows });
  const lifecycle = experimentLifecycle(strapi, { experimentRows: rows, results });
  return {
    ...lifecycle,
    ...experimentSchedule(strapi, { experimentRows: rows, lifecycle }),
    ...experimentPromotion(strapi, { experimentRows: rows }),
    results: results.results,
    sampleSize: results.sampleSize,
  };
};

export default experiments;
