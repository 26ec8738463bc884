import type { Core, UID } from '@strapi/strapi';

import { INTEREST_UID, PERSONA_UID, STAGE_UID } from '../constants';
import type { Page } from '../contracts';
import { pageMeta } from '../utils/pagination';
import { withStoredRule } from '../utils/stored-rule';

interface ListDefinition {
  uid: UID.ContentType;
  sort: string[];
  /** Its documents have a JSON-logic rule, read back as written. */
  ruled: boolean;
}

/** What each admin list returns, in the order editors expect to read it. */
const LISTS = {
  personas: { uid: PERSONA_UID, sort: ['priority:desc', 'name:asc'], ruled: true },
  stages: { uid: STAGE_UID, sort: ['order:asc', 'name:asc'], ruled: true },
  interests: { uid: INTEREST_UID, sort: ['name:asc'], ruled: false },
} satisfies Record<string, ListDefinition>;

/** Variants and experiments have their own services: they are listed by target, with more. */
export type ListName = keyof typeof LISTS;

/** Read-only lists of the plugin's documents for the admin, in Strapi's `{ data, meta }` shape. */
const catalog = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(name: ListName, page: Page) {
    const { uid, ruled, ...params }: ListDefinition = LISTS[name];
    // The draft row is a document's editable version; types without draft & publish have only that.
    const documents = strapi.documents(uid);
    const [data, total] = await Promise.all([
      documents.findMany({
        ...params,
        status: 'draft',
        start: (page.page - 1) * page.pageSize,
        limit: page.pageSize,
      }),
      documents.count({ status: 'draft' }),
    ]);
    return {
      data: ruled ? data.map((row) => withStoredRule(row)) : data,
      meta: pageMeta(page, total),
    };
  },
});

export default catalog;
