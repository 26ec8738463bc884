import type { z } from 'zod';

import type { FilterCondition } from '../contracts';
import { messageOf } from '../engine/messages';
import type { DocumentFilter } from './content-access';
import { refuse } from './validation';

/** The search, filters and sort of an admin list query (contracts/common.ts `listQueryFields`). */
export interface ListQuery<Filterable extends string, Sortable extends string> {
  _q?: string;
  filters?: { $and: Partial<Record<Filterable, FilterCondition>>[] };
  sort?: `${Sortable}:${'ASC' | 'DESC'}`;
}

/** The fields a parsed list query may filter on (`Filter`) and sort by (`Sort`). */
export type FilterField<Query> = Query extends ListQuery<infer Field, string> ? Field : never;
export type SortField<Query> = Query extends ListQuery<string, infer Field> ? Field : never;

/** A condition's value, and whether the field must equal it (`$eq`) or differ from it (`$ne`). */
export const conditionValue = (condition: FilterCondition) =>
  '$eq' in condition
    ? { equal: true, value: condition.$eq }
    : { equal: false, value: condition.$ne };

/**
 * Every document that matches all of `filters`. Strapi's filter type of types outside the app's
 * generated registry applies the attribute index signature to `$and` as well, so a logical group
 * does not type-check unasserted (as in content-access.ts).
 */
export const allOf = (filters: DocumentFilter[]): DocumentFilter =>
  ({ $and: filters }) as DocumentFilter;

/** Every document that matches one of `filters` at least (the same type assertion as `allOf`). */
export const anyOf = (filters: DocumentFilter[]): DocumentFilter =>
  ({ $or: filters }) as DocumentFilter;

/** A filter's value that must be one of `schema`'s (a status): 400 naming the condition otherwise. */
export const enumValue = <Value extends string>(
  schema: z.ZodEnum<{ [Key in Value]: Key }>,
  value: string,
  path: string[]
): Value => {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    refuse(messageOf('field.oneOf', { options: schema.options.join(', ') }), path);
  return parsed.data;
};

/**
 * The document-service filters of a list query: its search in `name` and each of its conditions,
 * translated by `filterFor` (which knows the list's fields), to be met all at once.
 */
const queryFilters = async <Filterable extends string>(
  query: Pick<ListQuery<Filterable, string>, '_q' | 'filters'>,
  filterFor: (
    field: Filterable,
    condition: FilterCondition,
    path: string[]
  ) => DocumentFilter | Promise<DocumentFilter>
): Promise<DocumentFilter[]> => {
  const conditions = (query.filters?.$and ?? []).flatMap((item, index) =>
    (Object.entries(item) as [Filterable, FilterCondition][]).map(([field, condition]) =>
      filterFor(field, condition, ['filters', '$and', String(index), field])
    )
  );
  return [
    ...(query._q ? [{ name: { $containsi: query._q } }] : []),
    ...(await Promise.all(conditions)),
  ];
};

/**
 * The document service's sort for a list query's `field:ASC|DESC`, each field by its attribute
 * path (`persona.name`), before the list's own order, which breaks ties and stays the default.
 */
const querySort = <Sortable extends string>(
  sort: ListQuery<string, Sortable>['sort'],
  paths: Record<Sortable, string>,
  defaultOrder: string[]
): string[] => {
  if (!sort) return defaultOrder;
  const [field, direction] = sort.split(':') as [Sortable, 'ASC' | 'DESC'];
  return [`${paths[field]}:${direction.toLowerCase()}`, ...defaultOrder];
};

/**
 * The document service's `filters`, `sort`, `start` and `limit` for one page of a list: the
 * documents the role may read (`readable`) that meet the query's search and conditions (each
 * translated by `filterFor`), sorted by the query's column (its attribute path in `sortPaths`)
 * and then by `defaultOrder`.
 */
export const listPageArguments = async <Filterable extends string, Sortable extends string>(
  query: ListQuery<Filterable, Sortable> & { page: number; pageSize: number },
  readable: DocumentFilter,
  {
    filterFor,
    sortPaths,
    defaultOrder,
  }: {
    filterFor: (
      field: Filterable,
      condition: FilterCondition,
      path: string[]
    ) => DocumentFilter | Promise<DocumentFilter>;
    sortPaths: Record<Sortable, string>;
    defaultOrder: string[];
  }
) => ({
  filters: allOf([readable, ...(await queryFilters(query, filterFor))]),
  sort: querySort(query.sort, sortPaths, defaultOrder),
  start: (query.page - 1) * query.pageSize,
  limit: query.pageSize,
});
