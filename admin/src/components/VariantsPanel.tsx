import { Box, Flex, LinkButton, Typography } from '@strapi/design-system';
import { Eye, Plus } from '@strapi/icons';
import { useQueryParams } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';

import { useRequestErrors } from '../api/errors';
import {
  useGetExperimentsQuery,
  useGetPersonalizeSettingsQuery,
  useGetVariantsQuery,
} from '../api/personalizeApi';
import { useCanManage, useCanRunExperiments } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { useT } from '../utils/getTranslation';
import { EntrySignals } from './EntrySignals';
import { EXPERIMENTS_PATH } from './ExperimentActions';
import { useRuleSummary } from './RuleSummary';
import { OtherLocaleVariants, type PanelEntry } from './VariantCopies';
import { StatusBadge } from './StatusBadge';
import { VariantBadges } from './VariantBadges';
import { ReachNote, useVariantReach } from './VariantReach';

/** What the Content Manager passes to an edit-view side panel. */
interface PanelProps {
  model: string;
  documentId?: string;
  collectionType: 'collection-types' | 'single-types';
  document?: { locale?: string | null; updatedAt?: string } | null;
}

/** The edit view's URL parameters of a target entry, for the plugin's pages. */
export const targetParams = (uid: string, documentId: string | null, locale: string) =>
  new URLSearchParams({ targetUid: uid, targetDocumentId: documentId ?? '', locale }).toString();

