import { useState } from 'react';

import {
  Badge,
  Box,
  Flex,
  Link,
  LinkButton,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';

import { useRequestErrors, type RequestError } from '../api/errors';
import {
  useChangeExperimentStatusMutation,
  useDeleteExperimentMutation,
  useGetExperimentsQuery,
  usePromoteExperimentMutation,
} from '../api/personalizeApi';
import type { Experiment, ExperimentResults, Promotion } from '../api/types';
import { useCanRunExperiments } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { useT } from '../utils/getTranslation';
import { entryFilter } from '../utils/targets';
import { CONTROL } from './ArmsEditor';
import { ConfirmButton } from './ConfirmButton';
import { StatusBadge } from './StatusBadge';

/** The Experiments menu page; the editor and results pages are under it. */
export const EXPERIMENTS_PATH = `/plugins/${PLUGIN_ID}/experiments`;
const NO_WINNER = '-';

/** The Content Manager's edit view of the entry a promotion wrote into. */
const entryPath = ({ targetUid, documentId, locale }: Promotion) =>
  `${
    documentId
      ? `/content-manager/collection-types/${targetUid}/${documentId}`
      : `/content-manager/single-types/${targetUid}`
  }?plugins[i18n][locale]=${locale}`;

/**
 * The lifecycle buttons of an experiment, each confirmed: start, pause, complete (declare a
 * winner), promote the winner, delete; and a link to the other page (results or editor). What
 * they change reaches the page through the data layer's cache tags.
 */
export const ExperimentActions = ({
  experiment,
  page,
  results,
}: {
  experiment: Experiment;
  /** The page the actions are on: each links to the other. */
  page: 'editor' | 'results';
  /** The results the page has, for the warning before declaring a winner they do not show. */
  results: ExperimentResults | undefined;
}) => {
  const t = useT();
  const { formatDate } = useIntl();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { notify } = useRequestErrors();
  const canRun = useCanRunExperiments();
  const [changeStatus] = useChangeExperimentStatusMutation();
  const [promote] = usePromoteExperimentMutation();
  const [remove] = useDeleteExperimentMutation();
  // No arm is preselected: declaring a winner is a decision, not a default.
  const [winner, setWinner] = useState<string | null>(null);
  const [promoted, setPromoted] = useState<Promotion | null>(null);
  const { documentId, status } = experiment;
  const startable = status === 'draft' || status === 'paused';
  const { data: others } = useGetExperimentsQuery(entryFilter(experiment), {
    skip: !canRun || !startable,
  });
  // The server runs one experiment per entry and locale at a time.
  const runningElsewhere = (others?.items ?? []).find(
    (other) =>
      other.documentId !== documentId &&
      other.status === 'running' &&
      (other.targetDocumentId ?? null) === (experiment.targetDocumentId ?? null) &&
      (other.locale === null || experiment.locale === null || other.locale === experiment.locale)
  );
  const chosenArm = results?.arms.find((arm) => arm.key === winner);
  // Without a significant difference a declared winner may be chance: say so before, not after.
  const unproven =
    winner !== null && winner !== NO_WINNER && winner !== CONTROL && !chosenArm?.significant;

  /** A confirmed action's request: its answer, or null after saying why it was refused. */
  const act = async <Data,>(
    request: PromiseLike<{ data: Data } | { error: RequestError }>,
    done: string
  ): Promise<Data | null> => {
    const result = await request;
    if ('error' in result) {
      notify(result.error);
      return null;
    }
    toggleNotification({ type: 'success', message: done });
    return result.data;
  };

  const winnerArm = experiment.arms.find((arm) => arm.key === experiment.winner);
  const when = (value: string) => formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });
  // Start on a draft whose start is ahead schedules it (the server starts it then).
  const schedules =
    status === 'draft' &&
    experiment.startAt !== null &&
    Date.parse(experiment.startAt) > Date.now();
  return (
    <Flex gap={2} wrap="wrap" alignItems="center">
      <StatusBadge status={status} />
      {status === 'scheduled' && experiment.startAt ? (
        <Typography variant="pi" textColor="neutral700" data-testid="scheduled-start">
          {t('experiment.scheduled.at', 'Starts on {date}', { date: when(experiment.startAt) })}
        </Typography>
      ) : null}
      {experiment.winner ? (
        <Badge>
          {t('experiment.winner', 'Winner')}: {experiment.winner}
        </Badge>
      ) : null}
      {page === 'editor' ? (
        <LinkButton
          tag={NavLink}
          variant="secondary"
          to={`${EXPERIMENTS_PATH}/${documentId}/results`}
        >
          {t('experiment.results', 'Results')}
        </LinkButton>
      ) : (
        <LinkButton tag={NavLink} variant="secondary" to={`${EXPERIMENTS_PATH}/${documentId}`}>
          {t('action.edit', 'Edit')}
        </LinkButton>
      )}
      {canRun && startable && runningElsewhere ? (
        <Typography variant="pi" textColor="warning700" data-testid="start-blocked">
          {t(
            'experiment.start.blocked',
            '"{name}" is already running on this entry: pause or complete it before starting this one.',
            { name: runningElsewhere.name }
          )}{' '}
          <Link tag={NavLink} to={`${EXPERIMENTS_PATH}/${runningElsewhere.documentId}/results`}>
            {t('experiment.start.blocked.open', 'Open the running experiment')}
          </Link>
        </Typography>
      ) : null}
      {canRun && startable && !runningElsewhere && !schedules ? (
        <ConfirmButton
          variant="secondary"
          label={t('experiment.start', 'Start')}
          body={t(
            'experiment.start.confirm',
            'Visitors with a visitorId will be assigned to the arms from now on. Arms, weights, traffic and audience cannot change afterwards.'
          )}
          onConfirm={() =>
            act(changeStatus({ documentId, action: 'start' }), t('experiment.started', 'Started'))
          }
        />
      ) : null}
      {canRun && schedules && !runningElsewhere ? (
        <ConfirmButton
          variant="secondary"
          label={t('experiment.schedule.action', 'Schedule')}
          body={t(
            'experiment.schedule.confirm',
            'The experiment starts by itself on {date}. Until then you can still change it, or cancel it; once it has started, arms, weights, traffic and audience cannot change.',
            { date: when(experiment.startAt!) }
          )}
          onConfirm={() =>
            act(
              changeStatus({ documentId, action: 'start' }),
              t('experiment.scheduled', 'Scheduled')
            )
          }
        />
      ) : null}
      {canRun && status === 'scheduled' ? (
        <ConfirmButton
          variant="secondary"
          label={t('experiment.cancel', 'Cancel the schedule')}
          body={t(
            'experiment.cancel.confirm',
            'The experiment will not start: it is completed without a winner, before any visitor took part.'
          )}
          onConfirm={() =>
            act(
              changeStatus({ documentId, action: 'complete', winner: null }),
              t('experiment.cancelled', 'Cancelled')
            )
          }
        />
      ) : null}
      {canRun && status === 'running' ? (
        <ConfirmButton
          variant="secondary"
          label={t('experiment.pause', 'Pause')}
          body={t(
            'experiment.pause.confirm',
            'While paused, every visitor gets the ordinary personalized content and nothing is counted.'
          )}
          onConfirm={() =>
            act(changeStatus({ documentId, action: 'pause' }), t('experiment.paused', 'Paused'))
          }
        />
      ) : null}
      {canRun && (status === 'running' || status === 'paused') ? (
        <>
          <Box width="200px">
            <SingleSelect
              aria-label={t('experiment.winner', 'Winner')}
              placeholder={t('experiment.winner.choose', 'Choose the outcome')}
              name="winner"
              value={winner ?? undefined}
              onChange={(next: string | number) => setWinner(String(next))}
            >
              <SingleSelectOption value={NO_WINNER}>
                {t('experiment.noWinner', 'No winner')}
              </SingleSelectOption>
              {experiment.arms.map((arm) => (
                <SingleSelectOption key={arm.key} value={arm.key}>
                  {arm.key}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <ConfirmButton
            variant="secondary"
            disabled={winner === null}
            label={
              winner === NO_WINNER
                ? t('experiment.completeWithoutWinner', 'Complete without a winner')
                : t('experiment.declareWinner', 'Declare winner')
            }
            warning={
              unproven
                ? t(
                    'experiment.complete.unproven',
                    'The results do not show that "{winner}" is better ({visitors} visitors so far, not significant): it may have won by chance. Wait for the sample size you planned unless you have another reason.',
                    { winner, visitors: results?.totalVisitors ?? 0 }
                  )
                : undefined
            }
            body={
              winner === NO_WINNER
                ? t(
                    'experiment.complete.noWinner.confirm',
                    'The experiment ends without a winner: every visitor gets the ordinary personalized content again.'
                  )
                : t(
                    'experiment.complete.confirm',
                    'The experiment ends and "{winner}" wins: everyone who would have taken part gets its content.',
                    { winner }
                  )
            }
            onConfirm={() =>
              act(
                changeStatus({
                  documentId,
                  action: 'complete',
                  winner: winner === NO_WINNER ? null : winner,
                }),
                t('experiment.completed', 'Completed')
              )
            }
          />
        </>
      ) : null}
      {canRun && status === 'completed' && winnerArm?.variant ? (
        <ConfirmButton
          variant="secondary"
          label={t('experiment.promote', 'Promote to base')}
          body={t(
            'experiment.promote.confirm',
            "The winning variant's fields are copied into the entry's draft. Review and publish it in the Content Manager."
          )}
          onConfirm={async () =>
            setPromoted(
              await act(
                promote(documentId),
                t('experiment.promoted', 'Copied into the draft: review and publish it')
              )
            )
          }
        />
      ) : null}
      {promoted ? (
        // Promotion writes the draft only: an editor reviews and publishes it.
        <LinkButton tag={NavLink} variant="default" to={entryPath(promoted)}>
          {t('experiment.promoted.open', 'Review and publish the entry')}
        </LinkButton>
      ) : null}
      {canRun ? (
        <ConfirmButton
          label={t('action.delete', 'Delete')}
          body={t(
            'experiment.delete.confirm',
            'The experiment and all its exposures and conversions are deleted.'
          )}
          onConfirm={async () => {
            if (await act(remove(documentId), t('experiment.deleted', 'Deleted'))) {
              navigate(EXPERIMENTS_PATH);
            }
          }}
        />
      ) : null}
    </Flex>
  );
};
