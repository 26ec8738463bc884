import { useMemo, useState } from 'react';

import {
  Box,
  Button,
  Flex,
  Grid,
  IconButton,
  MenuItem,
  SimpleMenu,
  Switch,
  Typography,
} from '@strapi/design-system';
import { Duplicate, Earth, More } from '@strapi/icons';
import { Page, useNotification, type FormHelpers } from '@strapi/strapi/admin';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import styled from 'styled-components';

import { useRequestErrors } from '../api/errors';
import {
  useCreateVariantMutation,
  useDeleteVariantMutation,
  useGetEntryDraftQuery,
  useGetPersonalizeSettingsQuery,
  useGetTargetSummaryQuery,
  useGetVariantQuery,
  usePublishVariantMutation,
  useUpdateVariantMutation,
} from '../api/personalizeApi';
import type { AttributeSettings, ContentTypeSettings, JsonLogicRule, Variant } from '../api/types';
import { EntryValue } from '../components/EntryValue';
import { OverrideInput, type MediaFile } from '../components/OverrideInput';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorUnder, NameField, NumberField, SelectField } from '../components/fields';
import { DeleteButton, EditorCard, EditorPage } from '../components/EditorPage';
import { PreviewLinkButton } from '../components/PreviewLinkDialog';
import { PreviewPanel } from '../components/PreviewPanel';
import { RuleField } from '../components/RuleEditor/RuleEditor';
import { samplesOf, useClassification } from '../components/classification';
import { CopyToLocaleDialog, useCopyVariant } from '../components/VariantCopies';
import { VariantBadges } from '../components/VariantBadges';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { SectionTitle } from '../components/SectionTitle';
import { useT } from '../utils/getTranslation';
import { describeTarget } from '../utils/targets';

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

interface FormValues {
  name: string;
  persona: string;
  stage: string;
  priority: number;
  rule: JsonLogicRule;
  overrides: Record<string, unknown>;
}

