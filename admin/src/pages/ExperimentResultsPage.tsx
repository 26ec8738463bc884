import { useState } from 'react';

import { Alert, Flex, Typography } from '@strapi/design-system';
import { BackButton, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';

import type {
  ArmResult,
  ConversionFilter,
  Experiment,
  ExperimentResults,
  Variant,
} from '../api/types';
import { useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
import { EXPERIMENTS_PATH, ExperimentActions } from '../components/ExperimentActions';
import { PageLayout } from '../components/PageLayout';
import { ArmsTable } from '../components/results/ArmsTable';
import { useResultFormats } from '../components/results/formats';
import { RateCharts } from '../components/results/RateCharts';
import { SampleSizeHelper } from '../components/results/SampleSizeHelper';
import { SourcesPanel } from '../components/results/SourcesPanel';
import { message } from '../utils/getTranslation';
import { expectedVisitors } from '../utils/results';

/** A sample ratio mismatch in plain words: the counts the arms got and the ones the weights expect. */
const SrmWarning = ({ arms }: { arms: ArmResult[] }) => {
  const { formatMessage, formatList } = useIntl();
  const format = useResultFormats();
  return (
    <Alert
      variant="danger"
      closeLabel=""
      title={formatMessage(message('results.srm.title', 'Sample ratio mismatch'))}
    >
      {formatMessage(
        message(
          'results.srm.body',
          'The arms got {observed} visitors where the weights expect {expected}. Something is wrong with the assignment or the tracking (a cache serving one arm, exposures sent from only one arm…): do not trust these results until it is fixed.'
        ),
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
  variants,
  reload,
  onConversionsChange,
}: {
  experiment: Experiment;
  results: ExperimentResults;
  variants: Variant[];
  /** Loads experiment and results again, e.g. after completion turned the sequential p-value off. */
  reload: () => void;
  onConversionsChange: (conversions: ConversionFilter) => void;
}) => {
  const { formatMessage, formatDate } = useIntl();
  const t = (id: string, text: string) => formatMessage(message(id, text));
  const format = useResultFormats();
  const date = (value: string | null) => (value ? formatDate(value) : '…');
  const subtitle = [
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
        <ExperimentActions experiment={experiment} page="results" onChange={reload} />
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
          variantNames={new Map(variants.map((variant) => [variant.documentId, variant.name]))}
        />
        <RateCharts results={results} />
        <SourcesPanel integrity={results.integrity} onConversionsChange={onConversionsChange} />
        <SampleSizeHelper arms={results.arms} />
      </Flex>
    </PageLayout>
  );
};

/** `/experiments/:documentId/results`. */
export const ExperimentResultsPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const api = usePersonalizeApi();
  const [conversions, setConversions] = useState<ConversionFilter>('all');
  const [state, reload] = useLoad(async () => {
    const [experiment, results] = await Promise.all([
      api.experiments.get(documentId),
      api.experiments.results(documentId, conversions),
    ]);
    // Only for the arms' names; without them the table shows documentIds.
    const variants = await api.variants
      .list({
        targetUid: experiment.targetUid,
        ...(experiment.targetDocumentId ? { targetDocumentId: experiment.targetDocumentId } : {}),
      })
      .catch(() => []);
    return { experiment, results, variants };
  }, `${documentId}?conversions=${conversions}`);
  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  return <Results {...state.data} reload={reload} onConversionsChange={setConversions} />;
};
