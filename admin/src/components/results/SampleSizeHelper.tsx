import { useState } from 'react';

import { Button, Field, Flex, NumberInput, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { ArmResult } from '../../api/types';
import { errorMessage, usePersonalizeApi } from '../../api/usePersonalizeApi';
import { message } from '../../utils/getTranslation';
import { sampleProgress } from '../../utils/results';
import { CONTROL } from '../ArmsEditor';
import { useResultFormats } from './formats';

/** Below this, control's observed rate is too noisy to suggest as the baseline. */
const BASELINE_MIN_VISITORS = 100;

/**
 * "How many visitors do I need?": the sample-size route for a baseline rate and the smallest
 * relative change worth detecting, and how far this experiment is towards it.
 */
export const SampleSizeHelper = ({ arms }: { arms: ArmResult[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, text: string) => formatMessage(message(id, text));
  const format = useResultFormats();
  const api = usePersonalizeApi();
  const control = arms.find((arm) => arm.key === CONTROL);
  const [baseline, setBaseline] = useState(() =>
    control?.rate && control.visitors >= BASELINE_MIN_VISITORS
      ? Math.round(control.rate * 1_000) / 10
      : 5
  );
  const [effect, setEffect] = useState(10);
  const [answer, setAnswer] = useState<{ text: string; failed: boolean } | null>(null);

  const compute = async () => {
    try {
      const { visitorsPerArm } = await api.experiments.sampleSize(baseline / 100, effect / 100);
      const { smallest, share } = sampleProgress(arms, visitorsPerArm);
      const text = formatMessage(
        message(
          'results.sampleSize.answer',
          '{perArm} visitors per arm. The smallest arm has {smallest} so far: {progress} of that.'
        ),
        {
          perArm: format.count(visitorsPerArm),
          smallest: format.count(smallest),
          progress: format.percent(share, 0),
        }
      );
      setAnswer({ text, failed: false });
    } catch (error) {
      setAnswer({ text: errorMessage(error), failed: true });
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="delta" tag="h2">
        {t('results.sampleSize', 'How many visitors do I need?')}
      </Typography>
      <Flex gap={3} alignItems="flex-end">
        <Field.Root name="baselineRate">
          <Field.Label>
            {t('results.sampleSize.baseline', 'Baseline conversion rate (%)')}
          </Field.Label>
          <NumberInput
            value={baseline}
            onValueChange={(value: number | undefined) => setBaseline(value ?? 0)}
          />
        </Field.Root>
        <Field.Root name="minimumDetectableEffect">
          <Field.Label>
            {t('results.sampleSize.effect', 'Smallest relative change to detect (%)')}
          </Field.Label>
          <NumberInput
            value={effect}
            onValueChange={(value: number | undefined) => setEffect(value ?? 0)}
          />
        </Field.Root>
        <Button variant="secondary" onClick={compute}>
          {t('results.sampleSize.compute', 'Compute')}
        </Button>
      </Flex>
      {answer ? (
        <Typography textColor={answer.failed ? 'danger600' : undefined}>{answer.text}</Typography>
      ) : null}
      <Typography variant="pi" textColor="neutral600">
        {t('results.sampleSize.hint', 'Significance level 5 %, power 80 %.')}
      </Typography>
    </Flex>
  );
};
