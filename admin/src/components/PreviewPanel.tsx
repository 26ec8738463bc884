import { useEffect, useMemo, useState } from 'react';

import {
  Badge,
  Box,
  Button,
  Flex,
  LinkButton,
  Loader,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Code, ExternalLink } from '@strapi/icons';
import { useIntl, type MessageDescriptor } from 'react-intl';

import { useRequestErrors } from '../api/errors';
import {
  useGetPersonasQuery,
  useGetPersonalizeSettingsQuery,
  useGetJourneyStagesQuery,
  usePreviewMutation,
} from '../api/personalizeApi';
import type { JourneyStage, Personalization, Persona, PreviewRequest } from '../api/types';
import { onBackend } from '../utils/backend-url';
import { message, useT } from '../utils/getTranslation';
import { useTraceNote } from '../utils/useTraceNote';
import { EntryValue, JsonText, SYSTEM_FIELDS } from './EntryValue';

interface PreviewPanelProps {
  targetUid: string;
  targetDocumentId: string | null;
  locale: string;
}

const NONE = '-';

/** A visitor of this persona at this stage, from their sample contexts and explicit slugs. */
export const sampleVisitor = (persona: Persona | undefined, stage: JourneyStage | undefined) => ({
  ...(persona?.sampleContext ?? {}),
  ...(stage?.sampleContext ?? {}),
  ...(persona ? { persona: persona.slug } : {}),
  ...(stage ? { stage: stage.slug } : {}),
});

/** Why the visitor got what they got, in words. */
export const REASONS: Record<Personalization['reason'], MessageDescriptor> = {
  'persona+stage': message(
    'preview.reason.persona+stage',
    'The variant for this persona at this stage'
  ),
  persona: message('preview.reason.persona', 'The variant for this persona'),
  stage: message('preview.reason.stage', 'The variant for this journey stage'),
  rule: message('preview.reason.rule', 'The variant whose rule this visitor matches'),
  default: message('preview.reason.default', 'No variant fits this visitor: the base entry'),
  'no-consent': message(
    'preview.reason.no-consent',
    'No consent to personalization: the base entry'
  ),
  experiment: message('preview.reason.experiment', 'The arm of a running experiment'),
  holdout: message(
    'preview.reason.holdout',
    'In the holdout: this visitor gets the base entry everywhere, for the impact report'
  ),
  preview: message('preview.reason.preview', 'Forced by a preview link'),
};

/** How the visitor's persona or stage was found, in words. */
export const SOURCE_LABELS: Record<
  NonNullable<Personalization['stageSource']>,
  MessageDescriptor
> = {
  explicit: message('source.explicit', 'named by the visitor context'),
  rule: message('source.rule', 'matched by its rule'),
  profile: message('source.profile', 'remembered from the profile'),
};

/** A persona's or stage's source in words, for a string that may name another (or none). */
export const sourceLabel = (source: string | null | undefined): MessageDescriptor | null =>
  source && source in SOURCE_LABELS ? SOURCE_LABELS[source as keyof typeof SOURCE_LABELS] : null;

/** Each variant of the entry, and why it was or was not picked (the picked one marked). */
export const DecisionTrace = ({ trace }: { trace: Personalization['trace'] }) => {
  const traceNote = useTraceNote();
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      {(trace ?? []).map((entry) => (
        <Typography
          key={entry.documentId}
          variant="pi"
          textColor={entry.picked ? 'success700' : 'neutral700'}
        >
          {entry.picked ? '✓ ' : '· '}
          {entry.name}: {traceNote(entry)}
        </Typography>
      ))}
    </Flex>
  );
};

/**
 * "View as": the entry resolved for a chosen visitor, drafts included, as a reader sees it
 * (pictures, rich text), the variant's fields marked, with the decision and a link to the app's
 * frontend as that visitor. Shows only the fields the server returned: those the role may read.
 */
