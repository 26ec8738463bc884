import { Badge, Box, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import styled from 'styled-components';

import type { ArmResult } from '../../api/types';
import { useT } from '../../utils/getTranslation';
import { useResultFormats } from './formats';

// The design system's table cells do not wrap: twelve headers on one line each, and a long
// variant name, would push the last columns out of view at 1440 px (more so in German).
const WRAPPED = { whiteSpace: 'normal' } as const;

/** Half the design system's cell padding: twelve columns fit 1280 px, in German too. */
const CompactCells = styled(Box)`
  th,
  td {
    padding-left: ${({ theme }) => theme.spaces[2]};
    padding-right: ${({ theme }) => theme.spaces[2]};
  }
`;

/** The results per arm; every comparison is against control, so control's own row has none. */
export const ArmsTable = ({
  arms,
  variantNames,
}: {
  arms: ArmResult[];
  /** Variant documentId → name. */
  variantNames: Map<string, string>;
}) => {
  const t = useT();
  const format = useResultFormats();
  const headers = [
    t('results.arm', 'Arm'),
    t('results.variant', 'Content'),
    t('results.weight', 'Weight'),
    t('results.visitors', 'Visitors'),
    t('results.conversions', 'Conversions'),
    t('results.rate', 'Rate'),
    t('results.uplift', 'Uplift'),
    t('results.interval', '95 % interval of the difference'),
    t('results.pValue', 'p-value'),
    t('results.pValueSequential', 'Sequential p-value'),
    t('results.chance', 'Chance to beat control'),
    t('results.significant', 'Significant'),
  ];
  return (
    <CompactCells>
      <Table colCount={headers.length} rowCount={arms.length + 1}>
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
        <Tbody>
          {arms.map((arm) => (
            <Tr key={arm.key}>
              <Td>
                <Typography fontWeight="semiBold">{arm.key}</Typography>
              </Td>
              <Td>
                <Typography variant="pi" style={{ ...WRAPPED, minWidth: '8rem' }}>
                  {arm.variant === null
                    ? t('results.base', 'Base entry')
                    : (variantNames.get(arm.variant) ?? arm.variant)}
                </Typography>
              </Td>
              <Td>{format.percent(arm.weight, 0)}</Td>
              <Td>{format.count(arm.visitors)}</Td>
              <Td>{format.count(arm.conversions)}</Td>
              <Td>{format.percent(arm.rate, 2)}</Td>
              <Td>{format.uplift(arm.uplift)}</Td>
              <Td>
                {arm.ciLow === null || arm.ciHigh === null
                  ? '–'
                  : `${format.percent(arm.ciLow, 2)} … ${format.percent(arm.ciHigh, 2)}`}
              </Td>
              <Td>{format.pValue(arm.pValue)}</Td>
              <Td>{format.pValue(arm.pValueSequential)}</Td>
              <Td>{format.percent(arm.chanceToBeatControl)}</Td>
              <Td>
                {arm.significant ? (
                  <Badge textColor="success700" backgroundColor="success100">
                    {t('results.significant', 'Significant')}
                  </Badge>
                ) : (
                  '–'
                )}
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </CompactCells>
  );
};
