import { Flex, IconButton, LinkButton } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Plus } from '@strapi/icons';
import { useIntl, type MessageDescriptor } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';

import { useRequestErrors } from '../../api/errors';
import {
  useGetInterestsQuery,
  useGetPersonasQuery,
  useGetJourneyStagesQuery,
  useReorderJourneyStagesMutation,
} from '../../api/personalizeApi';
import type { JourneyStage } from '../../api/types';
import { ListTable, type Column, type ListQuery } from '../../components/ListTable';
import { PageLayout } from '../../components/PageLayout';
import { useCanManage } from '../../hooks';
import { PLUGIN_ID } from '../../pluginId';
import { message, useT } from '../../utils/getTranslation';
import { interestColumns, personaColumns, stageColumns } from '../columns';

type SettingsList = 'personas' | 'stages' | 'interests';

/** Each list's words: its title and subtitle, what it says when empty, its create button. */
const WORDS: Record<
  SettingsList,
  Record<'title' | 'subtitle' | 'empty' | 'create', MessageDescriptor>
> = {
  personas: {
    title: message('settings.personas.title', 'Personas'),
    subtitle: message(
      'settings.personas.subtitle',
      'Visitor groups, recognized by their rule; the highest priority wins.'
    ),
    empty: message('settings.personas.empty', 'No personas yet.'),
    create: message('persona.create', 'Create a persona'),
  },
  stages: {
    title: message('settings.stages.title', 'Journey stages'),
    subtitle: message(
      'settings.stages.subtitle',
      'Steps along the visitor journey; the furthest stage whose rule matches wins.'
    ),
    empty: message('settings.stages.empty', 'No journey stages yet.'),
    create: message('stage.create', 'Create a journey stage'),
  },
  interests: {
    title: message('settings.interests.title', 'Interests'),
    subtitle: message(
      'settings.interests.subtitle',
      'Topics visitors show interest in by what they read: the entries’ signals add points, which fade with the half-life.'
    ),
    empty: message(
      'settings.interests.empty',
      'No interests yet. Create one, then give entries signals in their side panel.'
    ),
    create: message('interest.create', 'Create an interest'),
  },
};

interface SettingsListPageProps<Row extends { documentId: string }> {
  list: SettingsList;
  query: ListQuery<Row>;
  columns: Column<Row>[];
}

/** A settings list whose rows open their editor, with a create button for managers. */
const SettingsListPage = <Row extends { documentId: string }>({
  list,
  query,
  columns,
}: SettingsListPageProps<Row>) => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const canManage = useCanManage();
  const words = WORDS[list];
  return (
    <PageLayout
      title={words.title}
      subtitle={words.subtitle}
      primaryAction={
        canManage ? (
          <LinkButton tag={NavLink} to={`/plugins/${PLUGIN_ID}/${list}/new`} startIcon={<Plus />}>
            {formatMessage(words.create)}
          </LinkButton>
        ) : undefined
      }
    >
      <ListTable
        query={query}
        columns={columns}
        empty={words.empty}
        onRowClick={(row) => navigate(`/plugins/${PLUGIN_ID}/${list}/${row.documentId}`)}
      />
    </PageLayout>
  );
};

/** Settings → Personalize → Personas. */
export const PersonasPage = () => (
  <SettingsListPage list="personas" query={useGetPersonasQuery()} columns={personaColumns} />
);

/** Up and down buttons that renumber the journey stages (`stages`: all of them, in order). */
const useReorderColumn = (stages: JourneyStage[]): Column<JourneyStage> => {
  const t = useT();
  const [reorder] = useReorderJourneyStagesMutation();
  const { notify } = useRequestErrors();
  const move = async (stage: JourneyStage, by: -1 | 1) => {
    const ids = stages.map((item) => item.documentId);
    const from = ids.indexOf(stage.documentId);
    const to = from + by;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    const result = await reorder(ids);
    if ('error' in result) notify(result.error);
  };
  return {
    key: 'reorder',
    header: message('stage.reorder', 'Move'),
    cell: (stage, { index, count }) => (
      // The buttons must not open the stage's editor (the row's click).
      <Flex gap={1} onClick={(event: React.MouseEvent) => event.stopPropagation()}>
        <IconButton
          label={t('stage.moveUp', 'Move up')}
          variant="ghost"
          disabled={index === 0}
          onClick={() => move(stage, -1)}
        >
          <ArrowUp />
        </IconButton>
        <IconButton
          label={t('stage.moveDown', 'Move down')}
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
  const stages = useGetJourneyStagesQuery();
  const reorder = useReorderColumn(stages.data?.items ?? []);
  return (
    <SettingsListPage
      list="stages"
      query={stages}
      columns={canManage ? [...stageColumns, reorder] : stageColumns}
    />
  );
};

/** Settings → Personalize → Interests. */
export const InterestsPage = () => (
  <SettingsListPage list="interests" query={useGetInterestsQuery()} columns={interestColumns} />
);
