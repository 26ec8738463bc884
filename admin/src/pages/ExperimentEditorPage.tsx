import { useState } from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { BackButton, Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';

import type { Arm, Experiment, JsonLogicRule, Variant } from '../api/types';
import { errorMessage, fieldErrors, useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
import { ArmsEditor, CONTROL } from '../components/ArmsEditor';
import { EXPERIMENTS_PATH, ExperimentActions } from '../components/ExperimentActions';
import { TextField } from '../components/fields';
import { PageLayout } from '../components/PageLayout';
import { RuleEditor } from '../components/RuleEditor/RuleEditor';
import { TargetPicker } from '../components/TargetPicker';
import { targetParams } from '../components/VariantsPanel';
import { samplesOf, useClassification } from '../components/classification';
import { useCanRunExperiments } from '../hooks';
import { message } from '../utils/getTranslation';

const EVERY_LOCALE = '*';

interface Loaded {
  experiment: Experiment | null;
  targetUid: string;
  targetDocumentId: string | null;
  /** The entry's locale the form was opened in; null when editing an every-locale experiment. */
  entryLocale: string | null;
  /** The content type's name, and whether it has locales at all. */
  contentType: { displayName: string; localized: boolean };
  /** The entry's variants in every locale; the form offers those of the chosen locale. */
  variants: Variant[];
}

interface Form {
  name: string;
  goal: string;
  /** null: every locale. */
  locale: string | null;
  /** Weights as entered (relative); the server normalizes them to sum to 1. */
  arms: Arm[];
  /** Percent, 1–100. */
  traffic: number;
  audience: JsonLogicRule;
  audienceValid: boolean;
}

const formOf = (loaded: Loaded): Form => {
  const { experiment } = loaded;
  return {
    name: experiment?.name ?? '',
    goal: experiment?.goal ?? 'cta_click',
    locale: experiment ? experiment.locale : loaded.entryLocale,
    // Stored weights are fractions of 1; percentages read better.
    arms: experiment?.arms.map((arm) => ({
      ...arm,
      weight: Math.round(arm.weight * 10_000) / 100,
    })) ?? [
      { key: CONTROL, variant: null, weight: 50 },
      { key: 'b', variant: null, weight: 50 },
    ],
    traffic: Math.round((experiment?.trafficAllocation ?? 1) * 100),
    audience: experiment?.audience ?? null,
    audienceValid: true,
  };
};

/** Create or edit an experiment on one entry: arms, weights, goal, locale, audience, traffic. */
const ExperimentEditor = ({ loaded }: { loaded: Loaded }) => {
  const { formatMessage } = useIntl();
  const api = usePersonalizeApi();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const canRun = useCanRunExperiments();
  const samples = samplesOf(useClassification());
  const [experiment, setExperiment] = useState(loaded.experiment);
  const [form, setForm] = useState(() => formOf(loaded));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // The server refuses to change these once started: it would move visitors between arms.
  const started = experiment !== null && experiment.status !== 'draft';
  const editable = canRun && !busy && !started;
  const t = (id: string, text: string) => formatMessage(message(id, text));
  const set = (change: Partial<Form>) => setForm((current) => ({ ...current, ...change }));
  // A type without locales keeps its variants in the default locale, whatever the URL says.
  const variants = loaded.variants.filter(
    (variant) =>
      !loaded.contentType.localized || form.locale === null || variant.locale === form.locale
  );
  const audienceError = Object.entries(errors).find(([path]) => path.startsWith('audience'))?.[1];

  const changeLocale = (locale: string | null) =>
    set({
      locale,
      // A variant of another locale cannot be an arm of a one-locale experiment.
      arms: form.arms.map((arm) =>
        loaded.variants.some(
          (variant) =>
            variant.documentId === arm.variant && (locale === null || variant.locale === locale)
        )
          ? arm
          : { ...arm, variant: null }
      ),
    });

  const save = async () => {
    setBusy(true);
    setErrors({});
    try {
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
              ...(experiment
                ? {}
                : { targetUid: loaded.targetUid, targetDocumentId: loaded.targetDocumentId }),
            }),
      };
      const saved = experiment
        ? await api.experiments.update(experiment.documentId, body)
        : await api.experiments.create(body);
      setExperiment(saved);
      toggleNotification({ type: 'success', message: t('experiment.saved', 'Experiment saved') });
      if (!experiment) navigate(`${EXPERIMENTS_PATH}/${saved.documentId}`, { replace: true });
    } catch (error) {
      setErrors(fieldErrors(error));
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const everyLocale = t('experiment.locale.every', 'Every locale');
  const subtitle = [
    loaded.contentType.displayName,
    loaded.targetDocumentId,
    loaded.contentType.localized ? (form.locale ?? everyLocale) : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <PageLayout
      title={experiment?.name || t('experiment.new', 'New experiment')}
      subtitle={subtitle}
      navigationAction={<BackButton fallback={EXPERIMENTS_PATH} />}
      primaryAction={
        canRun ? (
          <Button onClick={save} loading={busy} disabled={!form.audienceValid}>
            {t('action.save', 'Save')}
          </Button>
        ) : undefined
      }
    >
      <Flex direction="column" alignItems="stretch" gap={5}>
        {experiment ? (
          <ExperimentActions experiment={experiment} page="editor" onChange={setExperiment} />
        ) : null}
        <Flex gap={4} alignItems="flex-start">
          <TextField
            name="name"
            label={t('experiment.name', 'Name')}
            required
            error={errors.name}
            disabled={!canRun || busy}
            value={form.name}
            onChange={(name) => set({ name })}
          />
          <TextField
            name="goal"
            label={t('experiment.goal', 'Goal (conversion event name)')}
            hint={t('experiment.goal.hint', 'e.g. cta_click; conversions with this goal count')}
            required
            error={errors.goal}
            disabled={!editable}
            value={form.goal}
            onChange={(goal) => set({ goal })}
          />
        </Flex>
        {started ? (
          <Typography variant="pi" textColor="neutral600">
            {t(
              'experiment.frozen',
              'Arms, weights, goal, traffic and audience cannot change once the experiment has started: that would move visitors between arms.'
            )}
          </Typography>
        ) : null}
        {loaded.contentType.localized ? (
          <Box width="320px">
            <Field.Root
              name="locale"
              error={errors.locale}
              hint={t(
                'experiment.locale.hint',
                "A variant belongs to one locale: in every locale, the experiment only runs where each arm's variant is published."
              )}
            >
              <Field.Label>{t('column.locale', 'Locale')}</Field.Label>
              <SingleSelect
                value={form.locale ?? EVERY_LOCALE}
                disabled={!editable}
                onChange={(next: string | number) =>
                  changeLocale(next === EVERY_LOCALE ? null : String(next))
                }
              >
                {loaded.entryLocale ? (
                  <SingleSelectOption value={loaded.entryLocale}>
                    {loaded.entryLocale}
                  </SingleSelectOption>
                ) : null}
                <SingleSelectOption value={EVERY_LOCALE}>{everyLocale}</SingleSelectOption>
              </SingleSelect>
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Box>
        ) : null}
        <ArmsEditor
          arms={form.arms}
          variants={variants}
          showLocale={form.locale === null}
          disabled={!editable}
          errors={errors}
          onChange={(arms) => set({ arms })}
        />
        <Box width="240px">
          <Field.Root
            name="trafficAllocation"
            error={errors.trafficAllocation}
            hint={t('experiment.traffic.hint', 'Share of the audience that takes part')}
          >
            <Field.Label>{t('experiment.traffic', 'Traffic (%)')}</Field.Label>
            <NumberInput
              value={form.traffic}
              disabled={!editable}
              onValueChange={(traffic: number | undefined) =>
                set({ traffic: Math.min(100, Math.max(1, traffic ?? 100)) })
              }
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </Box>
        <RuleEditor
          key={experiment?.documentId ?? 'new'}
          label={t('experiment.audience', 'Audience (optional: empty means every visitor)')}
          initialRule={form.audience}
          samples={samples}
          disabled={!editable}
          onChange={(audience, audienceValid) => set({ audience, audienceValid })}
        />
        {audienceError ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {audienceError}
          </Typography>
        ) : null}
      </Flex>
    </PageLayout>
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

/** `/experiments/new?targetUid=&targetDocumentId=&locale=` or `/experiments/:documentId`. */
const LoadedEditor = ({ documentId }: { documentId: string | undefined }) => {
  const [searchParams] = useSearchParams();
  const api = usePersonalizeApi();
  const [state] = useLoad<Loaded>(async () => {
    const experiment = documentId ? await api.experiments.get(documentId) : null;
    const targetUid = experiment?.targetUid ?? searchParams.get('targetUid') ?? '';
    const targetDocumentId = experiment
      ? experiment.targetDocumentId
      : searchParams.get('targetDocumentId') || null;
    const [{ contentTypes }, variants] = await Promise.all([
      api.settings.get(),
      api.variants.list({ targetUid, ...(targetDocumentId ? { targetDocumentId } : {}) }),
    ]);
    const contentType = contentTypes.find((type) => type.uid === targetUid);
    if (!contentType) throw new Error(`Unknown content type ${targetUid}`);
    return {
      experiment,
      targetUid,
      targetDocumentId,
      entryLocale: experiment ? experiment.locale : (searchParams.get('locale') ?? 'en'),
      contentType,
      // Without a targetDocumentId filter the list holds other entries' variants too.
      variants: variants.filter(
        (variant) => (variant.targetDocumentId ?? null) === targetDocumentId
      ),
    };
  }, `${documentId}?${searchParams.toString()}`);
  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  return <ExperimentEditor key={documentId ?? 'new'} loaded={state.data} />;
};

export const ExperimentEditorPage = () => {
  const { documentId } = useParams<{ documentId: string }>();
  const [searchParams] = useSearchParams();
  if (!documentId && !searchParams.get('targetUid')) return <ChooseTarget />;
  return <LoadedEditor documentId={documentId} />;
};