export const PreviewPanel = ({ targetUid, targetDocumentId, locale }: PreviewPanelProps) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const { describe } = useRequestErrors();
  const personasQuery = useGetPersonasQuery();
  const stagesQuery = useGetJourneyStagesQuery();
  const personas = personasQuery.data?.items;
  const stages = stagesQuery.data?.items;
  const visitorsLoading = personasQuery.isLoading || stagesQuery.isLoading;
  const attributes = useGetPersonalizeSettingsQuery().data?.contentTypes.find(
    (type) => type.uid === targetUid
  )?.attributes;
  const [preview, { data: result, error, isLoading }] = usePreviewMutation();
  const [persona, setPersona] = useState(NONE);
  const [stage, setStage] = useState(NONE);
  const [contextText, setContextText] = useState('');
  /** The JSON context as last applied with the Preview button (a new object each time). */
  const [extraContext, setExtraContext] = useState<Record<string, unknown>>({});
  const [contextError, setContextError] = useState<string | null>(null);
  const [showJson, setShowJson] = useState(false);

  const request = useMemo<PreviewRequest>(
    () => ({
      targetUid,
      targetDocumentId,
      locale,
      status: 'draft',
      context: {
        ...sampleVisitor(
          personas?.find((item) => item.slug === persona),
          stages?.find((item) => item.slug === stage)
        ),
        ...extraContext,
      },
    }),
    [targetUid, targetDocumentId, locale, personas, stages, persona, stage, extraContext]
  );

  // Choosing a persona or a stage shows its visitor at once.
  useEffect(() => {
    if (!visitorsLoading) void preview(request);
  }, [preview, request, visitorsLoading]);

  const applyContext = () => {
    try {
      const parsed: unknown = contextText.trim() ? JSON.parse(contextText) : {};
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error(t('preview.context.object', 'The context must be a JSON object.'));
      }
      setContextError(null);
      setExtraContext({ ...parsed });
    } catch (parseError) {
      setContextError((parseError as Error).message);
    }
  };

  const personalization = result?.meta.personalization;
  const sourceNote = (source: string | null) => {
    const label = sourceLabel(source);
    return label ? ` (${formatMessage(label)})` : '';
  };
  const nameOf = (items: { slug: string; name: string }[] | undefined, slug: string) =>
    items?.find((item) => item.slug === slug)?.name ?? slug;
  const overridden = new Set(result?.meta.overridden ?? []);
  // In the content type's order, as the Content Manager shows them.
  const order = (attributes ?? []).map((attribute) => attribute.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const fields = Object.keys(result?.data ?? {})
    .filter((name) => !SYSTEM_FIELDS.has(name))
    .sort((a, b) => rank(a) - rank(b));
  const problem = contextError ?? (error ? describe(error) : null);

  return (
    <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius data-testid="preview">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          {t('preview.title', 'Preview as a visitor')}
        </Typography>
        <Flex gap={2} wrap="wrap" alignItems="flex-end">
          <SingleSelect
            aria-label={t('column.persona', 'Persona')}
            size="S"
            value={persona}
            onChange={(next: string | number) => setPersona(String(next))}
          >
            <SingleSelectOption value={NONE}>
              {t('preview.noPersona', 'No persona')}
            </SingleSelectOption>
            {(personas ?? []).map((item) => (
              <SingleSelectOption key={item.slug} value={item.slug}>
                {item.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <SingleSelect
            aria-label={t('column.stage', 'Journey stage')}
            size="S"
            value={stage}
            onChange={(next: string | number) => setStage(String(next))}
          >
            <SingleSelectOption value={NONE}>{t('preview.noStage', 'No stage')}</SingleSelectOption>
            {(stages ?? []).map((item) => (
              <SingleSelectOption key={item.slug} value={item.slug}>
                {item.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <Box flex="1" minWidth="20rem">
            <TextInput
              aria-label={t('rule.test.context', 'Visitor context (JSON)')}
              placeholder={t('preview.context', 'More context as JSON, e.g. {"visits": 3}')}
              size="S"
              value={contextText}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                setContextText(event.target.value)
              }
              onKeyDown={(event: React.KeyboardEvent<HTMLInputElement>) => {
                if (event.key === 'Enter') {
                  event.preventDefault(); // inside the variant editor's form: no save
                  applyContext();
                }
              }}
            />
          </Box>
          <Button variant="secondary" size="S" onClick={applyContext} loading={isLoading}>
            {t('preview.run', 'Preview')}
          </Button>
        </Flex>
        {problem ? (
          <Typography textColor="danger600" role="alert">
            {problem}
          </Typography>
        ) : null}
        {!result && isLoading ? <Loader small /> : null}
        {result && personalization ? (
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Flex gap={2} wrap="wrap" alignItems="center">
              <Badge
                data-testid="preview-variant"
                backgroundColor={personalization.variant ? 'primary100' : 'neutral150'}
                textColor={personalization.variant ? 'primary700' : 'neutral700'}
              >
                {personalization.variant?.name ?? t('preview.base', 'Base entry')}
              </Badge>
              <Typography data-testid="preview-reason">
                {formatMessage(REASONS[personalization.reason])}
              </Typography>
            </Flex>
            <Typography variant="pi" textColor="neutral600" data-testid="preview-classification">
              {t('column.persona', 'Persona')}:{' '}
              {personalization.persona
                ? nameOf(personas, personalization.persona)
                : t('preview.noPersona', 'No persona')}
              {sourceNote(personalization.personaSource)}
              {' · '}
              {t('column.stage', 'Journey stage')}:{' '}
              {personalization.stage
                ? nameOf(stages, personalization.stage)
                : t('preview.noStage', 'No stage')}
              {sourceNote(personalization.stageSource)}
            </Typography>
            {personalization.warnings.map((warning) => (
              <Typography key={warning} variant="pi" textColor="warning700">
                {warning}
              </Typography>
            ))}
            {result.meta.previewUrl ? (
              <Box>
                <LinkButton
                  href={onBackend(result.meta.previewUrl)}
                  target="_blank"
                  rel="noopener noreferrer"
                  variant="secondary"
                  startIcon={<ExternalLink />}
                  data-testid="preview-storefront"
                >
                  {t('preview.storefront', 'Open in storefront as this visitor')}
                </LinkButton>
              </Box>
            ) : (
              <Typography variant="pi" textColor="neutral600">
                {t(
                  'preview.storefront.none',
                  "To open your site as this visitor, set the plugin's previewUrl option."
                )}
              </Typography>
            )}
            <Flex direction="column" alignItems="stretch" gap={3}>
              {fields.map((name) => {
                const fromVariant = overridden.has(name) ? personalization.variant : null;
                return (
                  <Box
                    key={name}
                    padding={4}
                    hasRadius
                    borderStyle="solid"
                    borderWidth="1px"
                    borderColor={fromVariant ? 'primary600' : 'neutral200'}
                    background={fromVariant ? 'primary100' : 'neutral0'}
                    data-testid={`preview-field-${name}`}
                    data-overridden={fromVariant ? 'true' : 'false'}
                  >
                    <Flex direction="column" alignItems="stretch" gap={2}>
                      <Flex gap={2} wrap="wrap" justifyContent="space-between">
                        <Typography variant="sigma" textColor="neutral600">
                          {name}
                        </Typography>
                        {fromVariant ? (
                          <Badge backgroundColor="primary600" textColor="neutral0">
                            {t('preview.fromVariant', 'From variant "{name}"', {
                              name: fromVariant.name,
                            })}
                          </Badge>
                        ) : null}
                      </Flex>
                      <EntryValue
                        value={result.data[name]}
                        type={attributes?.find((attribute) => attribute.name === name)?.type}
                      />
                    </Flex>
                  </Box>
                );
              })}
            </Flex>
            <Typography variant="sigma" textColor="neutral600">
              {t('preview.trace', 'Decision trace')}
            </Typography>
            <DecisionTrace trace={personalization.trace} />
            <Box>
              <Button
                variant="tertiary"
                startIcon={<Code />}
                onClick={() => setShowJson(!showJson)}
              >
                {showJson
                  ? t('preview.json.hide', 'Hide JSON')
                  : t('preview.json.show', 'Show JSON')}
              </Button>
            </Box>
            {showJson ? <JsonText value={result} /> : null}
          </Flex>
        ) : null}
      </Flex>
    </Box>
  );
};
