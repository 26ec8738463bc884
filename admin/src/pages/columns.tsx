import type { ExperimentListItem, JourneyStage, Persona, Variant } from '../api/types';
import { StatusBadge } from '../components/ExperimentActions';
import { RuleSummary } from '../components/RuleSummary';
import { CellJson, CellNamed, textColumn, type Column } from '../components/ListTable';
import { message } from '../utils/getTranslation';

type Targeting = Persona | JourneyStage;
type Targeted = Variant | ExperimentListItem;

const named: Column<Targeting> = {
  key: 'name',
  header: message('column.name', 'Name'),
  cell: (row) => <CellNamed name={row.name} description={row.description} />,
};
const slug = textColumn<Targeting>('slug', message('column.slug', 'Slug'), (row) => row.slug);
const rule: Column<Targeting> = {
  key: 'rule',
  header: message('column.rule', 'Rule'),
  cell: (row) => <RuleSummary rule={row.rule} />,
};
const sampleContext: Column<Targeting> = {
  key: 'sampleContext',
  header: message('column.sampleContext', 'Sample context'),
  cell: (row) => <CellJson value={row.sampleContext} />,
};

export const personaColumns: Column<Persona>[] = [
  named,
  slug,
  textColumn('priority', message('column.priority', 'Priority'), (row) => row.priority),
  rule,
  sampleContext,
];

export const stageColumns: Column<JourneyStage>[] = [
  textColumn('order', message('column.order', 'Order'), (row) => row.order),
  named,
  slug,
  rule,
  sampleContext,
];

const name = textColumn<Targeted>('name', message('column.name', 'Name'), (row) => row.name);
const target = textColumn<Targeted>('target', message('column.target', 'Entry'), (row) =>
  row.targetDocumentId ? `${row.targetUid} · ${row.targetDocumentId}` : row.targetUid
);

export const variantColumns: Column<Variant>[] = [
  name,
  target,
  textColumn('locale', message('column.locale', 'Locale'), (row) => row.locale),
  textColumn('persona', message('column.persona', 'Persona'), (row) => row.persona),
  textColumn('stage', message('column.stage', 'Journey stage'), (row) => row.stage),
  textColumn('priority', message('column.priority', 'Priority'), (row) => row.priority),
  textColumn('status', message('column.status', 'Status'), (row) => row.status),
];

export const experimentColumns: Column<ExperimentListItem>[] = [
  name,
  target,
  {
    key: 'status',
    header: message('column.status', 'Status'),
    cell: (row) => <StatusBadge status={row.status} />,
  },
  textColumn('arms', message('column.arms', 'Arms'), (row) =>
    row.arms.map((arm) => `${arm.key} ${Math.round(arm.weight * 100)} %`).join(' · ')
  ),
  textColumn(
    'traffic',
    message('column.traffic', 'Traffic'),
    (row) => `${Math.round(row.trafficAllocation * 100)} %`
  ),
  textColumn('visitors', message('column.visitors', 'Visitors'), (row) =>
    row.totalVisitors.toLocaleString()
  ),
  textColumn('leadingArm', message('column.leadingArm', 'Leading arm'), (row) => row.leadingArm),
  textColumn('goal', message('column.goal', 'Goal'), (row) => row.goal),
];
