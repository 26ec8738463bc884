import { z } from 'zod';

import { MESSAGES, refinement } from '../engine/messages';

/**
 * Pieces every area's contract uses: the fields naming a target entry, page queries and Strapi's
 * response envelopes.
 */

/** A JSON-logic rule as the admin API returns it (validated on save by engine/rules.ts). */
export const jsonLogicRuleSchema = z.union([
  z.record(z.string(), z.unknown()),
  z.boolean(),
  z.null(),
]);
export type JsonLogicRule = z.infer<typeof jsonLogicRuleSchema>;

/**
 * What editors call a persona, stage, variant or experiment. Messages of the contracts are
 * MESSAGES' (engine/messages.ts), which the admin translates; zod's own checks are worded there.
 */
export const name = z.string().trim().min(1, MESSAGES['field.notEmpty']).max(120);

/**
 * A message to editors: the English text and, for one of engine/messages.ts' MESSAGES, its id
 * and values, which the admin translates.
 */
export const messageSchema = z.strictObject({
  message: z.string(),
  messageId: z.string().optional(),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const targetUid = z.string().min(1).max(256);
/** Null (or absent) for a single type. */
export const targetDocumentId = z.string().min(1).max(64).nullable().optional();
export const locale = z.string().min(1).max(35);

/** `?page=&pageSize=` of every admin list, bounded so that no offset overflows the database's integer. */
export const pageQueryFields = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
};

export const pageQuerySchema = z.strictObject(pageQueryFields);

export type Page = z.output<typeof pageQuerySchema>;

/** A condition of a list filter: the field is, or is not, the value. */
const filterConditionSchema = z.union([
  z.strictObject({ $eq: z.string().max(256) }),
  z.strictObject({ $ne: z.string().max(256) }),
]);
export type FilterCondition = z.infer<typeof filterConditionSchema>;

type SortValue<Field extends string> = `${Field}:${'ASC' | 'DESC'}`;

/** `field:ASC` and `field:DESC` of each field, for the refusal to list them. */
const sortValues = <Field extends string>(fields: readonly [Field, ...Field[]]) =>
  fields.flatMap((field) => [`${field}:ASC`, `${field}:DESC`]) as [
    SortValue<Field>,
    ...SortValue<Field>[],
  ];

/**
 * The page, search, filters and sort of an admin list, in the form Strapi's list views write
 * them (`SearchInput`, `Filters`, sortable table headers) and its Content Manager API reads them:
 * `?_q=…&filters[$and][0][field][$eq]=…&sort=field:ASC`. `_q` searches names; `filters` and
 * `sort` name only the `filterable` and `sortable` fields of the list.
 */
export const listQueryFields = <Filterable extends string, Sortable extends string>(
  filterable: readonly [Filterable, ...Filterable[]],
  sortable: readonly [Sortable, ...Sortable[]]
) => ({
  ...pageQueryFields,
  _q: z.string().trim().max(120).optional(),
  filters: z
    .strictObject({
      $and: z
        .array(
          // One field per condition, as Filters writes them.
          z
            .partialRecord(z.enum(filterable), filterConditionSchema)
            .refine((condition) => Object.keys(condition).length === 1, refinement('field.invalid'))
        )
        .max(10),
    })
    .optional(),
  sort: z.enum(sortValues(sortable)).optional(),
});

export const paginationSchema = z.strictObject({
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
  total: z.number().int(),
});

/** One page of a list in Strapi's `{ data, meta: { pagination } }` shape. */
export const listResponseSchema = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({ data: z.array(item), meta: z.strictObject({ pagination: paginationSchema }) });

export interface ListResponse<Item> {
  data: Item[];
  meta: { pagination: z.infer<typeof paginationSchema> };
}

/** The fields Strapi's document service adds to every document. */
export const documentFields = {
  id: z.number().int(),
  documentId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
