import { Badge, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';

import type { ArmResult, ExperimentMode } from '../../api/types';
import { CompactCells, WRAPPED, WrappedHeaders } from './CompactTable';
import { useT } from '../../utils/getTranslation';
import { useResultFormats } from './formats';

/** A column of the table: its header and its cell for an arm. */
interface ArmColumn {
  header: string;
  cell: (arm: ArmResult) => React.ReactNode;
}

/**
 * The results per arm; every comparison is against control, so control's own row has none.
 * A bandit's table has each arm's chance to be best instead of p-values (reweighting on the
 * data breaks their guarantees); an informational one (a secondary goal) decides nothing, so it
 * has no significance column.
 */
export const ArmsTable = ({
  arms,
  variantNames,
  mode = 'fixed',
  informational = false,
}: {
  arms: ArmResult[];
  /** Variant documentId → name. */
  variantNames: Map<string, string>;
  mode?: ExperimentMode;
  informational?: boolean;
}) => {
  const t = useT();
  const format = useResultFormats();
  const interval = (arm: ArmResult) =>
    arm.ciLow === null || arm.ciHigh === null
      ? '–'
      : `${format.percent(arm.ciLow, 2)} … ${format.percent(arm.ciHigh, 2)}`;
  const common: ArmColumn[] = [
    { header: t('results.arm', 'Arm'), cell: (arm) => arm.key },
    {
      header: t('results.variant', 'Content'),
      cell: (arm) => (
        <Typography variant="pi" style={{ ...WRAPPED, minWidth: '8rem' }}>
          {arm.variant === null
            ? t('results.base', 'Base entry')
            : (variantNames.get(arm.variant) ?? arm.variant)}
        </Typography>
      ),
    },
    {
      header:
        mode === 'bandit' ? t('results.weightNow', 'Weight now') : t('results.weight', 'Weight'),
      cell: (arm) => format.percent(arm.weight, 0),
    },
    { header: t('results.visitors', 'Visitors'), cell: (arm) => format.count(arm.visitors) },
    {
      header: t('results.conversions', 'Conversions'),
      cell: (arm) => format.count(arm.conversions),
    },
    { header: t('results.rate', 'Rate'), cell: (arm) => format.percent(arm.rate, 2) },
    { header: t('results.uplift', 'Uplift'), cell: (arm) => format.uplift(arm.uplift) },
    { header: t('results.interval', '95 % interval of the difference'), cell: interval },
  ];
  const significance: ArmColumn = {
    header: t('results.significant', 'Significant'),
    cell: (arm) =>
      arm.significant ? (
        <Badge textColor="success700" backgroundColor="success100">
          {t('results.significant', 'Significant')}
        </Badge>
      ) : (
        '–'
      ),
  };
  // A bandit's arms get no p-value, whatever the goal: the reweighting (on the primary goal)
  // breaks their guarantees for every goal counted on the same visitors.
  const columns: ArmColumn[] =
    mode === 'bandit'
      ? [
          ...common,
          ...(informational
            ? []
            : [
                {
                  header: t('results.probabilityBest', 'Probability to be best'),
                  cell: (arm: ArmResult) => format.percent(arm.probabilityBest ?? null),
                },
              ]),
        ]
      : [
          ...common,
          { header: t('results.pValue', 'p-value'), cell: (arm) => format.pValue(arm.pValue) },
          {
            header: t('results.pValueSequential', 'Sequential p-value'),
            cell: (arm) => format.pValue(arm.pValueSequential),
          },
          {
            header: t('results.chance', 'Chance to beat control'),
            cell: (arm) => format.percent(arm.chanceToBeatControl),
          },
          ...(informational ? [] : [significance]),
        ];
  const headers = columns.map((column) => column.header);
  return (
    <CompactCells>
      <Table colCount={headers.length} rowCount={arms.length + 1}>
        <WrappedHeaders headers={headers} />
        <Tbody>
          {arms.map((arm) => (
            <Tr key={arm.key}>
              {columns.map((column, index) => (
                <Td key={column.header}>
                  {index === 0 ? (
                    <Typography fontWeight="semiBold">{column.cell(arm)}</Typography>
                  ) : (
                    column.cell(arm)
                  )}
                </Td>
              ))}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </CompactCells>
  );
};
