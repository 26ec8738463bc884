import { useState } from 'react';

import { Flex, IconButton, LinkButton } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Plus } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl, type MessageDescriptor } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';

import type { JourneyStage, Lists } from '../../api/types';
import { errorMessage, usePersonalizeApi } from '../../api/usePersonalizeApi';
import { ListTable, type Column } from '../../components/ListTable';
import { PageLayout } from '../../components/PageLayout';
import { useCanManage } from '../../hooks';
import { PLUGIN_ID } from '../../pluginId';
import { message } from '../../utils/getTranslation';
import { personaColumns, stageColumns } from '../columns';

interface SettingsListPageProps<Name extends 'personas' | 'stages'> {
  list: Name;
  columns: Column<Lists[Name]>[];
  title: MessageDescriptor;
  subtitle: MessageDescriptor;
  empty: MessageDescriptor;
  create: MessageDescriptor;
  reloadKey?: number;
}

/** A settings list whose rows open their editor, with a create button for managers. */
const SettingsListPage = <Name extends 'personas' | 'stages'>({
  list,
  columns,
  title,
  subtitle,
  empty,
  create,
  reloadKey,
}: SettingsListPageProps<Name>) => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const canManage = useCanManage();
  return (
    <PageLayout
      title={title}
      subtitle={subtitle}
      primaryAction={
        canManage ? (
          <LinkButton tag={NavLink} to={`/plugins/${PLUGIN_ID}/${list}/new`} startIcon={<Plus />}>
            {formatMessage(create)}
          </LinkButton>
        ) : undefined
      }
    >
      <ListTable
        list={list}
        columns={columns}
        empty={empty}
        reloadKey={reloadKey}
        onRowClick={(row) => navigate(`/plugins/${PLUGIN_ID}/${list}/${row.documentId}`)}
      />
    </PageLayout>
  );
};

/** Settings → Personalize → Personas. */
export const PersonasPage = () => (
  <SettingsListPage
    list="personas"
    columns={personaColumns}
    title={message('settings.personas.title', 'Personas')}
    subtitle={message(
      'settings.personas.subtitle',
      'Visitor groups, recognized by their rule; the highest priority wins.'
    )}
    empty={message('settings.personas.empty', 'No personas yet.')}
    create={message('persona.create', 'Create a persona')}
  />
);

/** Up and down buttons that renumber the journey stages. */
const useReorderColumn = (onReordered: () => void): Column<JourneyStage> => {
  const { formatMessage } = useIntl();
  const api = usePersonalizeApi();
  const { toggleNotification } = useNotification();
  const move = async (stage: JourneyStage, by: -1 | 1) => {
    const current = await api.stages.list();
    const ids = current.map((item) => item.documentId);
    const from = ids.indexOf(stage.documentId);
    const to = from + by;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    try {
      await api.stages.reorder(ids);
      onReordered();
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    }
  };
  return {
    key: 'reorder',
    header: message('stage.reorder', 'Move'),
    cell: (stage, { index, count }) => (
      // The buttons must not open the stage's editor (the row's click).
      <Flex gap={1} onClick={(event: React.MouseEvent) => event.stopPropagation()}>
        <IconButton
          label={formatMessage(message('stage.moveUp', 'Move up'))}
          variant="ghost"
          disabled={index === 0}
          onClick={() => move(stage, -1)}
        >
          <ArrowUp />
        </IconButton>
        <IconButton
          label={formatMessage(message('stage.moveDown', 'Move down'))}
          variant="ghost"
          disabled={index === count - 1}
          onClick={() => move(stage, 1)}
        >
          <ArrowDown />
        </IconButton>
      </Flex>
    ),
  };
};

/** Settings → Personalize → Journey stages, in journey order, reorderable by managers. */
export const StagesPage = () => {
  const canManage = useCanManage();
  const [reloadKey, setReloadKey] = useState(0);
  const reorder = useReorderColumn(() => setReloadKey((key) => key + 1));
  return (
    <SettingsListPage
      list="stages"
      columns={canManage ? [...stageColumns, reorder] : stageColumns}
      title={message('settings.stages.title', 'Journey stages')}
      subtitle={message(
        'settings.stages.subtitle',
        'Steps along the visitor journey; the furthest stage whose rule matches wins.'
      )}
      empty={message('settings.stages.empty', 'No journey stages yet.')}
      create={message('stage.create', 'Create a journey stage')}
      reloadKey={reloadKey}
    />
  );
};
