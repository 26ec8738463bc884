import { SingleSelect, SingleSelectOption, Flex } from '@strapi/design-system';
import {
  deepEncodeQueryValues,
  Filters,
  Pagination,
  SearchInput,
  useField,
  useQueryParams,
} from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

/**
 * The search, filters, sort and page of a list as Strapi's list views keep them in the URL
 * (`?_q=…&filters[$and][0][field][$eq]=…&sort=field:ASC&page=2&pageSize=20`), so that a reload
 * or a shared link shows the same rows. `SearchInput`, `Filters` and the sortable headers of
 * ListTable write them; the admin API reads them in the same form.
 */
interface ListUrlQuery {
  _q?: string;
  filters?: { $and?: Record<string, Record<string, string>>[] };
  sort?: string;
  page?: string;
  pageSize?: string;
}

/** The fields a list's query (server/src/contracts `listQueryFields`) filters on. */
export type FilterField<Query extends { filters?: { $and: object[] } }> = keyof NonNullable<
  Query['filters']
>['$and'][number] &
  string;

type FieldOf<Sort> = Sort extends `${infer Field}:${string}` ? Field : never;
/** The fields a list's query sorts by (`sort=field:ASC`). */
export type SortField<Query extends { sort?: string }> = FieldOf<NonNullable<Query['sort']>>;

/** Rows per page until the editor picks another size (one of Pagination.PageSize's options). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The URL's list query as the admin API's parameters. The fetch client does not encode query
 * values, so the editor's text (a search for "R&D") is encoded here.
 */
export const useListParams = () => {
  const [{ query }] = useQueryParams<ListUrlQuery>();
  const { _q, filters, sort, page = '1', pageSize = String(DEFAULT_PAGE_SIZE) } = query;
  const searching = Boolean(_q) || Boolean(filters?.$and?.length);
  return {
    params: {
      page,
      pageSize,
      ...(_q ? { _q: encodeURIComponent(_q) } : {}),
      ...(filters?.$and?.length ? { filters: deepEncodeQueryValues(filters) } : {}),
      ...(sort ? { sort } : {}),
    },
    /** Whether a search or a filter narrows the list (an empty list is then no match, not none). */
    searching,
  };
};

/** The value of a filter on a field with known values, picked by label (and shown by it). */
const OptionInput = ({ name, options = [], 'aria-label': label }: Filters.ValueInputProps) => {
  const field = useField<string>(name);
  return (
    <SingleSelect
      aria-label={label}
      value={field.value}
      onChange={(value) => field.onChange(name, String(value))}
    >
      {options.map((option) => {
        const { value, label: text = value } =
          typeof option === 'string' ? { value: option } : option;
        return (
          <SingleSelectOption key={value} value={value}>
            {text}
          </SingleSelectOption>
        );
      })}
    </SingleSelect>
  );
};

/** A filter on a field whose values are known, each "is" or "is not" one of them. */
export const useOptionFilter = <Field extends string>() => {
  const { formatMessage } = useIntl();
  const operators = (['$eq', '$ne'] as const).map((value) => ({
    value,
    label: formatMessage({
      id: `components.FilterOptions.FILTER_TYPES.${value}`,
      defaultMessage: value === '$eq' ? 'is' : 'is not',
    }),
  }));
  return (name: Field, label: string, options: { label: string; value: string }[]) =>
    ({
      name,
      label,
      type: 'enumeration',
      options,
      operators,
      input: OptionInput,
    }) satisfies Filters.Filter;
};

/** A list's search box and filters, as the Content Manager's list view has them. */
export const ListToolbar = ({
  searchLabel,
  filters,
}: {
  searchLabel: string;
  filters: Filters.Filter[];
}) => {
  const { formatMessage } = useIntl();
  return (
    <Filters.Root options={filters}>
      <Flex gap={2} wrap="wrap">
        <SearchInput
          label={searchLabel}
          placeholder={formatMessage({ id: 'global.search', defaultMessage: 'Search' })}
        />
        <Filters.Trigger />
        <Filters.List />
      </Flex>
      <Filters.Popover />
    </Filters.Root>
  );
};

/** Page links and the page size of a list, in the URL (`page`, `pageSize`). */
export const ListPagination = ({ total, pageSize }: { total: number; pageSize: number }) => (
  <Pagination.Root
    pageCount={Math.ceil(total / pageSize)}
    total={total}
    defaultPageSize={DEFAULT_PAGE_SIZE}
  >
    <Pagination.PageSize />
    <Pagination.Links />
  </Pagination.Root>
);