const formOf = (variant: Variant | null, searchParams: URLSearchParams): FormValues => ({
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

/** Where the variant's entry is edited in the Content Manager. */
const entryPath = (target: Target) =>
  target.targetDocumentId
    ? `/content-manager/collection-types/${target.targetUid}/${target.targetDocumentId}?plugins[i18n][locale]=${target.locale}`
    : `/content-manager/single-types/${target.targetUid}?plugins[i18n][locale]=${target.locale}`;

const editorPath = (documentId: string) => `/plugins/${PLUGIN_ID}/variants/${documentId}`;

/**
 * *Duplicate* (a draft copy on the same entry and locale, opened at once) and *Copy to another
 * locale…* (of a localized type), in the header's menu of further actions.
 */
const CopyActions = ({
  variant,
  localized,
  disabled,
}: {
  variant: Variant;
  localized: boolean;
  disabled: boolean;
}) => {
  const t = useT();
  const navigate = useNavigate();
  const copyVariant = useCopyVariant();
  const { toggleNotification } = useNotification();
  const [copyingToLocale, setCopyingToLocale] = useState(false);
  const opened = (copy: Variant) => {
    toggleNotification({
      type: 'success',
      message: t('copy.opened', 'Copied: you are editing "{name}"', {
        name: copy.name,
      }),
    });
    navigate(editorPath(copy.documentId));
  };
  const duplicate = async () => {
    const copy = await copyVariant(variant.documentId, {
      // The name's end gives way to the suffix within the 120 characters a name may have.
      name: t('copy.name', '{name} (copy)', {
        name: variant.name.slice(0, 100),
      }),
    });
    if (copy) opened(copy);
  };
  return (
    <>
      <SimpleMenu
        tag={IconButton}
        icon={<More />}
        label={t('action.more', 'More actions')}
        disabled={disabled}
      >
        <MenuItem startIcon={<Duplicate />} onSelect={() => void duplicate()}>
          {t('action.duplicate', 'Duplicate')}
        </MenuItem>
        {localized ? (
          <MenuItem startIcon={<Earth />} onSelect={() => setCopyingToLocale(true)}>
            {t('action.copyToLocale', 'Copy to another locale…')}
          </MenuItem>
        ) : null}
      </SimpleMenu>
      {localized ? (
        <CopyToLocaleDialog
          variant={variant}
          open={copyingToLocale}
          onOpenChange={setCopyingToLocale}
          onCopied={opened}
        />
      ) : null}
    </>
  );
};

const VariantEditor = ({
  variant,
  target,
  contentType,
  base,
}: {
  variant: Variant | null;
  target: Target;
  contentType: ContentTypeSettings;
  base: Record<string, unknown>;
}) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { notify, reportSaveError } = useRequestErrors();
  const [createVariant] = useCreateVariantMutation();
  const [updateVariant] = useUpdateVariantMutation();
  const [deleteVariant, { isLoading: deleting }] = useDeleteVariantMutation();
  const [publishVariant, { isLoading: publishing }] = usePublishVariantMutation();
  const canManage = useCanManage();
  const classification = useClassification();
  const { personas, stages } = classification;
  const samples = samplesOf(classification);
  const [searchParams] = useSearchParams();
  const [ruleValid, setRuleValid] = useState(true);
  // The entry's files, and those chosen in the Media Library since (others load by id).
  const [files, setFiles] = useState(() => filesOf(base, contentType.attributes));
  const initialValues = useMemo(() => formOf(variant, searchParams), [variant, searchParams]);
  const busy = deleting || publishing;
  const overridable = contentType.attributes.filter((attribute) => attribute.overridable);
  const editable = canManage && !busy;
  const back = entryPath(target);
  const { data: summary } = useGetTargetSummaryQuery(target);

  const succeeded = (text: string) => toggleNotification({ type: 'success', message: text });

  /** A preview link forcing the saved variant's persona and stage (what makes it served). */
  const previewLink = (saved: Variant) => {
    const nameOf = (items: { slug: string; name: string }[], slug: string) =>
      items.find((item) => item.slug === slug)?.name ?? slug;
    const forced = [
      ...(saved.persona
        ? [t('previewLink.persona', 'Persona "{name}"', { name: nameOf(personas, saved.persona) })]
        : []),
      ...(saved.stage
        ? [t('previewLink.stage', 'Stage "{name}"', { name: nameOf(stages, saved.stage) })]
        : []),
    ];
    const notes = [
      ...(saved.status === 'draft'
        ? [
            t(
              'previewLink.draft',
              'This variant is a draft: the link shows published content, so publish it first.'
            ),
          ]
        : []),
      ...(saved.rule
        ? [
            t(
              'previewLink.rule',
              'The variant also has a rule: the link forces the persona and stage, not what the rule asks.'
            ),
          ]
        : []),
    ];
    return (
      <PreviewLinkButton
        target={{
          request: {
            ...(saved.persona ? { persona: saved.persona } : {}),
            ...(saved.stage ? { stage: saved.stage } : {}),
          },
          description: forced.join(' · '),
          ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
        }}
        disabledReason={
          forced.length === 0
            ? t(
                'previewLink.noForce',
                'This variant has no persona or stage to force: a preview link cannot target its rule.'
              )
            : undefined
        }
      />
    );
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
    const result = variant
      ? await updateVariant({ documentId: variant.documentId, data: body })
      : await createVariant({ ...body, ...target });
    if ('error' in result) {
      reportSaveError(result.error, setErrors);
      return;
    }
    resetForm(formOf(result.data, searchParams));
    succeeded(t('notification.saved', 'Saved'));
    if (!variant) navigate(editorPath(result.data.documentId), { replace: true });
  };

  const remove = async (documentId: string) => {
    const result = await deleteVariant(documentId);
    if ('error' in result) return notify(result.error);
    succeeded(t('notification.deleted', 'Deleted'));
    navigate(back);
  };

  const setPublished = async (documentId: string, publish: boolean) => {
    const result = await publishVariant({ documentId, publish });
    if ('error' in result) return notify(result.error);
    succeeded(
      publish
        ? t('notification.published', 'Published')
        : t('notification.unpublished', 'Unpublished')
    );
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
      title={variant?.name ?? t('variant.create', 'New variant')}
      subtitle={`${summary ? describeTarget(summary) : contentType.displayName} · ${target.locale.toUpperCase()}`}
      back={back}
      initialValues={initialValues}
      isNew={!variant}
      onSubmit={save}
      disabled={!editable}
      canSave={canManage}
      saveDisabled={busy || !ruleValid}
      actions={
        variant ? (
          <>
            <CopyActions variant={variant} localized={contentType.localized} disabled={busy} />
            {previewLink(variant)}
            <DeleteButton name={variant.name} onConfirm={() => void remove(variant.documentId)} />
            {variant.status !== 'draft' ? (
              <ConfirmButton
                variant="secondary"
                label={t('action.unpublish', 'Unpublish')}
                body={t('confirm.unpublish', 'Visitors will no longer receive this variant.')}
                onConfirm={() => void setPublished(variant.documentId, false)}
              />
            ) : null}
          </>
        ) : null
      }
      trailingAction={
        variant ? (
          <Button
            onClick={() => void setPublished(variant.documentId, true)}
            disabled={busy || variant.status === 'published'}
          >
            {t('action.publish', 'Publish')}
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
                  label={t('column.priority', 'Priority')}
                  hint={t(
                    'variant.priority.hint',
                    'A higher priority wins over a more specific variant.'
                  )}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12}>
                <SelectField
                  name="persona"
                  label={t('column.persona', 'Persona')}
                  options={choices(personas, t('variant.anyPersona', 'any persona'))}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12}>
                <SelectField
                  name="stage"
                  label={t('column.stage', 'Journey stage')}
                  options={choices(stages, t('variant.anyStage', 'any stage'))}
                />
              </Grid.Item>
            </Grid.Root>
            <RuleField
              key={variant?.documentId ?? 'new'}
              name="rule"
              label={t('variant.rule', 'Extra rule (optional)')}
              samples={samples}
              disabled={!editable}
              onValidity={setRuleValid}
            />
          </EditorCard>
          <EditorCard>
            <SectionTitle
              title={t('variant.overrides', 'Content')}
              hint={t(
                'variant.overrides.hint',
                'Switch on the fields this variant changes; the others inherit the entry.'
              )}
            />
            {overridable.map((attribute) => {
              const on = attribute.name in values.overrides;
              return (
                <Grid.Root key={attribute.name} gap={4} data-testid={`override-${attribute.name}`}>
                  <Grid.Item col={3} s={12} direction="column" alignItems="flex-start">
                    <Typography fontWeight="bold">{attribute.name}</Typography>
                    <OverrideSwitchFrame>
                      <Switch
                        aria-label={t('variant.override', 'Override {name}', {
                          name: attribute.name,
                        })}
                        checked={on}
                        disabled={!editable}
                        visibleLabels
                        onLabel={t('variant.override.on', 'Override')}
                        offLabel={t('variant.override.off', 'Inherit')}
                        onCheckedChange={() =>
                          onChange('overrides', toggled(values.overrides, attribute))
                        }
                      />
                    </OverrideSwitchFrame>
                  </Grid.Item>
                  <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                    <Typography variant="sigma" textColor="neutral500">
                      {t('variant.base', 'Entry')}
                    </Typography>
                    {/* As a reader sees it (Blocks as text), scrolled when long. */}
                    <Box maxHeight="16rem" overflow="auto">
                      <EntryValue value={base[attribute.name]} type={attribute.type} />
                    </Box>
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
          <PreviewPanel {...target} />
        </Flex>
      )}
    </EditorPage>
  );
};

/** `/plugins/personalize/variants/<documentId>` or `/variants/new?targetUid=&targetDocumentId=&locale=`. */
export const VariantEditorPage = () => {
  const { documentId = 'new' } = useParams();
  const [searchParams] = useSearchParams();
  const isNew = documentId === 'new';
  // `currentData`, not `data`: opening a copy must not show the original while the copy loads.
  const variant = useGetVariantQuery(documentId, { skip: isNew });
  const settings = useGetPersonalizeSettingsQuery();
  const target: Target | null = isNew
    ? {
        targetUid: searchParams.get('targetUid') ?? '',
        targetDocumentId: searchParams.get('targetDocumentId') || null,
        locale: searchParams.get('locale') ?? 'en',
      }
    : variant.currentData
      ? {
          targetUid: variant.currentData.targetUid,
          targetDocumentId: variant.currentData.targetDocumentId,
          locale: variant.currentData.locale,
        }
      : null;
  const base = useGetEntryDraftQuery(
    {
      uid: target?.targetUid ?? '',
      documentId: target?.targetDocumentId ?? null,
      locale: target?.locale ?? '',
    },
    { skip: !target }
  );
  const contentType = settings.data?.contentTypes.find((type) => type.uid === target?.targetUid);
  if (variant.isError || settings.isError || base.isError) return <Page.Error />;
  if (!target || !settings.data || !base.currentData) return <Page.Loading />;
  if (!contentType) return <Page.Error />;
  return (
    <VariantEditor
      key={documentId}
      variant={isNew ? null : (variant.currentData ?? null)}
      target={target}
      contentType={contentType}
      base={base.currentData}
    />
  );
};
