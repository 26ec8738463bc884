import type { ReactNode } from 'react';

import {
  EmptyStateLayout,
  Flex,
  Loader,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Table as ListViewTable } from '@strapi/strapi/admin';
import { useIntl, type MessageDescriptor } from 'react-intl';

import { useRequestErrors, type RequestError } from '../api/errors';
import type { ListPage } from '../api/personalizeApi';
import { useT } from '../utils/getTranslation';

export interface Column<Row> {
  key: string;
  header: MessageDescriptor;
  /** `position` tells where the row is: a first row cannot move up, a last one down. */
  cell: (row: Row, position: { index: number; count: number }) => ReactNode;
}

/** A row of one of the plugin's lists: a document, per locale for variants and experiments. */
interface ListRow {
  documentId: string;
  locale?: string | null;
}

/** A list's query: what one of the data layer's list hooks returns, e.g. `useGetPersonasQuery()`. */
export interface ListQuery<Row> {
  data?: ListPage<Row>;
  isLoading: boolean;
  isError: boolean;
  error?: RequestError;
}

interface ListTableProps<Row extends ListRow> {
  query: ListQuery<Row>;
  columns: Column<Row>[];
  /** Shown instead of the table when the list is empty. */
  empty: MessageDescriptor;
  /** Opens a row (its editor), when given. */
  onRowClick?: (row: Row) => void;
  /**
   * The keys of the columns the server sorts by: their headers sort the list, as the Content
   * Manager's do (`?sort=key:ASC` in the URL, see ListControls.tsx).
   */
  sortable?: readonly string[];
}

/** One of the plugin's admin lists as a design-system table, with loading, error and empty states. */
export const ListTable = <Row extends ListRow>({
  query,
  columns,
  empty,
  onRowClick,
  sortable = [],
}: ListTableProps<Row>) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const { describe } = useRequestErrors();

  if (query.isLoading) {
    return <Loader small>{t('list.loading', 'Loading…')}</Loader>;
  }
  if (query.isError || !query.data) {
    return (
      <Typography textColor="danger600" role="alert">
        {t('list.error', 'This list could not be loaded.')}
        {query.error ? ` ${describe(query.error)}` : null}
      </Typography>
    );
  }
  const { items } = query.data;
  if (items.length === 0) {
    return (
      <EmptyStateLayout icon={<EmptyDocuments width="16rem" />} content={formatMessage(empty)} />
    );
  }
  return (
    <Table colCount={columns.length} rowCount={items.length + 1}>
      <Thead>
        <Tr>
          {columns.map((column) =>
            sortable.includes(column.key) ? (
              // The Content Manager's header: a click sorts by the column, a second one reverses.
              <ListViewTable.HeaderCell
                key={column.key}
                name={column.key}
                label={formatMessage(column.header)}
                sortable
              />
            ) : (
              <Th key={column.key}>
                <Typography variant="sigma" textColor="neutral600">
                  {formatMessage(column.header)}
                </Typography>
              </Th>
            )
          )}
        </Tr>
      </Thead>
      <Tbody>
        {items.map((row, index) => (
          <Tr
            // A variant's document has a row per locale: the pair names one.
            key={row.locale ? `${row.documentId}:${row.locale}` : row.documentId}
            onClick={onRowClick ? () => onRowClick(row) : undefined}
            style={onRowClick ? { cursor: 'pointer' } : undefined}
          >
            {columns.map((column) => (
              <Td key={column.key}>{column.cell(row, { index, count: items.length })}</Td>
            ))}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

/** A plain table cell text; empty values show as a dash. */
export const CellText = ({ children }: { children: ReactNode }) => (
  <Typography textColor="neutral800">{children ?? '–'}</Typography>
);

/** A column whose cell is plain text taken from the row. */
export const textColumn = <Row,>(
  key: string,
  header: MessageDescriptor,
  text: (row: Row) => ReactNode
): Column<Row> => ({ key, header, cell: (row) => <CellText>{text(row)}</CellText> });

/**
 * Text in a cell wrapped to at most three lines, in full on hover. The design system's table
 * cells do not wrap, so a long rule or description would push the columns after it out of view.
 */
export const CellClamped = ({
  children,
  title,
  monospace = false,
}: {
  children: ReactNode;
  title?: string;
  monospace?: boolean;
}) => (
  <Typography
    variant="pi"
    textColor="neutral700"
    title={title}
    style={{
      whiteSpace: 'normal',
      overflowWrap: 'anywhere',
      minWidth: '8rem',
      maxWidth: '24rem',
      display: '-webkit-box',
      WebkitBoxOrient: 'vertical',
      WebkitLineClamp: 3,
      overflow: 'hidden',
      ...(monospace ? { fontFamily: 'monospace' } : {}),
    }}
  >
    {children}
  </Typography>
);

/** A name with its description underneath, as the Content Manager lists show secondary text. */
export const CellNamed = ({ name, description }: { name: string; description: string | null }) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography textColor="neutral800" fontWeight="semiBold">
      {name}
    </Typography>
    {description ? <CellClamped title={description}>{description}</CellClamped> : null}
  </Flex>
);

/** A JSON value (a sample context), wrapped to three lines, in full on hover. */
export const CellJson = ({ value }: { value: unknown }) => {
  if (value === null || value === undefined) {
    return <CellText>{null}</CellText>;
  }
  const json = JSON.stringify(value);
  return (
    <CellClamped monospace title={json}>
      {json}
    </CellClamped>
  );
};
