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
import { useIntl, type MessageDescriptor } from 'react-intl';

import type { Lists } from '../api/types';
import { useList } from '../api/useList';
import { message } from '../utils/getTranslation';

export interface Column<Row> {
  key: string;
  header: MessageDescriptor;
  /** `position` tells where the row is: a first row cannot move up, a last one down. */
  cell: (row: Row, position: { index: number; count: number }) => ReactNode;
}

interface ListTableProps<Name extends keyof Lists> {
  list: Name;
  columns: Column<Lists[Name]>[];
  /** Shown instead of the table when the list is empty. */
  empty: MessageDescriptor;
  /** Opens a row (its editor), when given. */
  onRowClick?: (row: Lists[Name]) => void;
  /** Changing it loads the list again. */
  reloadKey?: number;
}

/** One of the plugin's admin lists as a design-system table, with loading, error and empty states. */
export const ListTable = <Name extends keyof Lists>({
  list,
  columns,
  empty,
  onRowClick,
  reloadKey = 0,
}: ListTableProps<Name>) => {
  const { formatMessage } = useIntl();
  const state = useList(list, reloadKey);

  if (state.status === 'loading') {
    return <Loader small>{formatMessage(message('list.loading', 'Loading…'))}</Loader>;
  }
  if (state.status === 'error') {
    return (
      <Typography textColor="danger600" role="alert">
        {formatMessage(message('list.error', 'This list could not be loaded.'))}
      </Typography>
    );
  }
  if (state.items.length === 0) {
    return (
      <EmptyStateLayout icon={<EmptyDocuments width="16rem" />} content={formatMessage(empty)} />
    );
  }
  return (
    <Table colCount={columns.length} rowCount={state.items.length + 1}>
      <Thead>
        <Tr>
          {columns.map((column) => (
            <Th key={column.key}>
              <Typography variant="sigma" textColor="neutral600">
                {formatMessage(column.header)}
              </Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {state.items.map((row, index) => (
          <Tr
            // A variant's document has a row per locale: the pair names one.
            key={'locale' in row ? `${row.documentId}:${row.locale}` : row.documentId}
            onClick={onRowClick ? () => onRowClick(row) : undefined}
            style={onRowClick ? { cursor: 'pointer' } : undefined}
          >
            {columns.map((column) => (
              <Td key={column.key}>{column.cell(row, { index, count: state.items.length })}</Td>
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

/** A name with its description underneath, as the Content Manager lists show secondary text. */
export const CellNamed = ({ name, description }: { name: string; description: string | null }) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography textColor="neutral800" fontWeight="semiBold">
      {name}
    </Typography>
    {description ? (
      <Typography variant="pi" textColor="neutral600">
        {description}
      </Typography>
    ) : null}
  </Flex>
);

/** A JSON value (a rule, a sample context) on one line, in full on hover. */
export const CellJson = ({ value }: { value: unknown }) => {
  if (value === null || value === undefined) {
    return <CellText>{null}</CellText>;
  }
  const json = JSON.stringify(value);
  return (
    <Typography
      variant="pi"
      textColor="neutral700"
      ellipsis
      title={json}
      style={{ fontFamily: 'monospace', maxWidth: '14rem', display: 'block' }}
    >
      {json}
    </Typography>
  );
};
