import { useState } from 'react';

import { Grid } from '@strapi/design-system';
import { Page, useNotification, type FormHelpers } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';

import type { JourneyStage, JsonLogicRule, Persona } from '../api/types';
import {
  errorMessage,
  reportSaveError,
  useLoad,
  usePersonalizeApi,
} from '../api/usePersonalizeApi';
import { DeleteButton, EditorCard, EditorPage } from '../components/EditorPage';
import { NameField, NumberField, TextareaField, TextField } from '../components/fields';
import { RuleField } from '../components/RuleEditor/RuleEditor';
import { samplesOf, useClassification } from '../components/classification';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message } from '../utils/getTranslation';

export type Kind = 'personas' | 'stages';

type Item = Persona | JourneyStage;

/** A persona's priority or a stage's order: named as the server names it, so errors find it. */
type RankField = 'priority' | 'order';

interface FormValues extends Partial<Record<RankField, number>> {
  name: string;
  slug: string;
  description: string;
  rule: JsonLogicRule;
  sampleContext: string;
}

const formOf = (item: Item | null, kind: Kind): FormValues => ({
  name: item?.name ?? '',
  slug: item?.slug ?? '',
  description: item?.description ?? '',
  [TEXTS[kind].rankField]: item
    ? kind === 'personas'
      ? (item as Persona).priority
      : (item as JourneyStage).order
    : 0,
  rule: item?.rule ?? null,
  sampleContext: item?.sampleContext ? JSON.stringify(item.sampleContext, null, 2) : '',
});

const TEXTS = {
  personas: {
    create: message('persona.create', 'Create a persona'),
    rankField: 'priority' as RankField,
    rank: message('column.priority', 'Priority'),
    rankHint: message('persona.priority.hint', 'When several personas match, the highest wins.'),
    list: 'personas',
  },
  stages: {
    create: message('stage.create', 'Create a journey stage'),
    rankField: 'order' as RankField,
    rank: message('column.order', 'Order'),
    rankHint: message('stage.order.hint', 'The furthest stage (highest order) that matches wins.'),
    list: 'stages',
  },
} as const;

/** Creates or edits one persona or journey stage: `/plugins/personalize/<kind>/<documentId|new>`. */
const ClassificationEditor = ({ kind, item }: { kind: Kind; item: Item | null }) => {
  const { formatMessage } = useIntl();
  const api = usePersonalizeApi();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const canManage = useCanManage();
  const samples = samplesOf(useClassification());
  const [ruleValid, setRuleValid] = useState(true);
  const texts = TEXTS[kind];

  const save = async (form: FormValues, { resetForm, setErrors }: FormHelpers<FormValues>) => {
    let sampleContext: unknown = null;
    if (form.sampleContext.trim() !== '') {
      try {
        sampleContext = JSON.parse(form.sampleContext);
      } catch (error) {
        setErrors({ sampleContext: (error as Error).message });
        return;
      }
    }
    const body = {
      name: form.name,
      ...(form.slug ? { slug: form.slug } : {}),
      description: form.description || null,
      [texts.rankField]: form[texts.rankField],
      rule: form.rule,
      sampleContext,
    };
    try {
      const saved = item
        ? await api[kind].update(item.documentId, body)
        : await api[kind].create(body);
      resetForm(formOf(saved, kind));
      toggleNotification({
        type: 'success',
        message: formatMessage(message('notification.saved', 'Saved')),
      });
      if (!item) navigate(`/plugins/${PLUGIN_ID}/${kind}/${saved.documentId}`, { replace: true });
    } catch (error) {
      reportSaveError(error, setErrors, toggleNotification);
    }
  };

  const remove = async () => {
    if (!item) return;
    try {
      await api[kind].remove(item.documentId);
      toggleNotification({
        type: 'success',
        message: formatMessage(message('notification.deleted', 'Deleted')),
      });
      navigate(`/settings/${PLUGIN_ID}/${texts.list}`);
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    }
  };

  return (
    <EditorPage
      title={item ? item.name : formatMessage(texts.create)}
      subtitle={item ? item.slug : ''}
      back={`/settings/${PLUGIN_ID}/${texts.list}`}
      initialValues={formOf(item, kind)}
      isNew={!item}
      onSubmit={save}
      disabled={!canManage}
      canSave={canManage}
      saveDisabled={!ruleValid}
      actions={item ? <DeleteButton name={item.name} onConfirm={remove} /> : null}
    >
      {() => (
        <EditorCard gap={6}>
          <Grid.Root gap={4}>
            <Grid.Item col={6} s={12}>
              <NameField />
            </Grid.Item>
            <Grid.Item col={6} s={12}>
              <TextField
                name="slug"
                label={formatMessage(message('column.slug', 'Slug'))}
                hint={formatMessage(
                  message(
                    'field.slug.hint',
                    'What frontends send as "persona" or "stage"; derived from the name when empty.'
                  )
                )}
              />
            </Grid.Item>
            <Grid.Item col={9} s={12}>
              <TextareaField
                name="description"
                label={formatMessage(message('field.description', 'Description'))}
              />
            </Grid.Item>
            <Grid.Item col={3} s={12}>
              <NumberField
                name={texts.rankField}
                label={formatMessage(texts.rank)}
                hint={formatMessage(texts.rankHint)}
              />
            </Grid.Item>
          </Grid.Root>
          <RuleField
            key={item?.documentId ?? 'new'}
            name="rule"
            label={formatMessage(message('column.rule', 'Rule'))}
            samples={samples}
            disabled={!canManage}
            onValidity={setRuleValid}
          />
          <TextareaField
            name="sampleContext"
            monospace
            label={formatMessage(message('column.sampleContext', 'Sample context'))}
            hint={formatMessage(
              message(
                'field.sampleContext.hint',
                'A typical visitor of this group, as JSON: used by the rule test and the persona × stage grid.'
              )
            )}
          />
        </EditorCard>
      )}
    </EditorPage>
  );
};

export const ClassificationPage = ({ kind }: { kind: Kind }) => {
  const { documentId = 'new' } = useParams();
  const api = usePersonalizeApi();
  const [state] = useLoad<Item | null>(
    () => (documentId === 'new' ? Promise.resolve(null) : api[kind].get(documentId)),
    `${kind}/${documentId}`
  );
  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  return <ClassificationEditor key={documentId} kind={kind} item={state.data} />;
};
