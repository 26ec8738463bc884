import { useState, type FormEvent, type ReactNode } from 'react';

import {
  Alert,
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Grid,
  Loader,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  TextInput,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise, Cross, Search, Trash } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';

import { useRequestErrors } from '../api/errors';
import {
  useEraseVisitorMutation,
  useGetInterestsQuery,
  useGetJourneyStagesQuery,
  useGetPersonasQuery,
  useGetTargetSummaryQuery,
  useGetVisitorProfileQuery,
  type Erasure,
} from '../api/personalizeApi';
import type { ProfileFacts, ProfileLookup } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { JsonText } from '../components/EntryValue';
import { DecisionTrace, REASONS, sourceLabel } from '../components/PreviewPanel';
import { SectionTitle } from '../components/SectionTitle';
import { TargetPicker, type Target } from '../components/TargetPicker';
import { useCanEraseVisitors } from '../hooks';
import { PERMISSIONS } from '../permissions';
import { useT } from '../utils/getTranslation';
import { describeTarget } from '../utils/targets';

type Named = { slug: string; name: string };

const nameOf = (items: Named[] | undefined, slug: string) =>
  items?.find((item) => item.slug === slug)?.name ?? slug;

/** A white card, as the Content Manager draws its boxes. */
const Card = ({ children, testId }: { children: ReactNode; testId?: string }) => (
  <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius data-testid={testId}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      {children}
    </Flex>
  </Box>
);

/** One fact of the profile: a small label over its value. */
const Fact = ({ label, name, children }: { label: string; name: string; children: ReactNode }) => (
  <Grid.Item col={4} s={6} xs={12} direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography textColor="neutral800" data-testid={`visitor-fact-${name}`}>
      {children}
    </Typography>
  </Grid.Item>
);

/** A small two- or three-column table of the profile (scores, events, traits), or a dash. */
const FactTable = ({
  title,
  headers,
  rows,
  empty,
}: {
  title: string;
  headers: string[];
  rows: { key: string; cells: ReactNode[] }[];
  empty: string;
}) => (
  <Flex direction="column" alignItems="stretch" gap={2}>
    <Typography variant="omega" fontWeight="bold" tag="h3">
      {title}
    </Typography>
    {rows.length === 0 ? (
      <Typography variant="pi" textColor="neutral600">
        {empty}
      </Typography>
    ) : (
      <Table colCount={headers.length} rowCount={rows.length + 1}>
        <Thead>
          <Tr>
            {headers.map((header) => (
              <Th key={header}>
                <Typography variant="sigma" textColor="neutral600">
                  {header}
                </Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((row) => (
            <Tr key={row.key} data-testid={row.key}>
              {row.cells.map((cell, index) => (
                <Td key={index} style={{ whiteSpace: 'normal' }}>
                  <Typography textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
                    {cell}
                  </Typography>
                </Td>
              ))}
            </Tr>
          ))}
        </Tbody>
      </Table>
    )}
  </Flex>
);

/** What the profile holds: when the visitor came, how often, what they read and did. */
const ProfileCard = ({ profile }: { profile: ProfileFacts }) => {
  const { formatDate, formatNumber } = useIntl();
  const t = useT();
  const interests = useGetInterestsQuery().data?.items;
  const stages = useGetJourneyStagesQuery().data?.items;
  const when = (value: string) => formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });
  const none = '–';
  const scores = Object.entries(profile.interests).sort(([, a], [, b]) => b - a);
  const events = Object.entries(profile.events).sort(([, a], [, b]) => b.count - a.count);
  const traits = Object.entries(profile.traits);
  return (
    <Flex direction="column" alignItems="stretch" gap={6} data-testid="visitor-profile">
      <Grid.Root gap={4}>
        <Fact name="firstSeen" label={t('visitor.firstSeen', 'First seen')}>
          {when(profile.firstSeen)}
        </Fact>
        <Fact name="lastSeen" label={t('visitor.lastSeen', 'Last seen')}>
          {when(profile.lastSeen)}
        </Fact>
        <Fact name="visits" label={t('visitor.visits', 'Visits')}>
          {formatNumber(profile.visits)}
        </Fact>
        <Fact name="pageViews" label={t('visitor.pageViews', 'Page views')}>
          {formatNumber(profile.pageViews)}
        </Fact>
        <Fact name="stageReached" label={t('visitor.stageReached', 'Furthest stage reached')}>
          {profile.stageReached ? nameOf(stages, profile.stageReached) : none}
        </Fact>
        <Fact name="topInterest" label={t('visitor.topInterest', 'Top interest')}>
          {profile.topInterest ? nameOf(interests, profile.topInterest) : none}
        </Fact>
      </Grid.Root>
      <Grid.Root gap={6}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <FactTable
            title={t('visitor.interests', 'Interest scores')}
            headers={[t('visitor.interest', 'Interest'), t('visitor.score', 'Score')]}
            empty={t('visitor.interests.none', 'No interest scores yet.')}
            rows={scores.map(([slug, score]) => ({
              key: `visitor-interest-${slug}`,
              cells: [nameOf(interests, slug), formatNumber(score, { maximumFractionDigits: 1 })],
            }))}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <FactTable
            title={t('visitor.events', 'Events')}
            headers={[
              t('visitor.event', 'Event'),
              t('visitor.count', 'Count'),
              t('visitor.lastSeen', 'Last seen'),
            ]}
            empty={t('visitor.events.none', 'No events yet.')}
            rows={events.map(([name, event]) => ({
              key: `visitor-event-${name}`,
              cells: [name, formatNumber(event.count), when(event.last)],
            }))}
          />
        </Grid.Item>
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <FactTable
            title={t('visitor.traits', 'Traits')}
            headers={[t('visitor.trait', 'Trait'), t('visitor.value', 'Value')]}
            empty={t('visitor.traits.none', 'No traits: only your backend or a CDP can set them.')}
            rows={traits.map(([name, value]) => ({
              key: `visitor-trait-${name}`,
              cells: [name, typeof value === 'string' ? value : JSON.stringify(value)],
            }))}
          />
        </Grid.Item>
      </Grid.Root>
    </Flex>
  );
};

