import { useState } from 'react';

import { Alert, Box, Flex, MenuItem, SimpleMenu, Typography } from '@strapi/design-system';
import { Link as LinkIcon } from '@strapi/icons';
import { BackButton, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';

import {
  useGetExperimentQuery,
  useGetExperimentResultsQuery,
  useGetTargetSummaryQuery,
  useGetVariantsQuery,
} from '../api/personalizeApi';
import type {
  ArmResult,
  ConversionFilter,
  Experiment,
  ExperimentResults,
  Horizon,
} from '../api/types';
import { EXPERIMENTS_PATH, ExperimentActions } from '../components/ExperimentActions';
import { PageLayout } from '../components/PageLayout';
import { PreviewLinkDialog, type PreviewLinkTarget } from '../components/PreviewLinkDialog';
import { ArmsTable } from '../components/results/ArmsTable';
import { useResultFormats } from '../components/results/formats';
import { RateCharts, WeightHistoryChart } from '../components/results/RateCharts';
import { SectionTitle } from '../components/SectionTitle';
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

/**
 * When the experiment started and ends, and how many visitors the rate so far reaches by then.
 */
const Schedule = ({ experiment, horizon }: { experiment: Experiment; horizon: Horizon }) => {
  const t = useT();
  const { formatDate } = useIntl();
  const format = useResultFormats();
  const when = (value: string) => formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });
  const lines: string[] = [];
  if (experiment.status === 'scheduled' && horizon.startAt) {
    lines.push(t('results.horizon.starts', 'Starts on {date}.', { date: when(horizon.startAt) }));
  }
  // A completed experiment shows what happened (its dates in the subtitle), not what was planned.
  if (experiment.status !== 'completed') {
    lines.push(
      !horizon.endAt
        ? t('results.horizon.open', 'No end is set: it runs until you complete it.')
        : horizon.projectedVisitors === null || horizon.visitorsPerDay === null
          ? t(
              'results.horizon.endsEarly',
              'Ends on {date}. Too early to project the visitors by then: wait for an hour of traffic.',
              { date: when(horizon.endAt) }
            )
          : t(
              'results.horizon.ends',
              'Ends on {date}; at the current rate (about {perDay} visitors a day) about {projected} visitors by then.',
              {
                date: when(horizon.endAt),
                perDay: format.count(Math.round(horizon.visitorsPerDay)),
                projected: format.count(horizon.projectedVisitors),
              }
            )
    );
  }
  if (lines.length === 0) return null;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1} data-testid="experiment-horizon">
      {lines.map((line) => (
        <Typography key={line}>{line}</Typography>
      ))}
    </Flex>
  );
};

/**
 * "Preview link" per arm: a link that shows an arm's content to anyone, for QA and stakeholders.
 * The server forces the arm only while the experiment runs, or once it completed with that arm.
 */
const ArmPreviewLinks = ({
  experiment,
  variantNames,
}: {
  experiment: Experiment;
  variantNames: Map<string, string>;
}) => {
  const t = useT();
  const [target, setTarget] = useState<PreviewLinkTarget | null>(null);
  const content = (variant: string | null) =>
    variant === null ? t('results.base', 'Base entry') : (variantNames.get(variant) ?? variant);
  const forced = (arm: string) =>
    experiment.status === 'running' ||
    (experiment.status === 'completed' && experiment.winner === arm);
  return (
    <Box>
      <SimpleMenu
        label={t('previewLink.action', 'Preview link')}
        variant="secondary"
        startIcon={<LinkIcon />}
      >
        {experiment.arms.map((arm) => (
          <MenuItem
            key={arm.key}
            onSelect={() =>
              setTarget({
                request: { experiment: experiment.key, arm: arm.key },
                description: t('previewLink.arm', 'Experiment "{name}", arm {arm} ({content})', {
                  name: experiment.name,
                  arm: arm.key,
                  content: content(arm.variant),
                }),
                ...(forced(arm.key)
                  ? {}
                  : {
                      note: t(
                        'previewLink.notRunning',
                        'The experiment is not running: the link forces this arm only while it runs (or once it completed with this arm as the winner). Until then it shows what that visitor gets without it.'
                      ),
                    }),
              })
            }
          >
            {t('previewLink.armItem', 'Arm {arm}: {content}', {
              arm: arm.key,
              content: content(arm.variant),
            })}
          </MenuItem>
        ))}
      </SimpleMenu>
      <PreviewLinkDialog target={target} onClose={() => setTarget(null)} />
    </Box>
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
  const bandit = results.mode === 'bandit';
  const variantNames = new Map(
    variants?.items.map((variant) => [variant.documentId, variant.name])
  );
  const subtitle = [
    ...(target ? [describeTarget(target)] : []),
    `${t('results.goal', 'Goal')}: ${experiment.goal}`,
    ...(bandit ? [t('experiment.mode.bandit', 'Bandit')] : []),
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
        <ArmPreviewLinks experiment={experiment} variantNames={variantNames} />
        <Schedule experiment={experiment} horizon={results.horizon} />
        {results.srm.mismatch ? <SrmWarning arms={results.arms} /> : null}
        <Typography variant="pi" textColor="neutral600" data-testid="results-method">
          {bandit
            ? t(
                'results.bandit',
                'A bandit: the arms that convert better get more visitors as results come in. Rates are weighted by the periods between reweightings, and "probability to be best" replaces p-values: reweighting on the data breaks what a p-value promises, so a bandit reports none. Declare the winner when one arm is very likely best (95 % or more) and has had enough visitors.'
              )
            : results.sequential
              ? t(
                  'results.sequential',
                  'Until the experiment is completed (running or paused), significance uses an always-valid (sequential) p-value: it stays trustworthy even if you look every day.'
                )
              : t(
                  'results.fixed',
                  'The experiment is completed: significance uses the fixed-horizon z-test.'
                )}
        </Typography>
        <ArmsTable arms={results.arms} variantNames={variantNames} mode={results.mode} />
        <RateCharts results={results} />
        {bandit ? (
          <WeightHistoryChart
            weights={results.weights}
            keys={results.arms.map((arm) => arm.key)}
            until={results.endedAt}
          />
        ) : null}
        {results.secondary.map((secondary) => (
          <Flex
            key={secondary.goal}
            direction="column"
            alignItems="stretch"
            gap={2}
            data-testid={`secondary-${secondary.goal}`}
          >
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <SectionTitle
                title={t('results.secondary.title', 'Secondary goal: {goal} (for information)', {
                  goal: secondary.goal,
                })}
                hint={t(
                  'results.secondary.hint',
                  'Shown for information: only the primary goal decides which arm wins. With several goals, one of them looks significant by chance every so often.'
                )}
              />
            </Flex>
            <ArmsTable
              arms={secondary.arms}
              variantNames={variantNames}
              mode={results.mode}
              informational
            />
          </Flex>
        ))}
        <SourcesPanel integrity={results.integrity} onConversionsChange={onConversionsChange} />
        <SampleSizeHelper arms={results.arms} horizon={results.horizon} />
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
