import { useState } from 'react';

import { Button, Flex, Grid, Switch, Typography } from '@strapi/design-system';
import { Page, useNotification, type FormHelpers } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import styled from 'styled-components';

import type {
  AttributeSettings,
  ContentTypeSettings,
  JsonLogicRule,
  VariantWithFlags,
} from '../api/types';
import {
  errorMessage,
  reportSaveError,
  useLoad,
  usePersonalizeApi,
} from '../api/usePersonalizeApi';
import { BaseValue, OverrideInput, type MediaFile } from '../components/OverrideInput';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorUnder, NameField, NumberField, SelectField } from '../components/fields';
import { DeleteButton, EditorCard, EditorPage } from '../components/EditorPage';
import { PreviewPanel } from '../components/PreviewPanel';
import { RuleField } from '../components/RuleEditor/RuleEditor';
import { samplesOf, useClassification } from '../components/classification';
import { VariantBadges } from '../components/VariantBadges';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { message } from '../utils/getTranslation';

const ANY = '-';

/**
 * Strapi's Switch in neutral colours: inheriting a field is no error, so "off" is grey rather than
 * the design system's red, and "on" is the primary colour.
 */
const OverrideSwitchFrame = styled.div`
  button[role='switch'] {
    background-color: ${({ theme }) => theme.colors.neutral300};
  }
  button[role='switch'][data-state='checked'] {
    background-color: ${({ theme }) => theme.colors.primary600};
  }
  [data-state] + span,
  span[data-state] {
    color: ${({ theme }) => theme.colors.neutral700};
  }
`;

interface Target {
  targetUid: string;
  targetDocumentId: string | null;
  locale: string;
}

interface Loaded {
  variant: VariantWithFlags | null;
  target: Target;
  contentType: ContentTypeSettings;
  base: Record<string, unknown>;
  /** Files of the base entry and of the variant's media overrides, by id. */
  files: Map<number, MediaFile>;
}

interface FormValues {
  name: string;
  persona: string;
  stage: string;
  priority: number;
  rule: JsonLogicRule;
  overrides: Record<string, unknown>;
}

const formOf = (variant: VariantWithFlags | null, searchParams: URLSearchParams): FormValues => ({
  name: variant?.name ?? '',
  persona: variant ? (variant.persona ?? ANY) : (searchParams.get('persona') ?? ANY),
  stage: variant ? (variant.stage ?? ANY) : (searchParams.get('stage') ?? ANY),
  priority: variant?.priority ?? 0,
  rule: variant?.rule ?? null,
  overrides: variant?.overrides ?? {},
});

/** The files the base entry shows, so that overridden media can be drawn by id. */
const filesOf = (base: Record<string, unknown>, attributes: AttributeSettings[]) => {
  const files = new Map<number, MediaFile>();
  for (const attribute of attributes) {
    if (attribute.type !== 'media') continue;
    const value = base[attribute.name];
    for (const file of (Array.isArray(value) ? value : value ? [value] : []) as MediaFile[]) {
      files.set(file.id, file);
    }
  }
  return files;
};

