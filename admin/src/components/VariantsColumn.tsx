import type { ReactNode } from 'react';

import { Typography } from '@strapi/design-system';
import { useQueryParams, useTable } from '@strapi/strapi/admin';
import { type MessageDescriptor } from 'react-intl';

import { useGetVariantCountsQuery } from '../api/personalizeApi';
import type { ContentTypeSettings } from '../api/types';
import { message, useT } from '../utils/getTranslation';

/**
 * The content types with variants switched on, as the settings said when last read. The Content
 * Manager asks for its list columns synchronously, so the admin's start (Initializer.tsx) and
 * a save of the settings (ContentTypesPage.tsx) keep this up to date.
 */
let typesWithVariants = new Set<string>();

export const rememberTypesWithVariants = (types: ContentTypeSettings[]) => {
  typesWithVariants = new Set(types.filter((type) => type.enabled).map((type) => type.uid));
};

/**
 * The content type of the Content Manager's list view being shown: the hook's arguments do not
 * name it (its layout has no uid), the list view's path does.
 */
const listedType = () =>
  /\/content-manager\/collection-types\/([^/]+)\/?$/.exec(window.location.pathname)?.[1];

interface ListViewQuery {
  plugins?: { i18n?: { locale?: string } };
}

/**
 * How many variants the row's entry has in the list's locale. Every cell of the page asks for
 * the same entries, so the data layer sends one request per page, not one per row.
 */
const VariantCount = ({ documentId, model }: { documentId: string; model: string }) => {
  const t = useT();
  const rows = useTable('VariantCount', (state) => state.rows);
  const [{ query }] = useQueryParams<ListViewQuery>();
  const documentIds = rows.flatMap((row) =>
    'documentId' in row && typeof row.documentId === 'string' ? [row.documentId] : []
  );
  const { data } = useGetVariantCountsQuery(
    { targetUid: model, locale: query.plugins?.i18n?.locale, documentIds },
    { skip: documentIds.length === 0 }
  );
  if (!data) return null;
  const count = data[documentId] ?? 0;
  return (
    <Typography textColor={count > 0 ? 'neutral800' : 'neutral500'}>
      {count > 0
        ? t('listView.variants.count', '{count, plural, one {# variant} other {# variants}}', {
            count,
          })
        : '–'}
    </Typography>
  );
};

/**
 * A column a plugin adds to the list view, as the Content Manager renders it: the label is
 * translated, the cell is the plugin's (which its `ListFieldLayout` type does not say).
 */
interface InjectedColumn {
  attribute: { type: 'string' };
  label: MessageDescriptor;
  name: string;
  searchable: false;
  sortable: false;
  cellFormatter: (
    row: { documentId?: unknown },
    header: unknown,
    meta: { model: string }
  ) => ReactNode;
}

/**
 * `Admin/CM/pages/ListView/inject-column-in-table`: a "Variants" column in the list view of a
 * content type with variants, as i18n adds its locales column.
 */
export const addVariantsColumn = <Args extends { displayedHeaders: unknown[] }>(args: Args) => {
  const uid = listedType();
  if (!uid || !typesWithVariants.has(decodeURIComponent(uid))) return args;
  const column: InjectedColumn = {
    attribute: { type: 'string' },
    label: message('listView.variants', 'Variants'),
    name: 'personalize_variants',
    searchable: false,
    sortable: false,
    cellFormatter: (row, _header, { model }) => (
      <VariantCount documentId={String(row.documentId)} model={model} />
    ),
  };
  return { ...args, displayedHeaders: [...args.displayedHeaders, column] };
};
