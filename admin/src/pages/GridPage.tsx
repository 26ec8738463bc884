import {
  Badge,
  Box,
  Button,
  Flex,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { BackButton, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router-dom';

import type { JourneyStage, Persona, VariantWithFlags } from '../api/types';
import { useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
import { PageLayout } from '../components/PageLayout';
import { PreviewPanel, sampleVisitor } from '../components/PreviewPanel';
import { targetParams } from '../components/VariantsPanel';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message } from '../utils/getTranslation';

interface Cell {
  persona: Persona;
  stage: JourneyStage;
  variant: { documentId: string; name: string } | null;
}

/**
 * `/plugins/personalize/grid?targetUid=&targetDocumentId=&locale=`: rows personas, columns stages,
 * each cell the variant a visitor of that persona at that stage receives (drafts included),
 * computed by the preview API from their sample contexts.
 */
export const GridPage = () => {
  const { formatMessage } = useIntl();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const api = usePersonalizeApi();
  const canManage = useCanManage();
  const targetUid = searchParams.get('targetUid') ?? '';
  const targetDocumentId = searchParams.get('targetDocumentId') || null;
  const locale = searchParams.get('locale') ?? 'en';
  const params = targetParams(targetUid, targetDocumentId, locale);

  const [state] = useLoad(async () => {
    const [personas, stages, variants] = await Promise.all([
      api.personas.list(),
      api.stages.list(),
      api.variants.list({
        targetUid,
        ...(targetDocumentId ? { targetDocumentId } : {}),
        locale,
      }) as Promise<VariantWithFlags[]>,
    ]);
    // One preview per cell, all at once.
    const cells: Cell[] = await Promise.all(
      personas.flatMap((persona) =>
        stages.map(async (stage) => {
          const preview = await api.preview({
            targetUid,
            targetDocumentId,
            locale,
            status: 'draft',
            context: sampleVisitor(persona, stage),
          });
          return { persona, stage, variant: preview.meta.personalization.variant };
        })
      )
    );
    return { personas, stages, variants, cells };
  }, params);

  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  const { personas, stages, variants, cells } = state.data;
  const cellOf = (persona: Persona, stage: JourneyStage) =>
    cells.find((cell) => cell.persona === persona && cell.stage === stage);
  const served = new Set(cells.map((cell) => cell.variant?.documentId));
  const unreachable = variants.filter((variant) => variant.shadowedBy);
  const unseen = variants.filter(
    (variant) => !variant.shadowedBy && !served.has(variant.documentId)
  );

  return (
    <PageLayout
      title={message('grid.title', 'Persona × stage grid')}
      subtitle={`${targetUid}${targetDocumentId ? ` · ${targetDocumentId}` : ''} · ${locale}`}
      navigationAction={<BackButton />}
    >
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Box background="neutral0" shadow="filterShadow" hasRadius>
          <Table colCount={stages.length + 1} rowCount={personas.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">
                    {formatMessage(message('column.persona', 'Persona'))}
                  </Typography>
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
                    const cell = cellOf(persona, stage);
                    return (
                      <Td key={stage.documentId} data-testid={`cell-${persona.slug}-${stage.slug}`}>
                        {cell?.variant ? (
                          <Button
                            variant="tertiary"
                            size="S"
                            onClick={() =>
                              navigate(`/plugins/${PLUGIN_ID}/variants/${cell.variant!.documentId}`)
                            }
                          >
                            {cell.variant.name}
                          </Button>
                        ) : (
                          <Flex gap={2}>
                            <Typography textColor="neutral500">
                              {formatMessage(message('preview.base', 'Base entry'))}
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
                                {formatMessage(message('grid.add', 'Add'))}
                              </Button>
                            ) : null}
                          </Flex>
                        )}
                      </Td>
                    );
                  })}
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
        {unreachable.length + unseen.length > 0 ? (
          <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
            <Flex direction="column" alignItems="stretch" gap={2}>
              {unreachable.map((variant) => (
                <Flex key={variant.documentId} gap={2}>
                  <Badge backgroundColor="danger100" textColor="danger700">
                    {formatMessage(message('variant.unreachable', 'Never served'))}
                  </Badge>
                  <Typography>
                    {formatMessage(
                      message(
                        'grid.unreachable',
                        '"{name}" can never be picked: "{winner}" always wins.'
                      ),
                      { name: variant.name, winner: variant.shadowedBy!.name }
                    )}
                  </Typography>
                </Flex>
              ))}
              {unseen.map((variant) => (
                <Flex key={variant.documentId} gap={2}>
                  <Badge>{formatMessage(message('grid.unseen.badge', 'Not in the grid'))}</Badge>
                  <Typography>
                    {formatMessage(
                      message(
                        'grid.unseen',
                        '"{name}" is served to none of the sample visitors above.'
                      ),
                      { name: variant.name }
                    )}
                  </Typography>
                </Flex>
              ))}
            </Flex>
          </Box>
        ) : null}
        <PreviewPanel
          targetUid={targetUid}
          targetDocumentId={targetDocumentId}
          locale={locale}
          personas={personas}
          stages={stages}
          attributes={[]}
        />
      </Flex>
    </PageLayout>
  );
};
