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

import type { Experiment, ExperimentStatus, Promotion } from '../api/types';
import { errorMessage, useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
import { useCanRunExperiments } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message } from '../utils/getTranslation';
import { CONTROL } from './ArmsEditor';
import { ConfirmButton } from './ConfirmButton';

/** The Experiments menu page; the editor and results pages are under it. */
export const EXPERIMENTS_PATH = `/plugins/${PLUGIN_ID}/experiments`;
const NO_WINNER = '-';

const STATUS_COLORS: Record<ExperimentStatus, [string, string]> = {
  draft: ['neutral700', 'neutral150'],
  running: ['success700', 'success100'],
  paused: ['warning700', 'warning100'],
  completed: ['primary700', 'primary100'],
};

const STATUS_LABELS = {
  draft: message('experiment.status.draft', 'Draft'),
  running: message('experiment.status.running', 'Running'),
  paused: message('experiment.status.paused', 'Paused'),
  completed: message('experiment.status.completed', 'Completed'),
};

export const StatusBadge = ({ status }: { status: ExperimentStatus }) => {
  const { formatMessage } = useIntl();
  const [textColor, backgroundColor] = STATUS_COLORS[status];
  return (
    <Badge textColor={textColor} backgroundColor={backgroundColor}>
      {formatMessage(STATUS_LABELS[status])}
    </Badge>
  );
};

/** The Content Manager's edit view of the entry a promotion wrote into. */
const entryPath = ({ targetUid, documentId, locale }: Promotion) =>
  `${
    documentId
      ? `/content-manager/collection-types/${targetUid}/${documentId}`
      : `/content-manager/single-types/${targetUid}`
  }?plugins[i18n][locale]=${locale}`;

/**
 * The lifecycle buttons of an experiment, each confirmed: start, pause, complete (declare a
 * winner), promote the winner, delete; and a link to the other page (results or editor).
 */
export const ExperimentActions = ({
  experiment,
  page,
  onChange,
}: {
  experiment: Experiment;
  /** The page the actions are on: each links to the other. */
  page: 'editor' | 'results';
  onChange: (experiment: Experiment) => void;
}) => {
  const { formatMessage } = useIntl();
  const t = (id: string, text: string) => formatMessage(message(id, text));
  const api = usePersonalizeApi();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const canRun = useCanRunExperiments();
  // No arm is preselected: declaring a winner is a decision, not a default.
  const [winner, setWinner] = useState<string | null>(null);
  const [promoted, setPromoted] = useState<Promotion | null>(null);
  const { documentId, status } = experiment;
  const deciding = status === 'running' || status === 'paused';
  const [context] = useLoad(async () => {
    const [others, results] = await Promise.all([
      status === 'draft' || status === 'paused'
        ? api.experiments.list({
            targetUid: experiment.targetUid,
            ...(experiment.targetDocumentId
              ? { targetDocumentId: experiment.targetDocumentId }
              : {}),
          })
        : Promise.resolve([]),
      deciding ? api.experiments.results(documentId) : Promise.resolve(null),
    ]);
    // The server runs one experiment per entry and locale at a time.
    const running = others.find(
      (other) =>
        other.documentId !== documentId &&
        other.status === 'running' &&
        (other.targetDocumentId ?? null) === (experiment.targetDocumentId ?? null) &&
        (other.locale === null || experiment.locale === null || other.locale === experiment.locale)
    );
    return { running: running ?? null, results };
  }, `${documentId}/${status}`);
  const loaded = context.status === 'success' ? context.data : null;
  const runningElsewhere = loaded?.running ?? null;
  const chosenArm = loaded?.results?.arms.find((arm) => arm.key === winner);
  // Without a significant difference a declared winner may be chance: say so before, not after.
  const unproven =
    winner !== null && winner !== NO_WINNER && winner !== CONTROL && !chosenArm?.significant;

  const act = async (work: () => Promise<Experiment | null>, done: string) => {
    try {
      const result = await work();
      if (result) onChange(result);
      toggleNotification({ type: 'success', message: done });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    }
  };

  const winnerArm = experiment.arms.find((arm) => arm.key === experiment.winner);
  return (
    <Flex gap={2} wrap="wrap" alignItems="center">
      <StatusBadge status={status} />
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
      {canRun && (status === 'draft' || status === 'paused') && runningElsewhere ? (
        <Typography variant="pi" textColor="warning700" data-testid="start-blocked">
          {formatMessage(
            message(
              'experiment.start.blocked',
              '"{name}" is already running on this entry: pause or complete it before starting this one.'
            ),
            { name: runningElsewhere.name }
          )}{' '}
          <Link tag={NavLink} to={`${EXPERIMENTS_PATH}/${runningElsewhere.documentId}/results`}>
            {t('experiment.start.blocked.open', 'Open the running experiment')}
          </Link>
        </Typography>
      ) : null}
      {canRun && (status === 'draft' || status === 'paused') && !runningElsewhere ? (
        <ConfirmButton
          variant="secondary"
          label={t('experiment.start', 'Start')}
          body={t(
            'experiment.start.confirm',
            'Visitors with a visitorId will be assigned to the arms from now on. Arms, weights, traffic and audience cannot change afterwards.'
          )}
          onConfirm={() =>
            act(() => api.experiments.start(documentId), t('experiment.started', 'Started'))
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
            act(() => api.experiments.pause(documentId), t('experiment.paused', 'Paused'))
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
                ? formatMessage(
                    message(
                      'experiment.complete.unproven',
                      'The results do not show that "{winner}" is better ({visitors} visitors so far, not significant): it may have won by chance. Wait for the sample size you planned unless you have another reason.'
                    ),
                    { winner, visitors: loaded?.results?.totalVisitors ?? 0 }
                  )
                : undefined
            }
            body={
              winner === NO_WINNER
                ? t(
                    'experiment.complete.noWinner.confirm',
                    'The experiment ends without a winner: every visitor gets the ordinary personalized content again.'
                  )
                : formatMessage(
                    message(
                      'experiment.complete.confirm',
                      'The experiment ends and "{winner}" wins: everyone who would have taken part gets its content.'
                    ),
                    { winner }
                  )
            }
            onConfirm={() =>
              act(
                () =>
                  api.experiments.complete(
                    documentId,
                    winner === NO_WINNER || winner === null ? null : winner
                  ),
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
          onConfirm={() =>
            act(
              async () => {
                setPromoted(await api.experiments.promote(documentId));
                return null;
              },
              t('experiment.promoted', 'Copied into the draft: review and publish it')
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
          onConfirm={() =>
            act(
              async () => {
                await api.experiments.remove(documentId);
                navigate(EXPERIMENTS_PATH);
                return null;
              },
              t('experiment.deleted', 'Deleted')
            )
          }
        />
      ) : null}
    </Flex>
  );
};