const VariantEditor = ({ loaded }: { loaded: Loaded }) => {
  const { formatMessage } = useIntl();
  const api = usePersonalizeApi();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const canManage = useCanManage();
  const classification = useClassification();
  const { personas, stages } = classification;
  const samples = samplesOf(classification);
  const { variant: initial, target, contentType, base } = loaded;
  const [variant, setVariant] = useState(initial);
  const [searchParams] = useSearchParams();
  const [ruleValid, setRuleValid] = useState(true);
  const [files, setFiles] = useState(loaded.files);
  const [busy, setBusy] = useState(false);
  const overridable = contentType.attributes.filter((attribute) => attribute.overridable);
  const editable = canManage && !busy;
  const back = target.targetDocumentId
    ? `/content-manager/collection-types/${target.targetUid}/${target.targetDocumentId}?plugins[i18n][locale]=${target.locale}`
    : `/content-manager/single-types/${target.targetUid}?plugins[i18n][locale]=${target.locale}`;

  const notify = (ok: boolean, text: string) =>
    toggleNotification({ type: ok ? 'success' : 'danger', message: text });

  const act = async (work: () => Promise<VariantWithFlags | null>, done: string) => {
    setBusy(true);
    try {
      const result = await work();
      if (result) setVariant(result);
      notify(true, done);
      return result;
    } catch (error) {
      notify(false, errorMessage(error));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const save = async (form: FormValues, { resetForm, setErrors }: FormHelpers<FormValues>) => {
    const body = {
      name: form.name,
      persona: form.persona === ANY ? null : form.persona,
      stage: form.stage === ANY ? null : form.stage,
      priority: form.priority,
      rule: form.rule,
      overrides: form.overrides,
    };
    try {
      const saved = (
        variant
          ? await api.variants.update(variant.documentId, body)
          : await api.variants.create({ ...body, ...target })
      ) as VariantWithFlags;
      setVariant(saved);
      resetForm(formOf(saved, searchParams));
      notify(true, formatMessage(message('notification.saved', 'Saved')));
      if (!variant) {
        navigate(`/plugins/${PLUGIN_ID}/variants/${saved.documentId}`, { replace: true });
      }
    } catch (error) {
      reportSaveError(error, setErrors, toggleNotification);
    }
  };

  /** The overrides with `attribute` switched on (starting from the entry's value) or off. */
  const toggled = (overrides: Record<string, unknown>, attribute: AttributeSettings) => {
    const next = { ...overrides };
    if (attribute.name in next) delete next[attribute.name];
    else {
      const baseValue = base[attribute.name];
      next[attribute.name] =
        attribute.type === 'media'
          ? Array.isArray(baseValue)
            ? (baseValue as MediaFile[]).map((file) => file.id)
            : ((baseValue as MediaFile | null)?.id ?? null)
          : (baseValue ?? null);
    }
    return next;
  };

  /** The choices of a persona or stage: "any", then each by name. */
  const choices = (options: { slug: string; name: string }[], anyLabel: string) => [
    { value: ANY, label: anyLabel },
    ...options.map((option) => ({ value: option.slug, label: option.name })),
  ];

  return (
    <EditorPage
      title={variant?.name ?? formatMessage(message('variant.create', 'New variant'))}
      subtitle={`${contentType.displayName}${target.targetDocumentId ? ` · ${target.targetDocumentId}` : ''} · ${target.locale}`}
      back={back}
      initialValues={formOf(initial, searchParams)}
      isNew={!variant}
      onSubmit={save}
      disabled={!editable}
      canSave={canManage}
      saveDisabled={busy || !ruleValid}
      actions={
        variant ? (
          <>
            <DeleteButton
              name={variant.name}
              onConfirm={() =>
                act(
                  async () => {
                    await api.variants.remove(variant.documentId);
                    navigate(back);
                    return null;
                  },
                  formatMessage(message('notification.deleted', 'Deleted'))
                )
              }
            />
            {variant.status !== 'draft' ? (
              <ConfirmButton
                variant="secondary"
                label={formatMessage(message('action.unpublish', 'Unpublish'))}
                body={formatMessage(
                  message('confirm.unpublish', 'Visitors will no longer receive this variant.')
                )}
                onConfirm={() =>
                  act(
                    () => api.variants.unpublish(variant.documentId) as Promise<VariantWithFlags>,
                    formatMessage(message('notification.unpublished', 'Unpublished'))
                  )
                }
              />
            ) : null}
          </>
        ) : null
      }
      trailingAction={
        variant ? (
          <Button
            onClick={() =>
              act(
                () => api.variants.publish(variant.documentId) as Promise<VariantWithFlags>,
                formatMessage(message('notification.published', 'Published'))
              )
            }
            disabled={busy || variant.status === 'published'}
          >
            {formatMessage(message('action.publish', 'Publish'))}
          </Button>
        ) : null
      }
    >
      {({ values, onChange }) => (
        <Flex direction="column" alignItems="stretch" gap={6}>
          <EditorCard>
            {variant ? <VariantBadges variant={variant} /> : null}
            <Grid.Root gap={4}>
              <Grid.Item col={6} s={12}>
                <NameField />
              </Grid.Item>
              <Grid.Item col={6} s={12}>
                <NumberField
                  name="priority"
                  label={formatMessage(message('column.priority', 'Priority'))}
                  hint={formatMessage(
                    message(
                      'variant.priority.hint',
                      'A higher priority wins over a more specific variant.'
                    )
                  )}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12}>
                <SelectField
                  name="persona"
                  label={formatMessage(message('column.persona', 'Persona'))}
                  options={choices(
                    personas,
                    formatMessage(message('variant.anyPersona', 'any persona'))
                  )}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12}>
                <SelectField
                  name="stage"
                  label={formatMessage(message('column.stage', 'Journey stage'))}
                  options={choices(stages, formatMessage(message('variant.anyStage', 'any stage')))}
                />
              </Grid.Item>
            </Grid.Root>
            <RuleField
              key={variant?.documentId ?? 'new'}
              name="rule"
              label={formatMessage(message('variant.rule', 'Extra rule (optional)'))}
              samples={samples}
              disabled={!editable}
              onValidity={setRuleValid}
            />
          </EditorCard>
          <EditorCard>
            <Typography variant="delta" tag="h2">
              {formatMessage(message('variant.overrides', 'Content'))}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {formatMessage(
                message(
                  'variant.overrides.hint',
                  'Switch on the fields this variant changes; the others inherit the entry.'
                )
              )}
            </Typography>
            {overridable.map((attribute) => {
              const on = attribute.name in values.overrides;
              return (
                <Grid.Root key={attribute.name} gap={4} data-testid={`override-${attribute.name}`}>
                  <Grid.Item col={3} s={12} direction="column" alignItems="flex-start">
                    <Typography fontWeight="bold">{attribute.name}</Typography>
                    <OverrideSwitchFrame>
                      <Switch
                        aria-label={formatMessage(message('variant.override', 'Override {name}'), {
                          name: attribute.name,
                        })}
                        checked={on}
                        disabled={!editable}
                        visibleLabels
                        onLabel={formatMessage(message('variant.override.on', 'Override'))}
                        offLabel={formatMessage(message('variant.override.off', 'Inherit'))}
                        onCheckedChange={() =>
                          onChange('overrides', toggled(values.overrides, attribute))
                        }
                      />
                    </OverrideSwitchFrame>
                  </Grid.Item>
                  <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                    <Typography variant="sigma" textColor="neutral500">
                      {formatMessage(message('variant.base', 'Entry'))}
                    </Typography>
                    <BaseValue attribute={attribute} value={base[attribute.name]} />
                  </Grid.Item>
                  <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
                    {on ? (
                      <OverrideInput
                        attribute={attribute}
                        value={values.overrides[attribute.name]}
                        disabled={!editable}
                        files={files}
                        onFiles={(chosen) =>
                          setFiles(
                            (current) =>
                              new Map([
                                ...current,
                                ...chosen.map((file) => [file.id, file] as const),
                              ])
                          )
                        }
                        onChange={(value) =>
                          onChange('overrides', {
                            ...values.overrides,
                            [attribute.name]: value,
                          })
                        }
                      />
                    ) : null}
                    <ErrorUnder path={`overrides.${attribute.name}`} />
                  </Grid.Item>
                </Grid.Root>
              );
            })}
          </EditorCard>
          <PreviewPanel
            {...target}
            personas={personas}
            stages={stages}
            attributes={overridable.map((attribute) => attribute.name)}
          />
        </Flex>
      )}
    </EditorPage>
  );
};

