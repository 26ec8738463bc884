import { z } from 'zod';

/** `?page=&pageSize=` of every admin list, bounded so that no offset overflows the database's integer. */
export const pageQueryFields = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
};

export const pageQuerySchema = z.strictObject(pageQueryFields);

export type Page = z.output<typeof pageQuerySchema>;

/** Strapi's `meta` of one page of a list of `total` items. */
export const pageMeta = ({ page, pageSize }: Page, total: number) => ({
  pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
});
