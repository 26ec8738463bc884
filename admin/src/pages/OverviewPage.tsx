import { lazy, Suspense } from 'react';

import { Box, Divider, Flex, LinkButton, Loader, Tabs } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';

import {
  useGetExperimentsQuery,
  useGetPersonasQuery,
  useGetPersonalizeSettingsQuery,
  useGetJourneyStagesQuery,
  useGetVariantsQuery,
} from '../api/personalizeApi';
import type {
  ExperimentListQuery,
  ExperimentStatus,
  VariantListQuery,
  VariantStatus,
} from '../api/types';
import { EXPERIMENTS_PATH } from '../components/ExperimentActions';
import {
  ListPagination,
  ListToolbar,
  useListParams,
  useOptionFilter,
  type FilterField,
  type SortField,
} from '../components/ListControls';
import { ListTable } from '../components/ListTable';
import { PageLayout } from '../components/PageLayout';
import { STATUS_LABELS, type DocumentStatus } from '../components/StatusBadge';
import { useCanReadProfiles, useCanRunExperiments } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message, useT } from '../utils/getTranslation';
import { experimentColumns, variantColumns } from './columns';
import { VisitorLookup } from './VisitorLookup';

// The impact report (charts) loads when its tab is first opened.
const ImpactPage = lazy(() => import('./ImpactPage'));

/** The columns the admin API sorts each list by (contracts: variants.ts, experiments.ts). */
const VARIANT_SORTS = [
  'name',
  'locale',
  'persona',
  'stage',
  'priority',
] as const satisfies readonly SortField<VariantListQuery>[];
const EXPERIMENT_SORTS = [
  'name',
  'status',
  'traffic',
  'goal',
] as const satisfies readonly SortField<ExperimentListQuery>[];

const VARIANT_STATUSES: VariantStatus[] = ['draft', 'published', 'modified'];
const EXPERIMENT_STATUSES: ExperimentStatus[] = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
];

/** The filters both lists have: the entry's content type, and the status. */
const useCommonFilters = () => {
  const { formatMessage } = useIntl();
  const t = useT();
  const optionFilter = useOptionFilter<
    FilterField<VariantListQuery> & FilterField<ExperimentListQuery>
  >();
  const { data: settings } = useGetPersonalizeSettingsQuery();
  return {
    contentType: optionFilter(
      'targetUid',
      t('experiment.target.contentType', 'Content type'),
      (settings?.contentTypes ?? []).map((type) => ({ label: type.displayName, value: type.uid }))
    ),
    status: (statuses: readonly DocumentStatus[]) =>
      optionFilter(
        'status',
        t('column.status', 'Status'),
        statuses.map((value) => ({ value, label: formatMessage(STATUS_LABELS[value]) }))
      ),
  };
};

const NO_MATCH = message('list.noMatch', 'Nothing matches the search and filters.');

/** Every variant, searchable by name, filtered by type, persona, stage and status, sortable. */
const VariantList = () => {
  const t = useT();
  const navigate = useNavigate();
  const { params, searching } = useListParams();
  const variants = useGetVariantsQuery(params);
  const optionFilter = useOptionFilter<FilterField<VariantListQuery>>();
  const { contentType, status } = useCommonFilters();
  const { data: personas } = useGetPersonasQuery();
  const { data: stages } = useGetJourneyStagesQuery();
  const bySlug = (items: { name: string; slug: string }[] = []) =>
    items.map((item) => ({ label: item.name, value: item.slug }));
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <ListToolbar
        searchLabel={t('overview.variants.search', 'Search variants')}
        filters={[
          contentType,
          optionFilter('persona', t('column.persona', 'Persona'), bySlug(personas?.items)),
          optionFilter('stage', t('column.stage', 'Journey stage'), bySlug(stages?.items)),
          status(VARIANT_STATUSES),
        ]}
      />
      <ListTable
        query={variants}
        columns={variantColumns}
        sortable={VARIANT_SORTS}
        empty={searching ? NO_MATCH : message('overview.variants.empty', 'No variants yet.')}
        onRowClick={(variant) => navigate(`/plugins/${PLUGIN_ID}/variants/${variant.documentId}`)}
      />
      <ListPagination total={variants.data?.total ?? 0} pageSize={Number(params.pageSize)} />
    </Flex>
  );
};

