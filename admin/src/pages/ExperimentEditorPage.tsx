import { useState } from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  IconButton,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { BackButton, Page, useNotification, type FormHelpers } from '@strapi/strapi/admin';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';

import { errorUnder, useRequestErrors } from '../api/errors';
import {
  useCreateExperimentMutation,
  useGetExperimentQuery,
  useGetExperimentResultsQuery,
  useGetPersonalizeSettingsQuery,
  useGetTargetSummaryQuery,
  useGetVariantsQuery,
  useUpdateExperimentMutation,
} from '../api/personalizeApi';
import type {
  Arm,
  ContentTypeSettings,
  Experiment,
  ExperimentMode,
  ExperimentStatus,
  JsonLogicRule,
  Variant,
} from '../api/types';
import { ArmsEditor, CONTROL } from '../components/ArmsEditor';
import { EditorCard, EditorPage } from '../components/EditorPage';
import { EXPERIMENTS_PATH, ExperimentActions } from '../components/ExperimentActions';
import {
  DateTimeField,
  NameField,
  NumberField,
  SelectField,
  SelectInput,
  TextField,
} from '../components/fields';
import { PageLayout } from '../components/PageLayout';
import { RuleField } from '../components/RuleEditor/RuleEditor';
import { TargetPicker } from '../components/TargetPicker';
import { targetParams } from '../components/VariantsPanel';
import { samplesOf, useClassification } from '../components/classification';
import { useCanRunExperiments } from '../hooks';
import { message, useT } from '../utils/getTranslation';
import { MAX_SECONDARY_GOALS } from '../utils/limits';
import { describeTarget, entryFilter, targetOf, type TargetFields } from '../utils/targets';

const EVERY_LOCALE = '*';

/** Statuses in which nobody has been exposed yet: everything may still change (as the server says). */
const EDITABLE: ReadonlySet<ExperimentStatus> = new Set(['draft', 'scheduled']);

/** Statuses in which the end may still move: until the experiment is completed. */
const END_EDITABLE: ReadonlySet<ExperimentStatus> = new Set([
  'draft',
  'scheduled',
  'running',
  'paused',
]);

/** The admin's time zone, as the date pickers use it (the browser's). */
const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Whether two stored times (ISO strings, or null) are the same moment. */
const sameTime = (a: string | null, b: string | null) =>
  a === null || b === null ? a === b : Date.parse(a) === Date.parse(b);

interface Loaded extends TargetFields {
  experiment: Experiment | null;
  /** The entry's locale the form was opened in; null when editing an every-locale experiment. */
  entryLocale: string | null;
  /** The content type's name, and whether it has locales at all. */
  contentType: Pick<ContentTypeSettings, 'displayName' | 'localized'>;
  /** The entry's variants in every locale; the form offers those of the chosen locale. */
  variants: Variant[];
}

interface FormValues {
  name: string;
  goal: string;
  /** null: every locale. */
  locale: string | null;
  /** Weights as entered (relative); the server normalizes them to sum to 1. */
  arms: Arm[];
  /** Percent, 1–100. */
  traffic: number;
  audience: JsonLogicRule;
  mode: ExperimentMode;
  /** Other conversion events shown in the results, never deciding (blank ones are left out). */
  secondaryGoals: string[];
  /** ISO date-times, or null. */
  startAt: string | null;
  endAt: string | null;
}

const formOf = (loaded: Loaded, experiment: Experiment | null): FormValues => {
  const locale = experiment ? experiment.locale : loaded.entryLocale;
  // A new experiment tests a variant against the entry, not the entry against itself (A/A).
  const candidate = loaded.variants.find(
    (variant) => !loaded.contentType.localized || locale === null || variant.locale === locale
  );
  return {
    name: experiment?.name ?? '',
    goal: experiment?.goal ?? 'cta_click',
    locale,
    // Stored weights are fractions of 1; percentages read better.
    arms: experiment?.arms.map((arm) => ({
      ...arm,
      weight: Math.round(arm.weight * 10_000) / 100,
    })) ?? [
      { key: CONTROL, variant: null, weight: 50 },
      { key: 'b', variant: candidate?.documentId ?? null, weight: 50 },
    ],
    traffic: Math.round((experiment?.trafficAllocation ?? 1) * 100),
    audience: experiment?.audience ?? null,
    mode: experiment?.mode ?? 'fixed',
    secondaryGoals: experiment?.secondaryGoals ?? [],
    startAt: experiment?.startAt ?? null,
    endAt: experiment?.endAt ?? null,
  };
};

/**
 * Up to five other conversion events the results show per arm, for information: only the
 * primary goal decides significance (and a bandit's weights).
 */
