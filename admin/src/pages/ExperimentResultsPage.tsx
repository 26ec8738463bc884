import { useState } from 'react';

import { Alert, Flex, Typography } from '@strapi/design-system';
import { BackButton, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';

import {
  useGetExperimentQuery,
  useGetExperimentResultsQuery,
  useGetTargetSummaryQuery,
  useGetVariantsQuery,
} from '../api/personalizeApi';
import type { ArmResult, ConversionFilter, Experiment, ExperimentResults } from '../api/types';
import { EXPERIMENTS_PATH, ExperimentActions } from '../components/ExperimentActions';
import { PageLayout } from '../components/PageLayout';
import { ArmsTable } from '../components/results/ArmsTable';
import { useResultFormats } from '../components/results/formats';
import { RateCharts } from '../components/results/RateCharts';
import { SampleSizeHelper } from '../components/results/SampleSizeHelper';
import { SourcesPanel } from '../components/results/SourcesPanel';
import { useT } from '../utils/getTranslation';
import { expectedVisitors } from '../utils/results';
import { describeTarget, entryFilter, targetOf } from '../utils/targets';

/** A sample ratio mismatch in plain words: the counts the arms got and the ones the weights expect. */
const SrmWarning = ({ arms }: { arms: ArmResult[] }) => {
  const { formatList } = useIntl();
  const t = useT();
  const format = useResultFormats();
  return (
    <Alert variant="danger" closeLabel="" title={t('results.srm.title', 'Sample ratio mismatch')}>
      {t(
        'results.srm.body',
        'The arms got {observed} visitors where the weights expect {expected}. Something is wrong with the assignment or the tracking (a cache serving one arm, exposures sent from only one arm…): do not trust these results until it is fixed.',
        {
          observed: formatList(arms.map((arm) => format.count(arm.visitors))),
          expected: formatList(expectedVisitors(arms).map(format.count)),
        }
      )}
    </Alert>
  );
};

const Results = ({
  experiment,
  results,
  onConversionsChange,
}: {
  experiment: Experiment;
  results: ExperimentResults;
  onConversionsChange: (conversions: ConversionFilter) => void;
}) => {
  // The entry's name and its variants' (for the arms) complete the page when they arrive.
  const { data: target } = useGetTargetSummaryQuery(targetOf(experiment));
  const { data: variants } = useGetVariantsQuery(entryFilter(experiment));
  const { formatDate } = useIntl();
  const t = useT();
  const format = useResultFormats();
  const date = (value: string | null) => (value ? formatDate(value) : '…');
  const subtitle = [
    ...(target ? [describeTarget(target)] : []),
    `${t('results.goal', 'Goal')}: ${experiment.goal}`,
    `${t('column.traffic', 'Traffic')}: ${format.percent(experiment.trafficAllocation, 0)}`,
    `${t('column.locale', 'Locale')}: ${experiment.locale ?? t('experiment.locale.every', 'Every locale')}`,
    `${date(results.startedAt)} – ${date(results.endedAt)}`,
  ].join(' · ');
  return (
    <PageLayout
      title={experiment.name}
      subtitle={subtitle}
      navigationAction={<BackButton fallback={EXPERIMENTS_PATH} />}
    >
      <Flex direction="column" alignItems="stretch" gap={6} data-testid="experiment-results">
        <ExperimentActions experiment={experiment} page="results" results={results} />
        {results.srm.mismatch ? <SrmWarning arms={results.arms} /> : null}
        <Typography variant="pi" textColor="neutral600">
          {results.sequential
            ? t(
                'results.sequential',
                'Until the experiment is completed (running or paused), significance uses an always-valid (sequential) p-value: it stays trustworthy even if you look every day.'
              )
            : t(
                'results.fixed',
                'The experiment is completed: significance uses the fixed-horizon z-test.'
              )}
        </Typography>
        <ArmsTable
          arms={results.arms}
          variantNames={
            new Map(variants?.items.map((variant) => [variant.documentId, variant.name]))
          }
        />
        <RateCharts results={results} />
        <SourcesPanel integrity={results.integrity} onConversionsChange={onConversionsChange} />
        <SampleSizeHelper arms={results.arms} />
      </Flex>
    </PageLayout>
  );
};

/**
 * `/experiments/:documentId/results`. The results are asked for once, here; a lifecycle action
 * (which can switch the sequential p-value off) refreshes them through their cache tag.
 */
export const ExperimentResultsPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const [conversions, setConversions] = useState<ConversionFilter>('all');
  const experiment = useGetExperimentQuery(documentId);
  // Events keep arriving: a page opened shows the results of now, not those another page cached.
  const results = useGetExperimentResultsQuery(
    { documentId, conversions },
    { refetchOnMountOrArgChange: true }
  );
  if (experiment.isLoading || results.isLoading) return <Page.Loading />;
  if (!experiment.data || !results.data) return <Page.Error />;
  return (
    <Results
      experiment={experiment.data}
      results={results.data}
      onConversionsChange={setConversions}
    />
  );
};
