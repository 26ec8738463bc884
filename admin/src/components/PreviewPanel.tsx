import { useState } from 'react';

import {
  Badge,
  Box,
  Button,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Textarea,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { JourneyStage, Persona, PreviewResponse } from '../api/types';
import { errorMessage, usePersonalizeApi } from '../api/usePersonalizeApi';
import { message } from '../utils/getTranslation';
import { useTraceNote } from '../utils/useTraceNote';

interface PreviewPanelProps {
  targetUid: string;
  targetDocumentId: string | null;
  locale: string;
  personas: Persona[];
  stages: JourneyStage[];
  /** Attributes whose resolved values are shown. */
  attributes: string[];
}

const NONE = '-';

/** A visitor of this persona at this stage, from their sample contexts and explicit slugs. */
export const sampleVisitor = (persona: Persona | undefined, stage: JourneyStage | undefined) => ({
  ...(persona?.sampleContext ?? {}),
  ...(stage?.sampleContext ?? {}),
  ...(persona ? { persona: persona.slug } : {}),
  ...(stage ? { stage: stage.slug } : {}),
});

const shown = (value: unknown) => {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'object') {
    const url = (value as { url?: string }).url;
    return url ?? JSON.stringify(value).slice(0, 120);
  }
  return String(value);
};

/** "View as": the entry resolved for a chosen visitor, drafts included, with the decision trace. */
export const PreviewPanel = ({
  targetUid,
  targetDocumentId,
  locale,
  personas,
  stages,
  attributes,
}: PreviewPanelProps) => {
  const { formatMessage } = useIntl();
  const traceNote = useTraceNote();
  const api = usePersonalizeApi();
  const [persona, setPersona] = useState(NONE);
  const [stage, setStage] = useState(NONE);
  const [context, setContext] = useState('');
  const [result, setResult] = useState<PreviewResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setError(null);
    let visitor: Record<string, unknown> = sampleVisitor(
      personas.find((item) => item.slug === persona),
      stages.find((item) => item.slug === stage)
    );
    if (context.trim()) {
      try {
        visitor = { ...visitor, ...(JSON.parse(context) as Record<string, unknown>) };
      } catch (parseError) {
        setError((parseError as Error).message);
        return;
      }
    }
    try {
      setResult(
        await api.preview({
          targetUid,
          targetDocumentId,
          locale,
          context: visitor,
          status: 'draft',
        })
      );
    } catch (requestError) {
      setError(errorMessage(requestError));
    }
  };

  const personalization = result?.meta.personalization;
  return (
    <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius data-testid="preview">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          {formatMessage(message('preview.title', 'Preview as a visitor'))}
        </Typography>
        <Flex gap={2} wrap="wrap" alignItems="flex-end">
          <SingleSelect
            aria-label={formatMessage(message('column.persona', 'Persona'))}
            size="S"
            value={persona}
            onChange={(next: string | number) => setPersona(String(next))}
          >
            <SingleSelectOption value={NONE}>
              {formatMessage(message('preview.noPersona', 'No persona'))}
            </SingleSelectOption>
            {personas.map((item) => (
              <SingleSelectOption key={item.slug} value={item.slug}>
                {item.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <SingleSelect
            aria-label={formatMessage(message('column.stage', 'Journey stage'))}
            size="S"
            value={stage}
            onChange={(next: string | number) => setStage(String(next))}
          >
            <SingleSelectOption value={NONE}>
              {formatMessage(message('preview.noStage', 'No stage'))}
            </SingleSelectOption>
            {stages.map((item) => (
              <SingleSelectOption key={item.slug} value={item.slug}>
                {item.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <Box flex="1" minWidth="20rem">
            <Textarea
              aria-label={formatMessage(message('rule.test.context', 'Visitor context (JSON)'))}
              placeholder={formatMessage(
                message('preview.context', 'More context as JSON, e.g. {"visits": 3}')
              )}
              rows={1}
              value={context}
              onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                setContext(event.target.value)
              }
            />
          </Box>
          <Button variant="secondary" onClick={run}>
            {formatMessage(message('preview.run', 'Preview'))}
          </Button>
        </Flex>
        {error ? (
          <Typography textColor="danger600" role="alert">
            {error}
          </Typography>
        ) : null}
        {result && personalization ? (
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Flex gap={2} wrap="wrap">
              <Badge>
                {formatMessage(message('preview.reason', 'Reason: {reason}'), {
                  reason: personalization.reason,
                })}
              </Badge>
              <Badge data-testid="preview-variant">
                {personalization.variant?.name ??
                  formatMessage(message('preview.base', 'Base entry'))}
              </Badge>
              {personalization.persona ? <Badge>{personalization.persona}</Badge> : null}
              {personalization.stage ? <Badge>{personalization.stage}</Badge> : null}
            </Flex>
            <Table colCount={2} rowCount={attributes.length + 1}>
              <Thead>
                <Tr>
                  <Th>{formatMessage(message('preview.field', 'Field'))}</Th>
                  <Th>{formatMessage(message('preview.value', 'Resolved value'))}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {attributes.map((name) => (
                  <Tr key={name}>
                    <Td>
                      <Typography fontWeight="semiBold">{name}</Typography>
                    </Td>
                    <Td>
                      <Typography ellipsis>{shown(result.data[name])}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            <Typography variant="sigma" textColor="neutral600">
              {formatMessage(message('preview.trace', 'Decision trace'))}
            </Typography>
            <Flex direction="column" alignItems="stretch" gap={1}>
              {(personalization.trace ?? []).map((entry) => (
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
          </Flex>
        ) : null}
      </Flex>
    </Box>
  );
};
