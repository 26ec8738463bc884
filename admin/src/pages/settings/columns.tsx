import type { JourneyStage, Persona } from '../../api/types';
import { CellJson, CellNamed, CellText, type Column } from '../../components/ListTable';
import { message } from '../../utils/getTranslation';

/** Columns personas and journey stages share. */
const named: Column<Persona | JourneyStage>[] = [
  {
    key: 'name',
    header: message('column.name', 'Name'),
    cell: (row) => <CellNamed name={row.name} description={row.description} />,
  },
  {
    key: 'slug',
    header: message('column.slug', 'Slug'),
    cell: (row) => <CellText>{row.slug}</CellText>,
  },
];

const targeting: Column<Persona | JourneyStage>[] = [
  {
    key: 'rule',
    header: message('column.rule', 'Rule'),
    cell: (row) => <CellJson value={row.rule} />,
  },
  {
    key: 'sampleContext',
    header: message('column.sampleContext', 'Sample context'),
    cell: (row) => <CellJson value={row.sampleContext} />,
  },
];

export const personaColumns: Column<Persona>[] = [
  ...named,
  {
    key: 'priority',
    header: message('column.priority', 'Priority'),
    cell: (row) => <CellText>{row.priority}</CellText>,
  },
  ...targeting,
];

export const stageColumns: Column<JourneyStage>[] = [
  {
    key: 'order',
    header: message('column.order', 'Order'),
    cell: (row) => <CellText>{row.order}</CellText>,
  },
  ...named,
  ...targeting,
];
