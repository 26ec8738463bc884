import type { MessageDescriptor } from 'react-intl';

import type { Lists } from '../../api/types';
import { ListTable, type Column } from '../../components/ListTable';
import { PageLayout } from '../../components/PageLayout';
import { message } from '../../utils/getTranslation';
import { personaColumns, stageColumns } from '../columns';

interface SettingsListPageProps<Name extends keyof Lists> {
  list: Name;
  columns: Column<Lists[Name]>[];
  title: MessageDescriptor;
  subtitle: MessageDescriptor;
  empty: MessageDescriptor;
}

const SettingsListPage = <Name extends keyof Lists>({
  list,
  columns,
  title,
  subtitle,
  empty,
}: SettingsListPageProps<Name>) => (
  <PageLayout title={title} subtitle={subtitle}>
    <ListTable list={list} columns={columns} empty={empty} />
  </PageLayout>
);

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
  />
);

/** Settings → Personalize → Journey stages. */
export const StagesPage = () => (
  <SettingsListPage
    list="stages"
    columns={stageColumns}
    title={message('settings.stages.title', 'Journey stages')}
    subtitle={message(
      'settings.stages.subtitle',
      'Steps along the visitor journey; the furthest stage whose rule matches wins.'
    )}
    empty={message('settings.stages.empty', 'No journey stages yet.')}
  />
);
