import { useMemo, useState } from 'react';

import {
  Badge,
  Box,
  Button,
  Flex,
  IconButton,
  Link,
  LinkButton,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Eye, Link as LinkIcon, Plus } from '@strapi/icons';
import { BackButton, Page } from '@strapi/strapi/admin';
import { NavLink, useNavigate } from 'react-router-dom';

import { useRequestErrors } from '../api/errors';
import {
  useGetPersonasQuery,
  useGetPreviewsQuery,
  useGetJourneyStagesQuery,
  useGetVariantsQuery,
} from '../api/personalizeApi';
import type { JourneyStage, Persona, PreviewRequest } from '../api/types';
import { PageLayout } from '../components/PageLayout';
import { PreviewLinkDialog, type PreviewLinkTarget } from '../components/PreviewLinkDialog';
import { sampleVisitor } from '../components/PreviewPanel';
import { ReachNote, useVariantReach } from '../components/VariantReach';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message, useT } from '../utils/getTranslation';
import { usePageTarget } from './PreviewPage';

/**
 * `/plugins/personalize/grid?targetUid=&targetDocumentId=&locale=`: rows personas, columns stages,
 * each cell the variant a visitor of that persona at that stage receives (drafts included),
 * computed by the preview API from their sample contexts.
 */
export const GridPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const canManage = useCanManage();
  const { describe } = useRequestErrors();
  const { target, params, subtitle } = usePageTarget();
  const { targetUid, targetDocumentId, locale } = target;

  const personasQuery = useGetPersonasQuery();
  const stagesQuery = useGetJourneyStagesQuery();
  const variantsQuery = useGetVariantsQuery({
    targetUid,
    ...(targetDocumentId ? { targetDocumentId } : {}),
    locale,
  });
  const personas = personasQuery.data?.items;
  const stages = stagesQuery.data?.items;
  // One preview per cell, row by row.
  const requests = useMemo(
    () =>
      (personas ?? []).flatMap((persona) =>
        (stages ?? []).map(
          (stage): PreviewRequest => ({
            targetUid,
            targetDocumentId,
            locale,
            status: 'draft',
            context: sampleVisitor(persona, stage),
          })
        )
      ),
    [personas, stages, targetUid, targetDocumentId, locale]
  );
  const previewsQuery = useGetPreviewsQuery(requests, { skip: !personas || !stages });
  const reach = useVariantReach(
    targetUid,
    (variantsQuery.data?.items ?? []).map((variant) => variant.documentId)
  );
  const [linkFor, setLinkFor] = useState<PreviewLinkTarget | null>(null);

  const queries = [personasQuery, stagesQuery, variantsQuery, previewsQuery];
  const failed = queries.find((query) => query.error)?.error;
  if (failed) return <Page.Error content={describe(failed)} />;
  if (!personas || !stages || !variantsQuery.data || !previewsQuery.data) return <Page.Loading />;
  const variants = variantsQuery.data.items;
  const previews = previewsQuery.data;
  const variantOf = (persona: Persona, stage: JourneyStage) =>
    previews[personas.indexOf(persona) * stages.length + stages.indexOf(stage)]?.meta
      .personalization.variant ?? null;
  const served = new Set(
    previews.map((preview) => preview.meta.personalization.variant?.documentId)
  );
  const unreachable = variants.filter((variant) => variant.shadowedBy);
  const unseen = variants.filter(
    (variant) => !variant.shadowedBy && !served.has(variant.documentId)
  );

  return (
    <PageLayout
      title={message('grid.title', 'Persona × stage grid')}
      subtitle={subtitle}
      navigationAction={<BackButton />}
      primaryAction={
        <LinkButton
          tag={NavLink}
          variant="secondary"
          startIcon={<Eye />}
          to={`/plugins/${PLUGIN_ID}/preview?${params}`}
        >
          {t('preview.title', 'Preview as a visitor')}
        </LinkButton>
      }
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Box background="neutral0" shadow="filterShadow" hasRadius>
          <Table colCount={stages.length + 1} rowCount={personas.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('column.persona', 'Persona')}</Typography>
                </Th>
                {stages.map((stage) => (
                  <Th key={stage.documentId}>
                    <Typography variant="sigma">{stage.name}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {personas.map((persona) => (
                <Tr key={persona.documentId}>
                  <Td>
                    <Typography fontWeight="semiBold">{persona.name}</Typography>
                  </Td>
                  {stages.map((stage) => {
                    const variant = variantOf(persona, stage);
                    const where = t(
                      'grid.previewLink.description',
                      'Persona {persona} · stage {stage}',
                      {
                        persona: persona.name,
                        stage: stage.name,
                      }
                    );
                    return (
                      <Td key={stage.documentId} data-testid={`cell-${persona.slug}-${stage.slug}`}>
                        <Flex gap={1} alignItems="flex-start" justifyContent="space-between">
                          {variant ? (
                            <Flex
                              direction="column"
                              alignItems="flex-start"
                              gap={1}
                              flex="1"
                              minWidth={0}
                              style={{ whiteSpace: 'normal' }}
                            >
                              {/* A link, so that a long name wraps and the grid fits its page. */}
                              <Link
                                tag={NavLink}
                                to={`/plugins/${PLUGIN_ID}/variants/${variant.documentId}`}
                              >
                                {variant.name}
                              </Link>
                              <ReachNote reach={reach} documentId={variant.documentId} />
                            </Flex>
                          ) : (
                            <Flex gap={2} wrap="wrap" flex="1" minWidth={0}>
                              <Typography textColor="neutral500">
                                {t('preview.base', 'Base entry')}
                              </Typography>
                              {canManage ? (
                                <Button
                                  variant="ghost"
                                  size="S"
                                  startIcon={<Plus />}
                                  onClick={() =>
                                    navigate(
                                      `/plugins/${PLUGIN_ID}/variants/new?${params}&persona=${persona.slug}&stage=${stage.slug}`
                                    )
                                  }
                                >
                                  {t('grid.add', 'Add')}
                                </Button>
                              ) : null}
                            </Flex>
                          )}
                          <IconButton
                            variant="ghost"
                            label={t('grid.previewLink', 'Preview link for {where}', { where })}
                            onClick={() =>
                              setLinkFor({
                                request: { persona: persona.slug, stage: stage.slug },
                                description: where,
                              })
                            }
                          >
                            <LinkIcon />
                          </IconButton>
                        </Flex>
                      </Td>
                    );
                  })}
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
        <PreviewLinkDialog target={linkFor} onClose={() => setLinkFor(null)} />
        {unreachable.length + unseen.length > 0 ? (
          <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
            <Flex direction="column" alignItems="stretch" gap={2}>
              {unreachable.map((variant) => (
                <Flex key={variant.documentId} gap={2}>
                  <Badge backgroundColor="danger100" textColor="danger700">
                    {t('variant.unreachable', 'Never served')}
                  </Badge>
                  <Typography>
                    {t(
                      'grid.unreachable',
                      '"{name}" can never be picked: "{winner}" always wins.',
                      { name: variant.name, winner: variant.shadowedBy!.name }
                    )}
                  </Typography>
                </Flex>
              ))}
              {unseen.map((variant) => (
                <Flex key={variant.documentId} gap={2}>
                  <Badge>{t('grid.unseen.badge', 'Not in the grid')}</Badge>
                  <Typography>
                    {t('grid.unseen', '"{name}" is served to none of the sample visitors above.', {
                      name: variant.name,
                    })}
                  </Typography>
                </Flex>
              ))}
            </Flex>
          </Box>
        ) : null}
      </Flex>
    </PageLayout>
  );
};