const PanelContent = ({ model, documentId, locale }: PanelEntry) => {
  const t = useT();
  const { describe } = useRequestErrors();
  const canManage = useCanManage();
  const canRunExperiments = useCanRunExperiments();
  const ruleSummary = useRuleSummary();
  const entry = { targetUid: model, ...(documentId ? { targetDocumentId: documentId } : {}) };
  const settingsQuery = useGetPersonalizeSettingsQuery();
  const enabled = settingsQuery.data?.contentTypes.some(
    (type) => type.uid === model && type.enabled
  );
  // Saving the entry refreshes the variants (their drift): they carry the entry's cache tag.
  const variantsQuery = useGetVariantsQuery({ ...entry, locale }, { skip: !enabled });
  const experimentsQuery = useGetExperimentsQuery(entry, { skip: !enabled });
  const reach = useVariantReach(
    model,
    (variantsQuery.data?.items ?? []).map((variant) => variant.documentId)
  );

  const failed = settingsQuery.error ?? variantsQuery.error ?? experimentsQuery.error;
  if (failed) {
    return (
      <Typography variant="pi" textColor="danger600">
        {describe(failed)}
      </Typography>
    );
  }
  if (!settingsQuery.data || (enabled && (!variantsQuery.data || !experimentsQuery.data))) {
    return <Typography variant="pi">{t('list.loading', 'Loading…')}</Typography>;
  }
  if (!enabled || !variantsQuery.data || !experimentsQuery.data) {
    return (
      <Typography variant="pi" textColor="neutral600">
        {t('panel.disabled', 'Variants are switched off for this content type.')}
      </Typography>
    );
  }
  const ofEntry = <Item extends { targetDocumentId: string | null }>(items: Item[]) =>
    documentId ? items : items.filter((item) => !item.targetDocumentId);
  const variants = ofEntry(variantsQuery.data.items);
  const experiments = ofEntry(experimentsQuery.data.items).filter(
    (experiment) => experiment.locale === null || experiment.locale === locale
  );
  const params = targetParams(model, documentId, locale);
  return (
    <Flex
      direction="column"
      alignItems="stretch"
      gap={3}
      minWidth={0}
      width="100%"
      data-testid="personalize-panel"
    >
      {variants.length === 0 ? (
        <Typography variant="pi" textColor="neutral600">
          {t('panel.empty', 'No variants in this locale yet.')}
        </Typography>
      ) : (
        variants.map((variant) => (
          <Flex
            key={variant.documentId}
            direction="column"
            alignItems="stretch"
            gap={1}
            padding={2}
            hasRadius
            background="neutral100"
          >
            {/* The name has the card's whole width (the panel is narrow, German labels long). */}
            <Typography fontWeight="semiBold" tag="p" style={{ overflowWrap: 'anywhere' }}>
              {variant.name}
            </Typography>
            <VariantBadges variant={variant} />
            <ReachNote reach={reach} documentId={variant.documentId} />
            <Flex justifyContent="space-between" alignItems="flex-end" gap={2}>
              <Box minWidth={0}>
                <Typography
                  variant="pi"
                  textColor="neutral600"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {t('column.priority', 'Priority')}: {variant.priority}
                  {ruleSummary(variant.rule) ? ` · ${ruleSummary(variant.rule)}` : ''}
                </Typography>
              </Box>
              <LinkButton
                tag={NavLink}
                size="S"
                variant="tertiary"
                shrink={0}
                to={`/plugins/${PLUGIN_ID}/variants/${variant.documentId}`}
              >
                {t('action.edit', 'Edit')}
              </LinkButton>
            </Flex>
          </Flex>
        ))
      )}
      {variants.length === 0 ? (
        <OtherLocaleVariants model={model} documentId={documentId} locale={locale} />
      ) : null}
      {canManage ? (
        <LinkButton
          tag={NavLink}
          variant="secondary"
          startIcon={<Plus />}
          fullWidth
          to={`/plugins/${PLUGIN_ID}/variants/new?${params}`}
        >
          {t('panel.add', 'Add a variant')}
        </LinkButton>
      ) : null}
      <LinkButton
        tag={NavLink}
        variant="secondary"
        startIcon={<Eye />}
        fullWidth
        to={`/plugins/${PLUGIN_ID}/preview?${params}`}
      >
        {t('panel.preview', 'Preview')}
      </LinkButton>
      <LinkButton
        tag={NavLink}
        variant="tertiary"
        fullWidth
        to={`/plugins/${PLUGIN_ID}/grid?${params}`}
      >
        {t('panel.grid', 'Persona × stage grid')}
      </LinkButton>
      {experiments.length > 0 || canRunExperiments ? (
        <Typography variant="sigma" textColor="neutral600">
          {t('experiments.title', 'Experiments')}
        </Typography>
      ) : null}
      {experiments.map((experiment) => (
        <Flex key={experiment.documentId} justifyContent="space-between" gap={2}>
          <Flex direction="column" alignItems="flex-start" gap={1} minWidth={0}>
            <Typography fontWeight="semiBold" ellipsis tag="p" title={experiment.name}>
              {experiment.name}
            </Typography>
            <StatusBadge status={experiment.status} />
          </Flex>
          <LinkButton
            tag={NavLink}
            size="S"
            variant="tertiary"
            shrink={0}
            to={`${EXPERIMENTS_PATH}/${experiment.documentId}/results`}
          >
            {t('experiment.results', 'Results')}
          </LinkButton>
        </Flex>
      ))}
      {canRunExperiments ? (
        <LinkButton
          tag={NavLink}
          variant="secondary"
          startIcon={<Plus />}
          fullWidth
          to={`${EXPERIMENTS_PATH}/new?${params}`}
        >
          {t('panel.newExperiment', 'New experiment')}
        </LinkButton>
      ) : null}
    </Flex>
  );
};

/**
 * Edit-view side panel: the entry's variants in the current locale, and its interest signals.
 * Hidden while creating.
 */
export const VariantsPanel = ({ model, documentId, collectionType, document }: PanelProps) => {
  const t = useT();
  const [{ query }] = useQueryParams<{ plugins?: { i18n?: { locale?: string } } }>();
  const isSingle = collectionType === 'single-types';
  if (!model.startsWith('api::') || !document || (!isSingle && !documentId)) return null;
  const locale = document.locale ?? query.plugins?.i18n?.locale ?? 'en';
  return {
    title: t('panel.title', 'Personalization'),
    content: (
      <Flex direction="column" alignItems="stretch" gap={4} minWidth={0} width="100%">
        <PanelContent
          model={model}
          documentId={isSingle ? null : (documentId ?? null)}
          locale={locale}
        />
        <EntrySignals model={model} documentId={isSingle ? null : (documentId ?? null)} />
      </Flex>
    ),
  };
};
