import { Flex, Typography } from '@strapi/design-system';

import type {
  ExperimentListItem,
  Interest,
  JourneyStage,
  Persona,
  VariantListItem,
} from '../api/types';
import { RuleSummary } from '../components/RuleSummary';
import { CellJson, CellNamed, CellText, textColumn, type Column } from '../components/ListTable';
import { StatusBadge } from '../components/StatusBadge';
import { message, useT } from '../utils/getTranslation';

/** An interest's half-life, in days. */
const HalfLife = ({ days }: { days: number }) => {
  const t = useT();
  return (
    <CellText>
      {t('interest.halfLife.days', '{days, plural, one {# day} other {# days}}', { days })}
    </CellText>
  );
};

type Targeting = Persona | JourneyStage;
type Targeted = VariantListItem | ExperimentListItem;

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

export const interestColumns: Column<Interest>[] = [
  {
    key: 'name',
    header: message('column.name', 'Name'),
    cell: (row) => <CellNamed name={row.name} description={row.description} />,
  },
  textColumn('slug', message('column.slug', 'Slug'), (row) => row.slug),
  {
    key: 'halfLifeDays',
    header: message('column.halfLife', 'Half-life'),
    cell: (row) => <HalfLife days={row.halfLifeDays} />,
  },
];

/** The name wraps, so that the status, the last column, stays in view at 1280 px in German. */
const name: Column<Targeted> = {
  key: 'name',
  header: message('column.name', 'Name'),
  cell: (row) => (
    <Typography
      textColor="neutral800"
      style={{ whiteSpace: 'normal', minWidth: '8rem', maxWidth: '12rem' }}
    >
      {row.name}
    </Typography>
  ),
};
/**
 * The entry by its title (cut as the Content Manager's list cuts long values, whole on hover),
 * its content type underneath; only the type where the role may read no title.
 */
const target: Column<Targeted> = {
  key: 'target',
  header: message('column.target', 'Entry'),
  cell: ({ target: { title, contentType } }) => (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography textColor="neutral800" ellipsis maxWidth="16rem" title={title ?? undefined}>
        {title ?? contentType}
      </Typography>
      {title === null ? null : (
        <Typography variant="pi" textColor="neutral600">
          {contentType}
        </Typography>
      )}
    </Flex>
  ),
};
const status: Column<Targeted> = {
  key: 'status',
  header: message('column.status', 'Status'),
  cell: (row) => <StatusBadge status={row.status} />,
};

export const variantColumns: Column<VariantListItem>[] = [
  name,
  target,
  textColumn('locale', message('column.locale', 'Locale'), (row) => row.locale),
  textColumn('persona', message('column.persona', 'Persona'), (row) => row.personaName),
  textColumn('stage', message('column.stage', 'Journey stage'), (row) => row.stageName),
  textColumn('priority', message('column.priority', 'Priority'), (row) => row.priority),
  status,
];

export const experimentColumns: Column<ExperimentListItem>[] = [
  name,
  target,
  status,
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