/** What the visitor gets now: persona, stage and (for an entry) the variant, with why. */
const DecisionCard = ({
  lookup,
  hasTarget,
}: {
  lookup: ProfileLookup['data'];
  hasTarget: boolean;
}) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const personas = useGetPersonasQuery().data?.items;
  const stages = useGetJourneyStagesQuery().data?.items;
  const { decision } = lookup;
  const classified = (
    label: string,
    name: 'persona' | 'stage',
    slug: string | null,
    items: Named[] | undefined,
    source: string | null,
    nothing: string
  ) => {
    const why = sourceLabel(source);
    return (
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Typography variant="sigma" textColor="neutral600">
          {label}
        </Typography>
        <Typography textColor="neutral800" fontWeight="semiBold" data-testid={`visitor-${name}`}>
          {slug ? nameOf(items, slug) : nothing}
        </Typography>
        {slug && why ? (
          <Typography variant="pi" textColor="neutral600" data-testid={`visitor-${name}-source`}>
            {formatMessage(why)}
          </Typography>
        ) : null}
      </Flex>
    );
  };
  return (
    <Card testId="visitor-decision">
      <SectionTitle
        title={t('visitor.decision.title', 'What this visitor gets now')}
        hint={t(
          'visitor.decision.hint',
          'Decided for a consenting visitor whose frontend sends only this id: the profile adds the rest.'
        )}
      />
      <Grid.Root gap={4}>
        <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
          {classified(
            t('column.persona', 'Persona'),
            'persona',
            lookup.persona,
            personas,
            // Without an entry there is no decision's source; the context names no persona (it
            // is a visitor id and what the profile adds), so a persona is a rule's match.
            decision?.personaSource ?? (lookup.persona ? 'rule' : null),
            t('preview.noPersona', 'No persona')
          )}
        </Grid.Item>
        <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
          {classified(
            t('column.stage', 'Journey stage'),
            'stage',
            lookup.stage,
            stages,
            lookup.stageSource,
            t('preview.noStage', 'No stage')
          )}
        </Grid.Item>
      </Grid.Root>
      {decision ? (
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Flex gap={2} wrap="wrap" alignItems="center">
            <Badge
              data-testid="visitor-variant"
              backgroundColor={decision.variant ? 'primary100' : 'neutral150'}
              textColor={decision.variant ? 'primary700' : 'neutral700'}
            >
              {decision.variant?.name ?? t('preview.base', 'Base entry')}
            </Badge>
            <Typography>{formatMessage(REASONS[decision.reason])}</Typography>
          </Flex>
          {decision.warnings.map((warning) => (
            <Typography key={warning} variant="pi" textColor="warning700">
              {warning}
            </Typography>
          ))}
          <Typography variant="sigma" textColor="neutral600">
            {t('preview.trace', 'Decision trace')}
          </Typography>
          <DecisionTrace trace={decision.trace} />
        </Flex>
      ) : hasTarget ? null : (
        <Typography variant="pi" textColor="neutral600">
          {t(
            'visitor.decision.noEntry',
            'Choose an entry above to see the variant this visitor gets, and why.'
          )}
        </Typography>
      )}
    </Card>
  );
};

