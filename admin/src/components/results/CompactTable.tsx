import { Box, Th, Thead, Tr, Typography } from '@strapi/design-system';
import styled from 'styled-components';

// The design system's table cells do not wrap: twelve headers on one line each, and a long
// variant name, would push the last columns out of view at 1440 px (more so in German).
export const WRAPPED = { whiteSpace: 'normal' } as const;

/** Half the design system's cell padding: twelve columns fit 1280 px, in German too. */
export const CompactCells = styled(Box)`
  th,
  td {
    padding-left: ${({ theme }) => theme.spaces[2]};
    padding-right: ${({ theme }) => theme.spaces[2]};
  }
`;

/** A results table's header row, each header allowed to wrap. */
export const WrappedHeaders = ({ headers }: { headers: readonly string[] }) => (
  <Thead>
    <Tr>
      {headers.map((header) => (
        <Th key={header}>
          <Typography variant="sigma" style={WRAPPED}>
            {header}
          </Typography>
        </Th>
      ))}
    </Tr>
  </Thead>
);
