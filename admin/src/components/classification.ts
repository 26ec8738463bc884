import type { JourneyStage, Persona } from '../api/types';
import { useLoad, usePersonalizeApi } from '../api/usePersonalizeApi';
import type { Sample } from './RuleEditor/RuleEditor';

/** The personas and journey stages, loaded once per page. */
export const useClassification = () => {
  const api = usePersonalizeApi();
  const [state] = useLoad(async () => {
    const [personas, stages] = await Promise.all([api.personas.list(), api.stages.list()]);
    return { personas, stages };
  }, 'classification');
  return state.status === 'success'
    ? state.data
    : { personas: [] as Persona[], stages: [] as JourneyStage[] };
};

/** The personas' and stages' sample contexts, for the rule editor's test box. */
export const samplesOf = ({
  personas,
  stages,
}: {
  personas: Persona[];
  stages: JourneyStage[];
}): Sample[] =>
  [...personas, ...stages]
    .filter((item) => item.sampleContext)
    .map((item) => ({ label: item.name, context: item.sampleContext as Record<string, unknown> }));