/** The lookup of one visitor: the profile (or why there is none), the decision, and erasure. */
const VisitorResult = ({ visitorId, target }: { visitorId: string; target: Target | null }) => {
  const t = useT();
  const { describe, notify } = useRequestErrors();
  const { toggleNotification } = useNotification();
  const canErase = useCanEraseVisitors();
  // A profile changes with every event its visitor sends: asked again whenever the page opens.
  const lookup = useGetVisitorProfileQuery(
    { visitorId, target },
    { refetchOnMountOrArgChange: true }
  );
  const [erase, { isLoading: erasing }] = useEraseVisitorMutation();
  const [erased, setErased] = useState<Erasure | null>(null);
  const [showJson, setShowJson] = useState(false);

  const confirmErase = async () => {
    const result = await erase(visitorId);
    if ('error' in result) {
      notify(result.error);
      return;
    }
    setErased(result.data);
    toggleNotification({ type: 'success', message: t('visitor.erased.toast', 'Visitor erased') });
  };

  if (lookup.isLoading) return <Loader small>{t('list.loading', 'Loading…')}</Loader>;
  if (lookup.error || !lookup.data) {
    return (
      <Typography textColor="danger600" role="alert">
        {lookup.error ? describe(lookup.error) : null}
      </Typography>
    );
  }
  const { profile } = lookup.data;
  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      {erased ? (
        <Box data-testid="visitor-erased">
          <Alert
            variant="success"
            title={t('visitor.erased.title', 'Erased')}
            closeLabel={t('results.sources.dismiss', 'Dismiss')}
            onClose={() => setErased(null)}
          >
            {t(
              'visitor.erased',
              '{profiles, plural, =0 {No profile} one {# profile} other {# profiles}}, {exposures, plural, one {# exposure} other {# exposures}} and {conversions, plural, one {# conversion} other {# conversions}} of this visitor were deleted.',
              { ...erased }
            )}
          </Alert>
        </Box>
      ) : null}
      <Card testId="visitor-profile-card">
        <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={1} minWidth={0}>
            <Typography variant="delta" tag="h2">
              {t('visitor.profile', 'Profile')}
            </Typography>
            <Typography
              variant="pi"
              textColor="neutral600"
              style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
            >
              {visitorId}
            </Typography>
          </Flex>
          <Flex gap={2}>
            <Button
              variant="tertiary"
              startIcon={<ArrowClockwise />}
              loading={lookup.isFetching}
              onClick={() => void lookup.refetch()}
            >
              {t('visitor.refresh', 'Refresh')}
            </Button>
            {canErase ? (
              <ConfirmButton
                label={t('visitor.erase', 'Erase visitor')}
                icon={<Trash />}
                disabled={erasing}
                body={t(
                  'visitor.erase.confirm',
                  'Erase everything stored about "{visitorId}": the profile, and the exposures and conversions experiments counted? This cannot be undone.',
                  { visitorId }
                )}
                onConfirm={() => void confirmErase()}
              />
            ) : null}
          </Flex>
        </Flex>
        {profile ? (
          <ProfileCard profile={profile} />
        ) : (
          <Flex
            direction="column"
            alignItems="flex-start"
            gap={2}
            padding={4}
            hasRadius
            background="neutral100"
            data-testid="visitor-no-profile"
          >
            <Typography fontWeight="semiBold">
              {t('visitor.noProfile', 'No profile for this visitor.')}
            </Typography>
            <Typography textColor="neutral700">
              {t(
                'visitor.noProfile.why',
                'Profiles exist only for visitors who consented to personalization: their frontend sends consent.personalization true with their id. This visitor never did, was erased, or was not seen within the retention period.'
              )}
            </Typography>
          </Flex>
        )}
      </Card>
      <DecisionCard lookup={lookup.data} hasTarget={target !== null} />
      <Box>
        <Button variant="tertiary" onClick={() => setShowJson(!showJson)}>
          {showJson ? t('preview.json.hide', 'Hide JSON') : t('preview.json.show', 'Show JSON')}
        </Button>
      </Box>
      {showJson ? <JsonText value={lookup.data} /> : null}
    </Flex>
  );
};

