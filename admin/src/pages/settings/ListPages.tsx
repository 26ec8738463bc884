import { ListTable } from '../../components/ListTable';
import { PageLayout } from '../../components/PageLayout';
import { message } from '../../utils/getTranslation';
import { personaColumns, stageColumns } from './columns';

/** Settings → Personalize → Personas. */
export const PersonasPage = () => (
  <PageLayout
    title={message('settings.personas.title', 'Personas')}
    subtitle={message(
      'settings.personas.subtitle',
      'Visitor groups, recognized by their rule; the highest priority wins.'
    )}
  >
    <ListTable
      list="personas"
      columns={personaColumns}
      empty={message('settings.personas.empty', 'No personas yet.')}
    />
  </PageLayout>
);

/** Settings → Personalize → Journey stages. */
export const StagesPage = () => (
  <PageLayout
    title={message('settings.stages.title', 'Journey stages')}
    subtitle={message(
      'settings.stages.subtitle',
      'Steps along the visitor journey; the furthest stage whose rule matches wins.'
    )}
  >
    <ListTable
      list="stages"
      columns={stageColumns}
      empty={message('settings.stages.empty', 'No journey stages yet.')}
    />
  </PageLayout>
);
