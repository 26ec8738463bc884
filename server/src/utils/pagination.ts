import type { Page } from '../contracts';

/** Strapi's `meta` of one page of a list of `total` items. */
export const pageMeta = ({ page, pageSize }: Page, total: number) => ({
  pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
});
