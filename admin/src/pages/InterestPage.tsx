import { Typography } from '@strapi/design-system';
import { Page, useNotification, type FormHelpers } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';

import { useRequestErrors } from '../api/errors';
import {
  useCreateInterestMutation,
  useDeleteInterestMutation,
  useGetInterestQuery,
  useUpdateInterestMutation,
} from '../api/personalizeApi';
import type { Interest } from '../api/types';
import { DeleteButton, EditorCard, EditorPage } from '../components/EditorPage';
import { NamedFields, NumberField } from '../components/fields';
import { useCanManage } from '../hooks';
import { PLUGIN_ID } from '../pluginId';
import { useT } from '../utils/getTranslation';

/** The server's default and bounds (server/src/contracts/profiles.ts). */
const HALF_LIFE = { default: 30, min: 1, max: 3_650 };

const LIST = `/settings/${PLUGIN_ID}/interests`;

/** Named as the server names the fields, so that its errors find them. */
interface FormValues {
  name: string;
  slug: string;
  description: string;
  halfLifeDays: number;
}

const formOf = (item: Interest | null): FormValues => ({
  name: item?.name ?? '',
  slug: item?.slug ?? '',
  description: item?.description ?? '',
  halfLifeDays: item?.halfLifeDays ?? HALF_LIFE.default,
});

/** Creates or edits one interest: `/plugins/personalize/interests/<documentId|new>`. */
const InterestEditor = ({ item }: { item: Interest | null }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { notify, reportSaveError } = useRequestErrors();
  const canManage = useCanManage();
  const [create] = useCreateInterestMutation();
  const [update] = useUpdateInterestMutation();
  const [remove] = useDeleteInterestMutation();

  const save = async (form: FormValues, { resetForm, setErrors }: FormHelpers<FormValues>) => {
    const body = {
      name: form.name,
      ...(form.slug ? { slug: form.slug } : {}),
      description: form.description || null,
      halfLifeDays: form.halfLifeDays,
    };
    const result = item
      ? await update({ documentId: item.documentId, data: body })
      : await create(body);
    if ('error' in result) {
      reportSaveError(result.error, setErrors);
      return;
    }
    resetForm(formOf(result.data));
    toggleNotification({ type: 'success', message: t('notification.saved', 'Saved') });
    if (!item) {
      navigate(`/plugins/${PLUGIN_ID}/interests/${result.data.documentId}`, { replace: true });
    }
  };

  const confirmDelete = async () => {
    if (!item) return;
    const result = await remove(item.documentId);
    if ('error' in result) {
      notify(result.error);
      return;
    }
    toggleNotification({ type: 'success', message: t('notification.deleted', 'Deleted') });
    navigate(LIST);
  };

  return (
    <EditorPage
      title={item ? item.name : t('interest.create', 'Create an interest')}
      subtitle={item ? item.slug : ''}
      back={LIST}
      initialValues={formOf(item)}
      isNew={!item}
      onSubmit={save}
      disabled={!canManage}
      canSave={canManage}
      actions={
        item ? (
          <DeleteButton name={item.name} onConfirm={confirmDelete}>
            <Typography variant="pi" textColor="neutral600">
              {t(
                'interest.delete.effect',
                'Its signals on entries are deleted with it. Visitors keep their score, but no rule can read it any more.'
              )}
            </Typography>
          </DeleteButton>
        ) : null
      }
    >
      {() => (
        <EditorCard gap={6}>
          <NamedFields
            slugHint={t(
              'interest.slug.hint',
              'What rules read as interests.slug and topInterest; derived from the name when empty.'
            )}
            aside={
              <NumberField
                name="halfLifeDays"
                min={HALF_LIFE.min}
                max={HALF_LIFE.max}
                label={t('interest.halfLife', 'Half-life in days')}
                hint={t(
                  'interest.halfLife.hint',
                  'After this many days without reading about it, a visitor’s score has halved.'
                )}
              />
            }
          />
        </EditorCard>
      )}
    </EditorPage>
  );
};

/** Loads the interest (none for `new`) and opens its editor. */
export const InterestPage = () => {
  const { documentId = 'new' } = useParams();
  const isNew = documentId === 'new';
  const { data, isLoading, isError } = useGetInterestQuery(documentId, { skip: isNew });
  // One item per mounted editor: its form is that item's.
  if (isNew) return <InterestEditor key="new" item={null} />;
  if (isLoading) return <Page.Loading />;
  if (isError || !data) return <Page.Error />;
  return <InterestEditor key={documentId} item={data} />;
};
