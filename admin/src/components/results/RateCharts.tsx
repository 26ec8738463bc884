import { Box, Flex, Typography } from '@strapi/design-system';
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

import type { ExperimentResults } from '../../api/types';
import { useT } from '../../utils/getTranslation';
import { cumulativeSeries } from '../../utils/results';
import { useResultFormats } from './formats';

/** Design-system colours (primary, danger, success, warning, …), one per arm. */
const COLORS = ['#4945ff', '#ee5e52', '#328048', '#d9822f', '#7b79ff', '#0c75af'];

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