/** The entry the lookup decides for, by name, with a way to drop it. */
const ChosenEntry = ({ target, onClear }: { target: Target; onClear: () => void }) => {
  const t = useT();
  const { data: summary } = useGetTargetSummaryQuery(target);
  return (
    <Flex gap={2} alignItems="center" wrap="wrap">
      <Typography variant="pi" fontWeight="bold">
        {t('visitor.entry', 'Entry')}:
      </Typography>
      <Typography data-testid="visitor-entry">
        {summary ? describeTarget(summary) : target.targetUid} · {target.locale.toUpperCase()}
      </Typography>
      <Button variant="tertiary" size="S" startIcon={<Cross />} onClick={onClear}>
        {t('visitor.entry.clear', 'Remove entry')}
      </Button>
    </Flex>
  );
};

/**
 * The Visitor lookup tab (`/plugins/personalize/visitors?visitorId=`): what the server remembers of
 * one visitor, what they get now (for an entry, with the trace), and erasure. The visitor and the
 * entry live in the URL, so that a reload or a link lands on the same lookup.
 */
export const VisitorLookup = () => {
  const t = useT();
  const [searchParams, setSearchParams] = useSearchParams();
  const visitorId = searchParams.get('visitorId') ?? '';
  const targetUid = searchParams.get('targetUid');
  const target: Target | null = targetUid
    ? {
        targetUid,
        targetDocumentId: searchParams.get('targetDocumentId') || null,
        locale: searchParams.get('locale') ?? 'en',
      }
    : null;
  const [typed, setTyped] = useState(visitorId);
  const [picking, setPicking] = useState(false);

  const update = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(change)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    setSearchParams(next);
  };
  const lookUp = (event: FormEvent) => {
    event.preventDefault();
    update({ visitorId: typed.trim() });
  };

  return (
    <Page.Protect permissions={PERMISSIONS.profilesRead}>
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Card>
          <SectionTitle
            title={t('visitor.title', 'Look up a visitor')}
            hint={t(
              'visitor.intro',
              'Enter the visitor id a frontend sends as visitorId (the client library keeps it in the browser).'
            )}
          />
          <form onSubmit={lookUp}>
            <Flex gap={2} alignItems="flex-end" wrap="wrap">
              <Box flex="1" minWidth="16rem" maxWidth="40rem">
                <Field.Root name="visitorId">
                  <Field.Label>{t('visitor.id', 'Visitor id')}</Field.Label>
                  <TextInput
                    value={typed}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      setTyped(event.target.value)
                    }
                  />
                </Field.Root>
              </Box>
              <Button type="submit" size="L" startIcon={<Search />} disabled={!typed.trim()}>
                {t('visitor.lookUp', 'Look up')}
              </Button>
            </Flex>
          </form>
          {target ? (
            <ChosenEntry
              target={target}
              onClear={() => update({ targetUid: null, targetDocumentId: null, locale: null })}
            />
          ) : picking ? (
            <Box paddingTop={2}>
              <TargetPicker
                intro={t(
                  'visitor.entry.intro',
                  'Choose an entry: the lookup then shows the variant this visitor gets and why.'
                )}
                submitLabel={t('visitor.entry.use', 'Use this entry')}
                onPick={(picked) => {
                  setPicking(false);
                  update({
                    targetUid: picked.targetUid,
                    targetDocumentId: picked.targetDocumentId,
                    locale: picked.locale,
                  });
                }}
              />
            </Box>
          ) : (
            <Box>
              <Button variant="secondary" onClick={() => setPicking(true)}>
                {t('visitor.entry.choose', 'Choose an entry')}
              </Button>
            </Box>
          )}
        </Card>
        {visitorId ? <VisitorResult key={visitorId} visitorId={visitorId} target={target} /> : null}
      </Flex>
    </Page.Protect>
  );
};