const SecondaryGoals = ({
  goals,
  onChange,
  errors,
  disabled,
}: {
  goals: string[];
  onChange: (goals: string[]) => void;
  errors: object;
  disabled: boolean;
}) => {
  const t = useT();
  const listError = errorUnder(errors, 'secondaryGoals');
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="secondary-goals">
      <Typography variant="pi" fontWeight="bold" tag="p">
        {t('experiment.secondaryGoals', 'Secondary goals (optional)')}
      </Typography>
      <Typography variant="pi" textColor="neutral600">
        {t(
          'experiment.secondaryGoals.hint',
          'Up to {max} other conversion events, shown in the results for information: only the goal above decides which arm wins.',
          { max: MAX_SECONDARY_GOALS }
        )}
      </Typography>
      {goals.map((goal, index) => (
        <Flex key={index} gap={2} alignItems="flex-start">
          <Box width="24rem">
            <Field.Root
              name={`secondaryGoals.${index}`}
              error={errorUnder(errors, `secondaryGoals.${index}`)}
            >
              <TextInput
                aria-label={t('experiment.secondaryGoal', 'Secondary goal {number}', {
                  number: index + 1,
                })}
                value={goal}
                disabled={disabled}
                placeholder="newsletter_signup"
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  onChange(goals.map((other, at) => (at === index ? event.target.value : other)))
                }
              />
              <Field.Error />
            </Field.Root>
          </Box>
          {disabled ? null : (
            <IconButton
              variant="ghost"
              label={t('experiment.secondaryGoal.remove', 'Remove secondary goal {number}', {
                number: index + 1,
              })}
              onClick={() => onChange(goals.filter((_goal, at) => at !== index))}
            >
              <Trash />
            </IconButton>
          )}
        </Flex>
      ))}
      {listError &&
      goals.every((_goal, index) => !errorUnder(errors, `secondaryGoals.${index}`)) ? (
        <Typography variant="pi" textColor="danger600" role="alert">
          {listError}
        </Typography>
      ) : null}
      {disabled ? (
        goals.length === 0 ? (
          <Typography variant="pi" textColor="neutral600">
            {t('experiment.secondaryGoals.none', 'None')}
          </Typography>
        ) : null
      ) : (
        <Box>
          <Button
            variant="tertiary"
            startIcon={<Plus />}
            disabled={goals.length >= MAX_SECONDARY_GOALS}
            onClick={() => onChange([...goals, ''])}
          >
            {t('experiment.secondaryGoals.add', 'Add a secondary goal')}
          </Button>
        </Box>
      )}
    </Flex>
  );
};

/**
 * Create or edit an experiment on one entry: arms, weights, goal, locale, audience, traffic. The
 * experiment comes from the data layer, so a lifecycle action (start…) reaches the form.
 */
