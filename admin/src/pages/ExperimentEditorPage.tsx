import { useState } from 'react';

import {
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { BackButton, Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';

import type { Arm, Experiment, JsonLogicRule, Variant } from '../api/types';
import { errorMessage, useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
import { ExperimentActions } from '../components/ExperimentActions';
import { NumberField, TextField } from '../components/fields';
import { PageLayout } from '../components/PageLayout';
import { RuleEditor } from '../components/RuleEditor/RuleEditor';
import { samplesOf, useClassification } from '../components/classification';
import { useCanRunExperiments } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message } from '../utils/getTranslation';

const BASE = '-';

interface Target {
  targetUid: string;
  targetDocumentId: string | null;
  locale: string;
}

interface Form {
  name: string;
  goal: string;
  arms: Arm[];
  /** Percent, 1–100. */
  traffic: number;
  audience: JsonLogicRule;
  audienceValid: boolean;
}

export const EXPERIMENTS_PATH = `/plugins/${PLUGIN_ID}/experiments`;

const formOf = (experiment: Experiment | null): Form => ({
  name: experiment?.name ?? '',
  goal: experiment?.goal ?? 'cta_click',
  arms: experiment?.arms ?? [
    { key: 'control', variant: null, weight: 50 },
    { key: 'b', variant: null, weight: 50 },
  ],
  traffic: Math.round((experiment?.trafficAllocation ?? 1) * 100),
  audience: experiment?.audience ?? null,
  audienceValid: true,
});

/** Create or edit an experiment on one entry: arms, weights, goal, audience, traffic. */
const ExperimentEditor = ({
  initial,
  target,
  variants,
}: {
  initial: Experiment | null;
  target: Target;
  variants: Variant[];
}) => {
  const { formatMessage } = useIntl();
  const api = usePersonalizeApi();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const canRun = useCanRunExperiments();
  const samples = samplesOf(useClassification());
  const [experiment, setExperiment] = useState(initial);
  const [form, setForm] = useState(() => formOf(initial));
  const [busy, setBusy] = useState(false);
  const started = experiment !== null && experiment.status !== 'draft';
  const editable = canRun && !busy && !started;
  const t = (id: string, text: string) => formatMessage(message(id, text));

  const setArm = (index: number, change: Partial<Arm>) =>
    setForm((current) => ({
      ...current,
      arms: current.arms.map((arm, at) => (at === index ? { ...arm, ...change } : arm)),
    }));

  const save = async () => {
    setBusy(true);
    try {
      const body = {
        name: form.name,
        goal: form.goal,
        ...(started
          ? {}
          : {
              arms: form.arms,
              trafficAllocation: form.traffic / 100,
              audience: form.audience,
              ...(experiment
                ? {}
                : {
                    targetUid: target.targetUid,
                    targetDocumentId: target.targetDocumentId,
                    locale: target.locale,
                  }),
            }),
      };
      const saved = experiment
        ? await api.experiments.update(experiment.documentId, body)
        : await api.experiments.create(body);
      setExperiment(saved);
      toggleNotification({ type: 'success', message: t('experiment.saved', 'Experiment saved') });
      if (!experiment) navigate(`${EXPERIMENTS_PATH}/${saved.documentId}`, { replace: true });
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const variantLabel = (variant: Variant) =>
    variant.status === 'draft'
      ? `${variant.name} (${t('experiment.unpublished', 'not published: publish it before starting')})`
      : variant.name;

  return (
    <PageLayout
      title={experiment?.name || t('experiment.new', 'New experiment')}
      subtitle={`${target.targetUid}${target.targetDocumentId ? ` · ${target.targetDocumentId}` : ''} · ${target.locale}`}
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
        {experiment ? <ExperimentActions experiment={experiment} onChange={setExperiment} /> : null}
        <Flex gap={4} alignItems="flex-start">
          <TextField
            name="name"
            label={t('experiment.name', 'Name')}
            required
            disabled={!canRun || busy}
            value={form.name}
            onChange={(name) => setForm((current) => ({ ...current, name }))}
          />
          <TextField
            name="goal"
            label={t('experiment.goal', 'Goal (conversion event name)')}
            hint={t('experiment.goal.hint', 'e.g. cta_click; conversions with this goal count')}
            required
            disabled={!editable}
            value={form.goal}
            onChange={(goal) => setForm((current) => ({ ...current, goal }))}
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
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="delta" tag="h2">
            {t('experiment.arms', 'Arms')}
          </Typography>
          {form.arms.map((arm, index) => (
            <Flex key={index} gap={3} alignItems="flex-end">
              <Box width="160px">
                <Field.Root name={`arms.${index}.key`}>
                  <Field.Label>{t('experiment.arm.key', 'Key')}</Field.Label>
                  <TextInput
                    value={arm.key}
                    disabled={!editable || arm.key === 'control'}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      setArm(index, { key: event.target.value })
                    }
                  />
                </Field.Root>
              </Box>
              <Box grow={1}>
                <Field.Root name={`arms.${index}.variant`}>
                  <Field.Label>{t('experiment.arm.content', 'Content')}</Field.Label>
                  <SingleSelect
                    value={arm.variant ?? BASE}
                    disabled={!editable}
                    onChange={(next: string | number) =>
                      setArm(index, { variant: next === BASE ? null : String(next) })
                    }
                  >
                    <SingleSelectOption value={BASE}>
                      {t('experiment.arm.base', 'The entry itself (base)')}
                    </SingleSelectOption>
                    {variants.map((variant) => (
                      <SingleSelectOption key={variant.documentId} value={variant.documentId}>
                        {variantLabel(variant)}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              </Box>
              <Box width="120px">
                <NumberField
                  name={`arms.${index}.weight`}
                  label={t('experiment.arm.weight', 'Weight')}
                  disabled={!editable}
                  value={arm.weight}
                  onChange={(weight) => setArm(index, { weight })}
                />
              </Box>
              <IconButton
                label={t('experiment.arm.remove', 'Remove arm')}
                disabled={!editable || arm.key === 'control' || form.arms.length <= 2}
                onClick={() =>
                  setForm((current) => ({
                    ...current,
                    arms: current.arms.filter((_, at) => at !== index),
                  }))
                }
              >
                <Trash />
              </IconButton>
            </Flex>
          ))}
          <Box>
            <Button
              variant="tertiary"
              startIcon={<Plus />}
              disabled={!editable || form.arms.length >= 10}
              onClick={() =>
                setForm((current) => ({
                  ...current,
                  arms: [
                    ...current.arms,
                    { key: `arm-${current.arms.length + 1}`, variant: null, weight: 50 },
                  ],
                }))
              }
            >
              {t('experiment.arm.add', 'Add an arm')}
            </Button>
          </Box>
        </Flex>
        <Box width="240px">
          <Field.Root
            name="traffic"
            hint={t('experiment.traffic.hint', 'Share of the audience that takes part')}
          >
            <Field.Label>{t('experiment.traffic', 'Traffic (%)')}</Field.Label>
            <NumberInput
              value={form.traffic}
              disabled={!editable}
              onValueChange={(traffic: number | undefined) =>
                setForm((current) => ({
                  ...current,
                  traffic: Math.min(100, Math.max(1, traffic ?? 100)),
                }))
              }
            />
            <Field.Hint />
          </Field.Root>
        </Box>
        <RuleEditor
          key={experiment?.documentId ?? 'new'}
          label={t('experiment.audience', 'Audience (optional: empty means every visitor)')}
          initialRule={form.audience}
          samples={samples}
          disabled={!editable}
          onChange={(audience, valid) =>
            setForm((current) => ({ ...current, audience, audienceValid: valid }))
          }
        />
      </Flex>
    </PageLayout>
  );
};

/** `/experiments/new?targetUid=…` or `/experiments/:documentId`. */
export const ExperimentEditorPage = () => {
  const { documentId } = useParams<{ documentId: string }>();
  const [searchParams] = useSearchParams();
  const api = usePersonalizeApi();
  const [state] = useLoad(async () => {
    const experiment = documentId ? await api.experiments.get(documentId) : null;
    const target: Target = experiment
      ? {
          targetUid: experiment.targetUid,
          targetDocumentId: experiment.targetDocumentId,
          locale: experiment.locale ?? 'en',
        }
      : {
          targetUid: searchParams.get('targetUid') ?? '',
          targetDocumentId: searchParams.get('targetDocumentId') || null,
          locale: searchParams.get('locale') ?? 'en',
        };
    const variants = (
      await api.variants.list({
        targetUid: target.targetUid,
        ...(target.targetDocumentId ? { targetDocumentId: target.targetDocumentId } : {}),
        locale: target.locale,
      })
    ).filter((variant) => (variant.targetDocumentId ?? null) === target.targetDocumentId);
    return { experiment, target, variants };
  }, `${documentId}/${searchParams.toString()}`);
  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  return (
    <ExperimentEditor
      initial={state.data.experiment}
      target={state.data.target}
      variants={state.data.variants}
    />
  );
};