/** `/plugins/personalize/variants/<documentId>` or `/variants/new?targetUid=&targetDocumentId=&locale=`. */
export const VariantEditorPage = () => {
  const { documentId = 'new' } = useParams();
  const [searchParams] = useSearchParams();
  const api = usePersonalizeApi();
  const [state] = useLoad<Loaded>(async () => {
    const variant =
      documentId === 'new' ? null : ((await api.variants.get(documentId)) as VariantWithFlags);
    const target: Target = variant
      ? {
          targetUid: variant.targetUid,
          targetDocumentId: variant.targetDocumentId,
          locale: variant.locale,
        }
      : {
          targetUid: searchParams.get('targetUid') ?? '',
          targetDocumentId: searchParams.get('targetDocumentId') || null,
          locale: searchParams.get('locale') ?? 'en',
        };
    const { contentTypes } = await api.settings.get();
    const contentType = contentTypes.find((type) => type.uid === target.targetUid);
    if (!contentType) throw new Error(`Unknown content type ${target.targetUid}`);
    const base = await api.entry(target.targetUid, target.targetDocumentId, target.locale);
    const files = filesOf(base, contentType.attributes);
    const overridden = contentType.attributes
      .filter(
        (attribute) => attribute.type === 'media' && variant?.overrides[attribute.name] != null
      )
      .flatMap((attribute) => [variant!.overrides[attribute.name]].flat() as number[])
      .filter((id) => !files.has(id));
    for (const file of await Promise.all(overridden.map((id) => api.file(id)))) {
      if (file) files.set(file.id, file);
    }
    return { variant, target, contentType, base, files };
  }, `${documentId}?${searchParams.toString()}`);
  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  return <VariantEditor key={documentId} loaded={state.data} />;
};
