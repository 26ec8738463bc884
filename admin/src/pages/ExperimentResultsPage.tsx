import { useState } from 'react';

import {
  Alert,
  Badge,
  Box,
  Button,
  Field,
  Flex,
  NumberInput,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { BackButton, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';
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

import type { Experiment, ExperimentResults } from '../api/types';
import { errorMessage, useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
import { ExperimentActions } from '../components/ExperimentActions';
import { PageLayout } from '../components/PageLayout';
import { message } from '../utils/getTranslation';
import { cumulativeSeries, expectedVisitors, rateInterval } from '../utils/results';
import { EXPERIMENTS_PATH } from './ExperimentEditorPage';

const COLORS = ['#4945ff', '#ee5e52', '#328048', '#d9822f', '#7b79ff', '#0c75af'];

const percent = (value: number | null, digits = 1) =>
  value === null ? '–' : `${(value * 100).toFixed(digits)} %`;
const pValue = (value: number | null) => (value === null ? '–' : value.toPrecision(3));

const SampleSize = ({ visitors }: { visitors: number }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, text: string) => formatMessage(message(id, text));
  const api = usePersonalizeApi();
  const [baseline, setBaseline] = useState(5);
  const [effect, setEffect] = useState(10);
  const [answer, setAnswer] = useState<string | null>(null);
  const compute = async () => {
    try {
      const { visitorsPerArm } = await api.experiments.sampleSize(baseline / 100, effect / 100);
      setAnswer(
        formatMessage(
          message(
            'results.sampleSize.answer',
            '{perArm} visitors per arm; this experiment has {visitors} in total.'
          ),
          { perArm: visitorsPerArm.toLocaleString(), visitors: visitors.toLocaleString() }
        )
      );
    } catch (error) {
      setAnswer(errorMessage(error));
    }
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="delta" tag="h2">
        {t('results.sampleSize', 'How many visitors do I need?')}
      </Typography>
      <Flex gap={3} alignItems="flex-end">
        <Field.Root name="baselineRate">
          <Field.Label>
            {t('results.sampleSize.baseline', 'Baseline conversion rate (%)')}
          </Field.Label>
          <NumberInput
            value={baseline}
            onValueChange={(v: number | undefined) => setBaseline(v ?? 0)}
          />
        </Field.Root>
        <Field.Root name="minimumDetectableEffect">
          <Field.Label>
            {t('results.sampleSize.effect', 'Smallest relative change to detect (%)')}
          </Field.Label>
          <NumberInput
            value={effect}
            onValueChange={(v: number | undefined) => setEffect(v ?? 0)}
          />
        </Field.Root>
        <Button variant="secondary" onClick={compute}>
          {t('results.sampleSize.compute', 'Compute')}
        </Button>
      </Flex>
      {answer ? <Typography>{answer}</Typography> : null}
      <Typography variant="pi" textColor="neutral600">
        {t('results.sampleSize.hint', 'Significance level 5 %, power 80 %.')}
      </Typography>
    </Flex>
  );
};

const Results = ({
  experiment: initial,
  results,
}: {
  experiment: Experiment;
  results: ExperimentResults;
}) => {
  const { formatMessage } = useIntl();
  const t = (id: string, text: string) => formatMessage(message(id, text));
  const [experiment, setExperiment] = useState(initial);
  const keys = results.arms.map((arm) => arm.key);
  const expected = expectedVisitors(results.arms);
  const bars = results.arms.map((arm) => {
    const interval = rateInterval(arm.visitors, arm.conversions);
    return {
      arm: arm.key,
      rate: interval?.rate ?? 0,
      error: interval ? [interval.rate - interval.low, interval.high - interval.rate] : [0, 0],
    };
  });
  return (
    <PageLayout
      title={experiment.name}
      subtitle={`${t('results.goal', 'Goal')}: ${experiment.goal} · ${t('experiment.traffic', 'Traffic (%)')}: ${Math.round(experiment.trafficAllocation * 100)} · ${experiment.startedAt ? new Date(experiment.startedAt).toLocaleDateString() : '–'} – ${experiment.endedAt ? new Date(experiment.endedAt).toLocaleDateString() : '…'}`}
      navigationAction={<BackButton fallback={EXPERIMENTS_PATH} />}
    >
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="experiment-results">
        <ExperimentActions experiment={experiment} onChange={setExperiment} />
        {results.srm.mismatch ? (
          <Alert
            variant="danger"
            closeLabel=""
            title={t('results.srm.title', 'Sample ratio mismatch')}
          >
            {formatMessage(
              message(
                'results.srm.body',
                'The arms got {observed} visitors where the weights expect {expected}. Something is wrong with the assignment or the tracking (a cache serving one arm, exposures sent from only one arm…): do not trust these results until it is fixed.'
              ),
              {
                observed: results.arms.map((arm) => arm.visitors.toLocaleString()).join(' / '),
                expected: expected.map((count) => count.toLocaleString()).join(' / '),
              }
            )}
          </Alert>
        ) : null}
        <Typography variant="pi" textColor="neutral600">
          {results.sequential
            ? t(
                'results.sequential',
                'While the experiment runs, significance uses an always-valid (sequential) p-value: it stays trustworthy even if you look every day.'
              )
            : t(
                'results.fixed',
                'The experiment is not running: significance uses the fixed-horizon z-test.'
              )}
        </Typography>
        <Table colCount={10} rowCount={results.arms.length + 1}>
          <Thead>
            <Tr>
              {[
                t('results.arm', 'Arm'),
                t('results.visitors', 'Visitors'),
                t('results.conversions', 'Conversions'),
                t('results.rate', 'Rate'),
                t('results.uplift', 'Uplift'),
                t('results.interval', '95 % interval of the difference'),
                t('results.pValue', 'p-value'),
                t('results.pValueSequential', 'Sequential p-value'),
                t('results.chance', 'Chance to beat control'),
                t('results.significant', 'Significant'),
              ].map((header) => (
                <Th key={header}>
                  <Typography variant="sigma">{header}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {results.arms.map((arm) => (
              <Tr key={arm.key}>
                <Td>
                  <Typography fontWeight="semiBold">{arm.key}</Typography>
                </Td>
                <Td>{arm.visitors.toLocaleString()}</Td>
                <Td>{arm.conversions.toLocaleString()}</Td>
                <Td>{percent(arm.rate, 2)}</Td>
                <Td>{percent(arm.uplift)}</Td>
                <Td>
                  {arm.ciLow === null
                    ? '–'
                    : `${percent(arm.ciLow, 2)} … ${percent(arm.ciHigh, 2)}`}
                </Td>
                <Td>{pValue(arm.pValue)}</Td>
                <Td>{pValue(arm.pValueSequential)}</Td>
                <Td>{percent(arm.chanceToBeatControl)}</Td>
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
        <Flex gap={6} wrap="wrap" alignItems="flex-start">
          <Box>
            <Typography variant="delta" tag="h2">
              {t('results.chart.rate', 'Conversion rate with its 95 % interval')}
            </Typography>
            <BarChart width={420} height={260} data={bars}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="arm" />
              <YAxis tickFormatter={(value: number) => percent(value)} />
              <Tooltip formatter={(value: number) => percent(value, 2)} />
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
              <YAxis tickFormatter={(value: number) => percent(value)} />
              <Tooltip formatter={(value: number) => percent(value, 2)} />
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
        <SampleSize visitors={results.totalVisitors} />
      </Flex>
    </PageLayout>
  );
};

/** `/experiments/:documentId/results`. */
export const ExperimentResultsPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const api = usePersonalizeApi();
  const [state] = useLoad(
    async () => ({
      experiment: await api.experiments.get(documentId),
      results: await api.experiments.results(documentId),
    }),
    documentId
  );
  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  return <Results experiment={state.data.experiment} results={state.data.results} />;
};
