import type { ReactNode } from 'react';

import {
  Alert,
  Badge,
  Box,
  DatePicker,
  EmptyStateLayout,
  Field,
  Flex,
  Grid,
  LinkButton,
  Loader,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Tr,
  Typography,
} from '@strapi/design-system';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { useIntl } from 'react-intl';
import { NavLink, useSearchParams } from 'react-router-dom';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { useRequestErrors } from '../api/errors';
import {
  useGetJourneyStagesQuery,
  useGetPersonalizeImpactQuery,
  useGetPersonasQuery,
} from '../api/personalizeApi';
import type { ImpactGoal, ImpactReport, ImpactSegment, PopulationCounts } from '../api/types';
import { CompactCells, WRAPPED, WrappedHeaders } from '../components/results/CompactTable';
import { useResultFormats } from '../components/results/formats';
import { SectionTitle } from '../components/SectionTitle';
import { PLUGIN_ID } from '../pluginId';
import { useT } from '../utils/getTranslation';
import {
  cumulativeImpactSeries,
  dayForPicker,
  FEW_CONVERSIONS,
  FEW_VISITORS,
  impactVerdict,
  pickedDay,
} from '../utils/impact';

const ALL_GOALS = '*';
const SETTINGS_PATH = `/settings/${PLUGIN_ID}/content-types`;

/** The personalized population in the primary colour, the holdout in neutral grey. */
const COLORS = { personalized: '#4945ff', holdout: '#8e8ea9' };

/** The impact report's numbers in the admin's language, with uplifts in percentage points. */
const useImpactFormats = () => {
  const t = useT();
  const { formatNumber } = useIntl();
  const format = useResultFormats();
  const points = (value: number | null) =>
    value === null
      ? '–'
      : t('impact.points', '{value} pp', {
          value: formatNumber(value * 100, {
            minimumFractionDigits: 1,
            maximumFractionDigits: 1,
            signDisplay: 'exceptZero',
          }),
        });
  const pointsInterval = (ci: [number, number] | null) =>
    ci ? `${points(ci[0])} … ${points(ci[1])}` : '–';
  const relativeInterval = (ci: [number, number] | null) =>
    ci ? `${format.uplift(ci[0])} … ${format.uplift(ci[1])}` : '–';
  return { ...format, points, pointsInterval, relativeInterval };
};

/** Better, worse or no clear difference, as a badge. */
const Verdict = ({ row }: { row: Pick<ImpactGoal, 'uplift' | 'pValueSequential'> }) => {
  const t = useT();
  const verdict = impactVerdict(row);
  if (verdict === 'better') {
    return (
      <Badge backgroundColor="success100" textColor="success700">
        {t('impact.verdict.better', 'Converts better')}
      </Badge>
    );
  }
  if (verdict === 'worse') {
    return (
      <Badge backgroundColor="danger100" textColor="danger700">
        {t('impact.verdict.worse', 'Converts worse')}
      </Badge>
    );
  }
  return <Badge>{t('impact.verdict.unclear', 'No clear difference yet')}</Badge>;
};

/** One key figure: its name, the number, and what it is made of. */
const Figure = ({ label, value, detail }: { label: string; value: ReactNode; detail?: string }) => (
  <Flex
    direction="column"
    alignItems="flex-start"
    gap={1}
    padding={4}
    hasRadius
    background="neutral100"
    width="100%"
    height="100%"
  >
    <Typography variant="sigma" textColor="neutral600" style={WRAPPED}>
      {label}
    </Typography>
    <Typography variant="beta" tag="p">
      {value}
    </Typography>
    {detail ? (
      <Typography variant="pi" textColor="neutral600">
        {detail}
      </Typography>
    ) : null}
  </Flex>
);

/** "1,234 visitors · 56 conversions" */
const useCounts = () => {
  const t = useT();
  const format = useImpactFormats();
  return (counts: PopulationCounts) =>
    t('impact.counts', '{visitors} visitors · {conversions} conversions', {
      visitors: format.count(counts.visitors),
      conversions: format.count(counts.conversions),
    });
};