/** Every experiment, searchable by name, filtered by type and status, sortable. */
const ExperimentList = () => {
  const t = useT();
  const navigate = useNavigate();
  const { params, searching } = useListParams();
  const experiments = useGetExperimentsQuery(params);
  const { contentType, status } = useCommonFilters();
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <ListToolbar
        searchLabel={t('overview.experiments.search', 'Search experiments')}
        filters={[contentType, status(EXPERIMENT_STATUSES)]}
      />
      <ListTable
        query={experiments}
        columns={experimentColumns}
        sortable={EXPERIMENT_SORTS}
        empty={searching ? NO_MATCH : message('overview.experiments.empty', 'No experiments yet.')}
        onRowClick={(experiment) =>
          navigate(`${EXPERIMENTS_PATH}/${experiment.documentId}/results`)
        }
      />
      <ListPagination total={experiments.data?.total ?? 0} pageSize={Number(params.pageSize)} />
    </Flex>
  );
};

export type OverviewTab = 'variants' | 'experiments' | 'impact' | 'visitors';

/** Where each tab lives: its own URL, so that the menu, links and a reload land on it. */
const TAB_PATHS: Record<OverviewTab, string> = {
  variants: `/plugins/${PLUGIN_ID}`,
  experiments: EXPERIMENTS_PATH,
  impact: `/plugins/${PLUGIN_ID}/impact`,
  visitors: `/plugins/${PLUGIN_ID}/visitors`,
};

/**
 * The Personalize menu page: the variants and the experiments, each list in a tab with its search,
 * filters and sort in the URL, the personalization impact report, and the visitor lookup (with
 * `profiles.read`); links to the personas, stages, interests and content types in Settings.
 */
const OverviewPage = ({ tab }: { tab: OverviewTab }) => {
  const t = useT();
  const navigate = useNavigate();
  const canRun = useCanRunExperiments();
  const canReadProfiles = useCanReadProfiles();
  return (
    <PageLayout
      title={message('plugin.name', 'Personalize')}
      subtitle={message(
        'overview.subtitle',
        'Persona and journey-stage variants of your content, and experiments between them.'
      )}
      primaryAction={
        tab === 'experiments' && canRun ? (
          <LinkButton tag={NavLink} startIcon={<Plus />} to={`${EXPERIMENTS_PATH}/new`}>
            {t('experiments.create', 'Create experiment')}
          </LinkButton>
        ) : undefined
      }
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Flex gap={2} wrap="wrap">
          <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/personas`} variant="secondary">
            {t('settings.personas.title', 'Personas')}
          </LinkButton>
          <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/stages`} variant="secondary">
            {t('settings.stages.title', 'Journey stages')}
          </LinkButton>
          <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/interests`} variant="secondary">
            {t('settings.interests.title', 'Interests')}
          </LinkButton>
          <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/content-types`} variant="secondary">
            {t('settings.contentTypes.title', 'Content types')}
          </LinkButton>
        </Flex>
        <Tabs.Root
          variant="simple"
          value={tab}
          // A new tab starts without the other list's search, filters, sort and page.
          onValueChange={(next) => navigate(TAB_PATHS[next as OverviewTab])}
        >
          <Box paddingBottom={6}>
            <Tabs.List aria-label={t('plugin.name', 'Personalize')}>
              <Tabs.Trigger value="variants">{t('overview.variants', 'Variants')}</Tabs.Trigger>
              <Tabs.Trigger value="experiments">
                {t('overview.experiments', 'Experiments')}
              </Tabs.Trigger>
              <Tabs.Trigger value="impact">{t('overview.impact', 'Impact')}</Tabs.Trigger>
              {/* Kept while on it, so that the tab stays named while permissions load. */}
              {canReadProfiles || tab === 'visitors' ? (
                <Tabs.Trigger value="visitors">
                  {t('overview.visitors', 'Visitor lookup')}
                </Tabs.Trigger>
              ) : null}
            </Tabs.List>
            <Divider />
          </Box>
          <Tabs.Content value="variants">
            <VariantList />
          </Tabs.Content>
          <Tabs.Content value="experiments">
            <ExperimentList />
          </Tabs.Content>
          <Tabs.Content value="impact">
            {tab === 'impact' ? (
              <Suspense fallback={<Loader small />}>
                <ImpactPage />
              </Suspense>
            ) : null}
          </Tabs.Content>
          <Tabs.Content value="visitors">
            <VisitorLookup />
          </Tabs.Content>
        </Tabs.Root>
      </Flex>
    </PageLayout>
  );
};

export default OverviewPage;
