import { useState } from 'react';

import { Flex } from '@strapi/design-system';
import { Page, useNotification, type FormHelpers } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';

import { useRequestErrors } from '../api/errors';
import {
  useCreatePersonaMutation,
  useCreateJourneyStageMutation,
  useDeletePersonaMutation,
  useDeleteJourneyStageMutation,
  useGetClassificationUsageQuery,
  useGetPersonaQuery,
  useGetJourneyStageQuery,
  useUpdatePersonaMutation,
  useUpdateJourneyStageMutation,
} from '../api/personalizeApi';
import type { JourneyStage, JsonLogicRule, Persona } from '../api/types';
import {
  isUsed,
  UsageCard,
  UsageList,
  type ClassificationKind as Kind,
} from '../components/ClassificationUsage';
import { DeleteButton, EditorCard, EditorPage } from '../components/EditorPage';
import { NamedFields, NumberField, TextareaField } from '../components/fields';
import { RuleField } from '../components/RuleEditor/RuleEditor';
import { samplesOf, useClassification } from '../components/classification';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message, useT } from '../utils/getTranslation';

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
  [KINDS[kind].rankField]: item
    ? kind === 'personas'
      ? (item as Persona).priority
      : (item as JourneyStage).order
    : 0,
  rule: item?.rule ?? null,
  sampleContext: item?.sampleContext ? JSON.stringify(item.sampleContext, null, 2) : '',
});

/** What differs between the two kinds: words and the data layer's endpoints. */
const KINDS = {
  personas: {
    create: message('persona.create', 'Create a persona'),
    rankField: 'priority' as RankField,
    rank: message('column.priority', 'Priority'),
    rankHint: message('persona.priority.hint', 'When several personas match, the highest wins.'),
    list: 'personas',
    inUse: message(
      'persona.delete.inUse',
      '"{name}" cannot be deleted while variants target it: delete them or give them another persona first.'
    ),
    endpoints: {
      useItem: useGetPersonaQuery,
      useCreate: useCreatePersonaMutation,
      useUpdate: useUpdatePersonaMutation,
      useDelete: useDeletePersonaMutation,
    },
  },
  stages: {
    create: message('stage.create', 'Create a journey stage'),
    rankField: 'order' as RankField,
    rank: message('column.order', 'Order'),
    rankHint: message('stage.order.hint', 'The furthest stage (highest order) that matches wins.'),
    list: 'stages',
    inUse: message(
      'stage.delete.inUse',
      '"{name}" cannot be deleted while variants target it: delete them or give them another journey stage first.'
    ),
    endpoints: {
      useItem: useGetJourneyStageQuery,
      useCreate: useCreateJourneyStageMutation,
      useUpdate: useUpdateJourneyStageMutation,
      useDelete: useDeleteJourneyStageMutation,
    },
  },
} as const;

/** Creates or edits one persona or journey stage: `/plugins/personalize/<kind>/<documentId|new>`. */
const ClassificationEditor = ({ kind, item }: { kind: Kind; item: Item | null }) => {
  const { formatMessage } = useIntl();
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { notify, reportSaveError } = useRequestErrors();
  const canManage = useCanManage();
  const samples = samplesOf(useClassification());
  const [ruleValid, setRuleValid] = useState(true);
  const setup = KINDS[kind];
  const [create] = setup.endpoints.useCreate();
  const [update] = setup.endpoints.useUpdate();
  const [remove] = setup.endpoints.useDelete();
  const usage = useGetClassificationUsageQuery(
    { kind, documentId: item?.documentId ?? '' },
    { skip: !item }
  );

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
      [setup.rankField]: form[setup.rankField],
      rule: form.rule,
      sampleContext,
    };
    const result = item
      ? await update({ documentId: item.documentId, data: body })
      : await create(body);
    if ('error' in result) {
      reportSaveError(result.error, setErrors);
      return;
    }
    resetForm(formOf(result.data, kind));
    toggleNotification({
      type: 'success',
      message: t('notification.saved', 'Saved'),
    });
    if (!item)
      navigate(`/plugins/${PLUGIN_ID}/${kind}/${result.data.documentId}`, { replace: true });
  };

  const confirmDelete = async () => {
    if (!item) return;
    const result = await remove(item.documentId);
    if ('error' in result) {
      notify(result.error);
      return;
    }
    toggleNotification({
      type: 'success',
      message: t('notification.deleted', 'Deleted'),
    });
    navigate(`/settings/${PLUGIN_ID}/${setup.list}`);
  };

  return (
    <EditorPage
      title={item ? item.name : formatMessage(setup.create)}
      subtitle={item ? item.slug : ''}
      back={`/settings/${PLUGIN_ID}/${setup.list}`}
      initialValues={formOf(item, kind)}
      isNew={!item}
      onSubmit={save}
      disabled={!canManage}
      canSave={canManage}
      saveDisabled={!ruleValid}
      actions={
        item ? (
          <DeleteButton
            name={item.name}
            onConfirm={confirmDelete}
            refusal={
              usage.data && isUsed(usage.data)
                ? formatMessage(setup.inUse, { name: item.name })
                : undefined
            }
          >
            {usage.data ? <UsageList usage={usage.data} kind={kind} /> : null}
          </DeleteButton>
        ) : null
      }
    >
      {() => (
        <Flex direction="column" alignItems="stretch" gap={6}>
          <EditorCard gap={6}>
            <NamedFields
              slugHint={t(
                'field.slug.hint',
                'What frontends send as "persona" or "stage"; derived from the name when empty.'
              )}
              aside={
                <NumberField
                  name={setup.rankField}
                  label={formatMessage(setup.rank)}
                  hint={formatMessage(setup.rankHint)}
                />
              }
            />
            <RuleField
              key={item?.documentId ?? 'new'}
              name="rule"
              label={t('column.rule', 'Rule')}
              samples={samples}
              disabled={!canManage}
              onValidity={setRuleValid}
            />
            <TextareaField
              name="sampleContext"
              monospace
              label={t('column.sampleContext', 'Sample context')}
              hint={t(
                'field.sampleContext.hint',
                'A typical visitor of this group, as JSON: used by the rule test and the persona × stage grid.'
              )}
            />
          </EditorCard>
          {item ? <UsageCard usage={usage} kind={kind} /> : null}
        </Flex>
      )}
    </EditorPage>
  );
};

/** Loads the persona or stage (none for `new`) and opens its editor. */
const ClassificationLoader = ({ kind, documentId }: { kind: Kind; documentId: string }) => {
  const isNew = documentId === 'new';
  const { data, isLoading, isError } = KINDS[kind].endpoints.useItem(documentId, { skip: isNew });
  if (isNew) return <ClassificationEditor kind={kind} item={null} />;
  if (isLoading) return <Page.Loading />;
  if (isError || !data) return <Page.Error />;
  return <ClassificationEditor kind={kind} item={data} />;
};

export const ClassificationPage = ({ kind }: { kind: Kind }) => {
  const { documentId = 'new' } = useParams();
  // One kind and item per mounted editor: its hooks are that kind's endpoints, its form that item's.
  return <ClassificationLoader key={`${kind}/${documentId}`} kind={kind} documentId={documentId} />;
};