/** The split is not what the holdout's share says: the comparison cannot be trusted. */
const SrmAlert = ({ goal, share }: { goal: ImpactGoal; share: number }) => {
  const t = useT();
  const format = useImpactFormats();
  const total = goal.personalized.visitors + goal.holdout.visitors;
  return (
    <Alert
      variant="danger"
      closeLabel=""
      title={t('impact.srm.title', 'Sample ratio mismatch')}
      data-testid="impact-srm"
    >
      {t(
        'impact.srm.body',
        '{observed} of the visitors are in the holdout, where {expected} was set. The split between the groups is broken (a cache serving one page to everyone, visitor ids that change, a holdout changed during the range…): do not trust this comparison until it is fixed.',
        {
          observed: format.percent(total > 0 ? goal.holdout.visitors / total : null),
          expected: format.percent(share),
        }
      )}
    </Alert>
  );
};

/** One goal: both populations' rates, the uplift with its interval, the p-value, the chart. */
const GoalImpact = ({ goal, report }: { goal: ImpactGoal; report: ImpactReport }) => {
  const t = useT();
  const format = useImpactFormats();
  const counts = useCounts();
  const series = cumulativeImpactSeries(report.daily, goal.goal);
  const few =
    goal.holdout.visitors < FEW_VISITORS ||
    goal.holdout.conversions + goal.personalized.conversions < FEW_CONVERSIONS;
  const names = {
    personalized: t('impact.personalized', 'Personalized'),
    holdout: t('impact.holdout', 'Holdout'),
  };
  return (
    <Box
      background="neutral0"
      padding={6}
      shadow="filterShadow"
      hasRadius
      data-testid={`impact-goal-${goal.goal}`}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex gap={3} wrap="wrap" alignItems="center">
          <Typography variant="delta" tag="h2">
            {t('impact.goal.title', 'Goal: {goal}', { goal: goal.goal })}
          </Typography>
          <Verdict row={goal} />
        </Flex>
        {goal.srm.mismatch ? <SrmAlert goal={goal} share={report.holdout.share} /> : null}
        {few ? (
          <Typography variant="pi" textColor="warning700">
            {t(
              'impact.few',
              'Few visitors or conversions so far: the numbers will still move a lot. Wait for at least {visitors} visitors in the holdout and {conversions} conversions.',
              { visitors: format.count(FEW_VISITORS), conversions: format.count(FEW_CONVERSIONS) }
            )}
          </Typography>
        ) : null}
        <Grid.Root gap={4}>
          <Grid.Item col={3} s={6} xs={12} alignItems="stretch">
            <Figure
              label={t('impact.rate.personalized', 'Conversion rate, personalized')}
              value={format.percent(goal.personalized.rate, 2)}
              detail={counts(goal.personalized)}
            />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} alignItems="stretch">
            <Figure
              label={t('impact.rate.holdout', 'Conversion rate, holdout')}
              value={format.percent(goal.holdout.rate, 2)}
              detail={counts(goal.holdout)}
            />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} alignItems="stretch">
            <Figure
              label={t('impact.uplift.absolute', 'Uplift (percentage points)')}
              value={format.points(goal.absoluteUplift)}
              detail={t('impact.interval', '95 % interval: {interval}', {
                interval: format.pointsInterval(goal.absoluteCi),
              })}
            />
          </Grid.Item>
          <Grid.Item col={3} s={6} xs={12} alignItems="stretch">
            <Figure
              label={t('impact.uplift.relative', 'Uplift (relative)')}
              value={format.uplift(goal.uplift)}
              detail={t('impact.interval', '95 % interval: {interval}', {
                interval: format.relativeInterval(goal.ci),
              })}
            />
          </Grid.Item>
        </Grid.Root>
        <Typography>
          {t('impact.pValue', 'Sequential p-value: {pValue}', {
            pValue: format.pValue(goal.pValueSequential),
          })}
        </Typography>
        {series.length > 0 ? (
          <Box>
            <Typography variant="sigma" textColor="neutral600" tag="h3">
              {t('impact.chart', 'Cumulative conversion rate per day')}
            </Typography>
            <Box height="260px" width="100%" data-testid="impact-chart">
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis tickFormatter={(value: number) => format.percent(value, 1)} />
                  <Tooltip formatter={(value: number) => format.percent(value, 2)} />
                  <Legend />
                  {(['personalized', 'holdout'] as const).map((population) => (
                    <Line
                      key={population}
                      type="monotone"
                      dataKey={population}
                      name={names[population]}
                      stroke={COLORS[population]}
                      dot={false}
                      connectNulls
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </Box>
          </Box>
        ) : null}
      </Flex>
    </Box>
  );
};

/** Personalized against held-out visitors of each persona (or stage), per goal. */
const SegmentTable = ({
  heading,
  title,
  hint,
  rows,
  nameOf,
  showGoal,
  testId,
}: {
  /** The section's heading. */
  heading: string;
  /** The first column's header. */
  title: string;
  hint: string;
  rows: ImpactSegment[];
  nameOf: (slug: string | null) => string;
  showGoal: boolean;
  testId: string;
}) => {
  const t = useT();
  const format = useImpactFormats();
  const headers = [
    title,
    ...(showGoal ? [t('impact.column.goal', 'Goal')] : []),
    t('impact.column.visitors', 'Visitors (personalized / holdout)'),
    t('impact.rate.personalized', 'Conversion rate, personalized'),
    t('impact.rate.holdout', 'Conversion rate, holdout'),
    t('impact.uplift.absolute', 'Uplift (percentage points)'),
    t('impact.column.interval', '95 % interval'),
    t('impact.column.pValue', 'Sequential p-value'),
    t('impact.column.verdict', 'Verdict'),
  ];
  return (
    <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius data-testid={testId}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <SectionTitle title={heading} hint={hint} />
        </Flex>
        {rows.length === 0 ? (
          <Typography textColor="neutral600">
            {t('impact.segments.none', 'No visitors in this range.')}
          </Typography>
        ) : (
          <CompactCells>
            <Table colCount={headers.length} rowCount={rows.length + 1}>
              <WrappedHeaders headers={headers} />
              <Tbody>
                {rows.map((row) => (
                  <Tr key={`${row.slug ?? ''}:${row.goal}`}>
                    <Td>
                      <Typography fontWeight="semiBold" style={WRAPPED}>
                        {nameOf(row.slug)}
                      </Typography>
                    </Td>
                    {showGoal ? <Td>{row.goal}</Td> : null}
                    <Td>
                      {format.count(row.personalized.visitors)} /{' '}
                      {format.count(row.holdout.visitors)}
                    </Td>
                    <Td>{format.percent(row.personalized.rate, 2)}</Td>
                    <Td>{format.percent(row.holdout.rate, 2)}</Td>
                    <Td>{format.points(row.absoluteUplift)}</Td>
                    <Td>
                      <Typography variant="pi" style={WRAPPED}>
                        {format.pointsInterval(row.absoluteCi)}
                      </Typography>
                    </Td>
                    <Td>{format.pValue(row.pValueSequential)}</Td>
                    <Td>
                      <Flex direction="column" alignItems="flex-start" gap={1}>
                        <Verdict row={row} />
                        {row.srm.mismatch ? (
                          <Badge backgroundColor="danger100" textColor="danger700">
                            {t('impact.srm.short', 'Split broken')}
                          </Badge>
                        ) : null}
                      </Flex>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </CompactCells>
        )}
      </Flex>
    </Box>
  );
};

/** How to read the report, and when to trust it, in plain words. */
const Explanation = () => {
  const t = useT();
  const points = [
    t(
      'impact.explain.groups',
      'Personalized visitors may get variants and experiments; held-out visitors get the base content everywhere. Both are drawn at random from the visitors with a visitor id, so the difference between them is what personalization adds.'
    ),
    t(
      'impact.explain.uplift',
      'Uplift: how much more often personalized visitors convert than held-out ones, in percentage points and relative to the holdout. The 95 % interval is the range the true uplift lies in 19 times out of 20, if you look once; an interval that includes 0 means no proven effect.'
    ),
    t(
      'impact.explain.pValue',
      'Sequential p-value: how likely a difference this large would be if personalization changed nothing. It stays valid however often you look, so you may check it every day; below 0.05 counts as a clear result. Because it allows for those looks it is stricter than the interval: it can still say "no clear difference" while the interval already excludes 0.'
    ),
    t(
      'impact.explain.trust',
      'Trust the numbers when both groups have enough visitors (a small holdout needs many), no sample ratio mismatch is reported (it means the split is broken), and the holdout stayed switched on, with the same share and seed, during the whole range.'
    ),
  ];
  return (
    <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
      <Flex direction="column" alignItems="stretch" gap={2} data-testid="impact-explanation">
        <Typography variant="delta" tag="h2">
          {t('impact.explain.title', 'How to read this report')}
        </Typography>
        {points.map((point) => (
          <Typography key={point} variant="omega" textColor="neutral700">
            {point}
          </Typography>
        ))}
      </Flex>
    </Box>
  );
};

/** The holdout is off and nobody was held out in the range: nothing to compare. */
const HoldoutOff = () => {
  const t = useT();
  return (
    <Box data-testid="impact-holdout-off">
      <EmptyStateLayout
        icon={<EmptyDocuments width="16rem" />}
        content={t(
          'impact.off',
          'The holdout is off: no visitor is kept from personalization, so there is nothing to compare with. Switch it on (5 to 10 % of the visitors is usual) and come back after a few days of traffic.'
        )}
        action={
          <LinkButton tag={NavLink} variant="secondary" to={SETTINGS_PATH}>
            {t('impact.off.action', 'Set up the holdout')}
          </LinkButton>
        }
      />
    </Box>
  );
};

/**
 * The overview's Impact tab (`/plugins/personalize/impact?goal=&from=&to=`): per goal,
 * personalized visitors against the holdout, with the uplift, its interval and the sequential
 * p-value, a daily chart, and the same per persona and per stage.
 */
const ImpactPage = () => {
  const t = useT();
  const format = useResultFormats();
  const { describe } = useRequestErrors();
  const [searchParams, setSearchParams] = useSearchParams();
  const from = searchParams.get('from') ?? undefined;
  const to = searchParams.get('to') ?? undefined;
  const goal = searchParams.get('goal') ?? ALL_GOALS;
  // Every goal at once: the goal picker filters here, and keeps offering every goal.
  const impact = useGetPersonalizeImpactQuery(
    { ...(from ? { from } : {}), ...(to ? { to } : {}) },
    { refetchOnMountOrArgChange: true }
  );
  const { data: personas } = useGetPersonasQuery();
  const { data: stages } = useGetJourneyStagesQuery();
  const report = impact.currentData;

  const setParam = (name: string, value: string | null) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true }
    );

  const nameIn =
    (items: { slug: string; name: string }[] | undefined, none: string) => (slug: string | null) =>
      slug === null ? none : (items?.find((item) => item.slug === slug)?.name ?? slug);

  const shown = (report?.goals ?? []).filter((item) => goal === ALL_GOALS || item.goal === goal);
  const inGoal = <Row extends { goal: string }>(rows: Row[]) =>
    rows.filter((row) => goal === ALL_GOALS || row.goal === goal);
  const heldOut = (report?.goals ?? []).some((item) => item.holdout.visitors > 0);
  const showGoal = goal === ALL_GOALS && (report?.goals.length ?? 0) > 1;

  return (
    <Flex direction="column" alignItems="stretch" gap={6} data-testid="impact">
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <SectionTitle
          title={t('impact.title', 'Personalization impact')}
          hint={t(
            'impact.subtitle',
            'What personalization adds: visitors who get it against a holdout who get the base content everywhere.'
          )}
        />
      </Flex>
      <Flex gap={4} wrap="wrap" alignItems="flex-end">
        <Box width="16rem">
          <Field.Root name="goal">
            <Field.Label>{t('impact.goal', 'Goal')}</Field.Label>
            <SingleSelect
              value={goal}
              onChange={(next: string | number) =>
                setParam('goal', String(next) === ALL_GOALS ? null : String(next))
              }
            >
              <SingleSelectOption value={ALL_GOALS}>
                {t('impact.goal.all', 'Every goal')}
              </SingleSelectOption>
              {/* A goal in the URL stays choosable in a range where it has no conversion. */}
              {[
                ...new Set([
                  ...(report?.goals ?? []).map((item) => item.goal),
                  ...(goal === ALL_GOALS ? [] : [goal]),
                ]),
              ].map((name) => (
                <SingleSelectOption key={name} value={name}>
                  {name}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Box>
        {(['from', 'to'] as const).map((bound) => (
          <Box key={bound} width="14rem">
            <Field.Root name={bound}>
              <Field.Label>
                {bound === 'from' ? t('impact.from', 'From') : t('impact.to', 'To')}
              </Field.Label>
              <DatePicker
                value={report ? dayForPicker(report[bound]) : undefined}
                onChange={(date: Date | undefined) =>
                  setParam(bound, date ? pickedDay(date) : null)
                }
                clearLabel={t('impact.range.reset', 'Last 30 days')}
                onClear={() => setParam(bound, null)}
              />
            </Field.Root>
          </Box>
        ))}
        {report ? (
          <Box paddingBottom={3}>
            <Typography variant="pi" textColor="neutral600">
              {t('impact.range', 'UTC days · holdout now: {share}', {
                share: format.percent(
                  report.holdout.share,
                  Number.isInteger(report.holdout.share * 100) ? 0 : 1
                ),
              })}
            </Typography>
          </Box>
        ) : null}
      </Flex>
      {impact.error ? (
        <Typography textColor="danger600" role="alert">
          {describe(impact.error)}
        </Typography>
      ) : null}
      {!report && !impact.error ? <Loader small /> : null}
      {report && !heldOut && report.holdout.share === 0 ? <HoldoutOff /> : null}
      {report && (heldOut || report.holdout.share > 0) ? (
        <>
          {report.holdout.share === 0 ? (
            <Alert
              variant="warning"
              closeLabel=""
              title={t('impact.offNow.title', 'The holdout is off now')}
            >
              {t(
                'impact.offNow',
                'Visitors were held out in this range, but nobody is now: new days add no comparison.'
              )}
            </Alert>
          ) : null}
          {shown.length === 0 ? (
            <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
              <Typography data-testid="impact-empty">
                {t(
                  'impact.empty',
                  'No conversions in this range yet: the report counts goals that visitors converted on.'
                )}
              </Typography>
            </Box>
          ) : (
            shown.map((item) => <GoalImpact key={item.goal} goal={item} report={report} />)
          )}
          <SegmentTable
            heading={t('impact.byPersona', 'By persona')}
            title={t('column.persona', 'Persona')}
            hint={t(
              'impact.byPersona.hint',
              'Held-out visitors are counted under the persona they would have had, so each row compares like with like.'
            )}
            rows={inGoal(report.byPersona)}
            nameOf={nameIn(personas?.items, t('preview.noPersona', 'No persona'))}
            showGoal={showGoal}
            testId="impact-by-persona"
          />
          <SegmentTable
            heading={t('impact.byStage', 'By journey stage')}
            title={t('column.stage', 'Journey stage')}
            hint={t(
              'impact.byStage.hint',
              'Held-out visitors are counted under the stage they would have had.'
            )}
            rows={inGoal(report.byStage)}
            nameOf={nameIn(stages?.items, t('preview.noStage', 'No stage'))}
            showGoal={showGoal}
            testId="impact-by-stage"
          />
        </>
      ) : null}
      <Explanation />
    </Flex>
  );
};

export default ImpactPage;