const ExperimentEditor = ({ loaded }: { loaded: Loaded }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { reportSaveError } = useRequestErrors();
  const [createExperiment] = useCreateExperimentMutation();
  const [updateExperiment] = useUpdateExperimentMutation();
  const canRun = useCanRunExperiments();
  const samples = samplesOf(useClassification());
  const [audienceValid, setAudienceValid] = useState(true);
  const { experiment } = loaded;
  // The server refuses to change these once started: it would move visitors between arms.
  const started = experiment !== null && !EDITABLE.has(experiment.status);
  // The end may move until the experiment is completed.
  const endEditable = experiment === null || END_EDITABLE.has(experiment.status);
  // Declaring a winner here warns, as on the results page, when the results do not show it.
  const deciding = experiment?.status === 'running' || experiment?.status === 'paused';
  const { data: target } = useGetTargetSummaryQuery(
    targetOf({ ...loaded, locale: loaded.entryLocale })
  );
  const { data: results } = useGetExperimentResultsQuery(
    { documentId: experiment?.documentId ?? '', conversions: 'all' },
    { skip: !deciding, refetchOnMountOrArgChange: true }
  );
  // A type without locales keeps its variants in the default locale, whatever the URL says.
  const variantsIn = (locale: string | null) =>
    loaded.variants.filter(
      (variant) => !loaded.contentType.localized || locale === null || variant.locale === locale
    );

  /** The arms after a locale change: a variant of another locale cannot be an arm. */
  const armsIn = (arms: Arm[], locale: string | null) =>
    arms.map((arm) =>
      variantsIn(locale).some((variant) => variant.documentId === arm.variant)
        ? arm
        : { ...arm, variant: null }
    );

  const save = async (form: FormValues, { resetForm, setErrors }: FormHelpers<FormValues>) => {
    // An end sent is checked to be ahead: only a new or changed one is sent.
    const endChanged = !sameTime(form.endAt, experiment?.endAt ?? null);
    const body = {
      name: form.name,
      ...(started
        ? {}
        : {
            goal: form.goal,
            locale: form.locale,
            arms: form.arms,
            trafficAllocation: form.traffic / 100,
            audience: form.audience,
            mode: form.mode,
            secondaryGoals: form.secondaryGoals.map((goal) => goal.trim()).filter(Boolean),
            startAt: form.startAt,
            ...(experiment
              ? {}
              : { targetUid: loaded.targetUid, targetDocumentId: loaded.targetDocumentId }),
          }),
      ...(endEditable && endChanged ? { endAt: form.endAt } : {}),
    };
    const result = experiment
      ? await updateExperiment({ documentId: experiment.documentId, data: body })
      : await createExperiment(body);
    if ('error' in result) {
      // The form edits the traffic in percent; the server names its fraction.
      reportSaveError(result.error, ({ trafficAllocation, ...others }) =>
        setErrors(trafficAllocation ? { ...others, traffic: trafficAllocation } : others)
      );
      return;
    }
    // Saved: nothing is left to lose, before the form leaves for the new experiment's page.
    resetForm(formOf(loaded, result.data));
    toggleNotification({ type: 'success', message: t('experiment.saved', 'Experiment saved') });
    if (!experiment) navigate(`${EXPERIMENTS_PATH}/${result.data.documentId}`, { replace: true });
  };

  const everyLocale = t('experiment.locale.every', 'Every locale');

  return (
    <EditorPage
      title={experiment?.name || t('experiment.new', 'New experiment')}
      subtitle={target ? describeTarget(target) : loaded.contentType.displayName}
      back={EXPERIMENTS_PATH}
      initialValues={formOf(loaded, loaded.experiment)}
      isNew={!experiment}
      onSubmit={save}
      disabled={!canRun}
      canSave={canRun}
      saveDisabled={!audienceValid}
    >
      {({ values: form, onChange, isSubmitting, errors }) => {
        const editable = canRun && !isSubmitting && !started;
        return (
          <Flex direction="column" alignItems="stretch" gap={5}>
            {experiment ? (
              <ExperimentActions experiment={experiment} page="editor" results={results} />
            ) : null}
            <EditorCard gap={5}>
              <Flex gap={4} alignItems="flex-start">
                <NameField />
                <TextField
                  name="goal"
                  label={t('experiment.goal', 'Goal (conversion event name)')}
                  hint={t(
                    'experiment.goal.hint',
                    'e.g. cta_click; conversions with this goal count'
                  )}
                  required
                  disabled={!editable}
                />
              </Flex>
              {started ? (
                <Typography variant="pi" textColor="neutral600">
                  {t(
                    'experiment.frozen',
                    'Arms, weights, goals, mode, start, traffic and audience cannot change once the experiment has started: that would move visitors between arms or mix data. The end can still move until it is completed.'
                  )}
                </Typography>
              ) : null}
              {loaded.contentType.localized ? (
                <Box width="320px">
                  <SelectInput
                    name="locale"
                    label={t('column.locale', 'Locale')}
                    hint={t(
                      'experiment.locale.hint',
                      "A variant belongs to one locale: in every locale, the experiment only runs where each arm's variant is published."
                    )}
                    error={errorUnder(errors, 'locale')}
                    value={form.locale ?? EVERY_LOCALE}
                    options={[
                      ...(loaded.entryLocale
                        ? [{ value: loaded.entryLocale, label: loaded.entryLocale }]
                        : []),
                      { value: EVERY_LOCALE, label: everyLocale },
                    ]}
                    disabled={!editable}
                    onChange={(next) => {
                      const locale = next === EVERY_LOCALE ? null : next;
                      onChange('locale', locale);
                      onChange('arms', armsIn(form.arms, locale));
                    }}
                  />
                </Box>
              ) : null}
              <ArmsEditor
                variants={variantsIn(form.locale)}
                showLocale={form.locale === null}
                disabled={!editable}
              />
              <Box maxWidth="48rem">
                <SelectField
                  name="mode"
                  label={t('experiment.mode', 'How traffic is split')}
                  options={[
                    { value: 'fixed', label: t('experiment.mode.fixed', 'Fixed weights') },
                    { value: 'bandit', label: t('experiment.mode.bandit', 'Bandit') },
                  ]}
                  disabled={!editable}
                />
                <Box paddingTop={1}>
                  <Typography variant="pi" textColor="neutral600" data-testid="mode-hint">
                    {form.mode === 'bandit'
                      ? t(
                          'experiment.mode.bandit.hint',
                          'Bandit: the arms that convert better get more visitors as the results come in (Thompson sampling). It wastes less traffic on a losing arm, but reports no p-value: reweighting on the data breaks its guarantees.'
                        )
                      : t(
                          'experiment.mode.fixed.hint',
                          'Fixed weights: every arm keeps its weight until the end, and significance is tested with p-values.'
                        )}
                  </Typography>
                </Box>
              </Box>
              <SecondaryGoals
                goals={form.secondaryGoals}
                onChange={(goals) => onChange('secondaryGoals', goals)}
                errors={errors}
                disabled={!editable}
              />
              <Box width="240px">
                <NumberField
                  name="traffic"
                  label={t('experiment.traffic', 'Traffic (%)')}
                  hint={t('experiment.traffic.hint', 'Share of the audience that takes part')}
                  min={1}
                  max={100}
                  disabled={!editable}
                />
              </Box>
              <RuleField
                key={experiment?.documentId ?? 'new'}
                name="audience"
                label={t('experiment.audience', 'Audience (optional: empty means every visitor)')}
                samples={samples}
                disabled={!editable}
                onValidity={setAudienceValid}
              />
            </EditorCard>
            <EditorCard gap={4}>
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography variant="delta" tag="h2">
                  {t('experiment.schedule', 'Schedule')}
                </Typography>
                <Typography variant="pi" textColor="neutral600">
                  {t(
                    'experiment.schedule.hint',
                    'Optional. Times are in your time zone ({zone}). With a start ahead, the experiment is scheduled instead of started, and starts by itself then; at the end it completes without a winner and everyone gets the base content again.',
                    { zone: timeZone() }
                  )}
                </Typography>
              </Flex>
              <Grid.Root gap={4} data-testid="experiment-schedule">
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <DateTimeField
                    name="startAt"
                    label={t('experiment.startAt', 'Start')}
                    hint={t('experiment.startAt.hint', 'Empty: when you press Start.')}
                    disabled={!editable}
                  />
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <DateTimeField
                    name="endAt"
                    label={t('experiment.endAt', 'End')}
                    hint={t(
                      'experiment.endAt.hint',
                      'Empty: it runs until you complete it. Can move until it is completed.'
                    )}
                    disabled={!canRun || isSubmitting || !endEditable}
                  />
                </Grid.Item>
              </Grid.Root>
            </EditorCard>
          </Flex>
        );
      }}
    </EditorPage>
  );
};

