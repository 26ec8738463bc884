import { useGetPersonasQuery, useGetJourneyStagesQuery } from '../api/personalizeApi';
import type { JourneyStage, Persona } from '../api/types';
import type { Sample } from './RuleEditor/RuleEditor';

/** The personas and journey stages (empty until loaded), from the data layer's shared cache. */
export const useClassification = () => {
  const personas = useGetPersonasQuery();
  const stages = useGetJourneyStagesQuery();
  return {
    personas: personas.data?.items ?? [],
    stages: stages.data?.items ?? [],
  };
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
