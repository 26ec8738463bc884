import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import type { BanditWeights, ExperimentResults } from '../../api/types';
import { useT } from '../../utils/getTranslation';
import { cumulativeSeries } from '../../utils/results';
import { useResultFormats } from './formats';

/** Design-system colours (primary, danger, success, warning, …), one per arm. */
export const COLORS = ['#4945ff', '#ee5e52', '#328048', '#d9822f', '#7b79ff', '#0c75af'];

/**
 * Two charts: each arm's conversion rate with its own 95 % interval, and the cumulative rate per
 * arm day by day (lines that settle show the results have stabilized).
 */
export const RateCharts = ({ results }: { results: ExperimentResults }) => {
  const t = useT();
  const format = useResultFormats();
  const keys = results.arms.map((arm) => arm.key);
  const bars = results.arms.map(({ key, rate, rateLow, rateHigh }) => ({
    arm: key,
    rate: rate ?? 0,
    // recharts draws an asymmetric error bar from [below, above] the value.
    error:
      rate === null || rateLow === null || rateHigh === null
        ? [0, 0]
        : [rate - rateLow, rateHigh - rate],
  }));
  // Without any conversion recharts would stretch the zeros to 400 %: show 0 to 1 % instead.
  const noConversions = results.arms.every((arm) => arm.conversions === 0);
  const yAxis = noConversions ? { domain: [0, 0.01], ticks: [0, 0.005, 0.01] } : {};
  const axis = (value: number) => format.percent(value, noConversions ? 1 : 0);
  const tooltip = (value: number) => format.percent(value, 2);
  return (
    <Flex gap={6} wrap="wrap" alignItems="flex-start">
      <Box>
        <Typography variant="delta" tag="h2">
          {t('results.chart.rate', 'Conversion rate with its 95 % interval')}
        </Typography>
        <BarChart width={420} height={260} data={bars}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="arm" />
          <YAxis tickFormatter={axis} {...yAxis} />
          <Tooltip formatter={tooltip} />
          <Bar dataKey="rate" fill={COLORS[0]} isAnimationActive={false}>
            <ErrorBar dataKey="error" width={8} stroke="#32324d" />
          </Bar>
        </BarChart>
      </Box>
      <Box>
        <Typography variant="delta" tag="h2">
          {t('results.chart.daily', 'Cumulative conversion rate per day')}
        </Typography>
        <LineChart width={520} height={260} data={cumulativeSeries(results.daily, keys)}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" />
          <YAxis tickFormatter={axis} {...yAxis} />
          <Tooltip formatter={tooltip} />
          <Legend />
          {keys.map((key, index) => (
            <Line
              key={key}
              type="monotone"
              dataKey={key}
              stroke={COLORS[index % COLORS.length]}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </Box>
    </Flex>
  );
};

/**
 * A bandit's weights over time: each arm's share of the visitors from each reweighting on (a
 * step per reweighting, drawn on to now).
 */
export const WeightHistoryChart = ({
  weights,
  keys,
  until,
}: {
  weights: BanditWeights[];
  keys: string[];
  /** Where the last step ends: the experiment's end, or now. */
  until: string | null;
}) => {
  const t = useT();
  const { formatDate } = useIntl();
  const format = useResultFormats();
  if (weights.length === 0) return null;
  const last = weights[weights.length - 1];
  const end = until ?? new Date().toISOString();
  const points = [
    ...weights,
    ...(Date.parse(end) > Date.parse(last.at) ? [{ ...last, at: end }] : []),
  ].map((entry) => ({ at: Date.parse(entry.at), ...entry.arms }));
  const when = (value: number) => formatDate(value, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <Box data-testid="bandit-weights">
      <Typography variant="delta" tag="h2">
        {t('results.weights.title', 'How the bandit split the visitors over time')}
      </Typography>
      <Box paddingTop={1} paddingBottom={2}>
        <Typography variant="pi" textColor="neutral600">
          {t(
            'results.weights.hint',
            '{count, plural, =0 {No reweighting yet: every arm still has its starting weight.} one {# reweighting so far: each arm’s share of the new visitors from then on.} other {# reweightings so far: each arm’s share of the new visitors from then on.}}',
            { count: Math.max(0, weights.length - 1) }
          )}
        </Typography>
      </Box>
      <LineChart width={640} height={240} data={points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={when}
        />
        <YAxis tickFormatter={(value: number) => format.percent(value, 0)} domain={[0, 1]} />
        <Tooltip
          labelFormatter={(value: number) => when(value)}
          formatter={(value: number) => format.percent(value, 1)}
        />
        <Legend />
        {keys.map((key, index) => (
          <Line
            key={key}
            type="stepAfter"
            dataKey={key}
            stroke={COLORS[index % COLORS.length]}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </Box>
  );
};