/** `/experiments/new` without a target: choose the entry first. */
const ChooseTarget = () => {
  const [, setSearchParams] = useSearchParams();
  return (
    <PageLayout
      title={message('experiment.new', 'New experiment')}
      subtitle={message('experiment.target.subtitle', 'Which entry do you want to test?')}
      navigationAction={<BackButton fallback={EXPERIMENTS_PATH} />}
    >
      <TargetPicker
        onPick={(target) =>
          setSearchParams(targetParams(target.targetUid, target.targetDocumentId, target.locale))
        }
      />
    </PageLayout>
  );
};

/** The editor once the entry is known: its content type's settings and its variants. */
const EntryEditor = ({
  experiment,
  target,
}: {
  experiment: Experiment | null;
  target: TargetFields & { locale: string | null };
}) => {
  const settings = useGetPersonalizeSettingsQuery();
  const variants = useGetVariantsQuery(entryFilter(target));
  if (settings.isLoading || variants.isLoading) return <Page.Loading />;
  const contentType = settings.data?.contentTypes.find((type) => type.uid === target.targetUid);
  if (!contentType || !variants.data) return <Page.Error />;
  return (
    <ExperimentEditor
      loaded={{
        experiment,
        targetUid: target.targetUid,
        targetDocumentId: target.targetDocumentId,
        entryLocale: target.locale,
        contentType,
        // Without a targetDocumentId filter (a single type) the list holds every variant of the type.
        variants: variants.data.items.filter(
          (variant) => (variant.targetDocumentId ?? null) === target.targetDocumentId
        ),
      }}
    />
  );
};

/** `/experiments/:documentId`: the experiment names its entry. */
const StoredExperimentEditor = ({ documentId }: { documentId: string }) => {
  const { data: experiment, isLoading } = useGetExperimentQuery(documentId);
  if (isLoading) return <Page.Loading />;
  if (!experiment) return <Page.Error />;
  return <EntryEditor experiment={experiment} target={targetOf(experiment)} />;
};

/** `/experiments/new?targetUid=&targetDocumentId=&locale=` or `/experiments/:documentId`. */
export const ExperimentEditorPage = () => {
  const { documentId } = useParams<{ documentId: string }>();
  const [searchParams] = useSearchParams();
  if (documentId) return <StoredExperimentEditor key={documentId} documentId={documentId} />;
  const targetUid = searchParams.get('targetUid');
  if (!targetUid) return <ChooseTarget />;
  return (
    <EntryEditor
      experiment={null}
      target={{
        targetUid,
        targetDocumentId: searchParams.get('targetDocumentId') || null,
        locale: searchParams.get('locale') ?? 'en',
      }}
    />
  );
};
