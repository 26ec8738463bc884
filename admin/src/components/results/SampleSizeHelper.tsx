import { useState } from 'react';

import { Button, Field, Flex, NumberInput, Typography } from '@strapi/design-system';

import { errorUnder, useRequestErrors, type FieldErrors } from '../../api/errors';
import { useLazyGetSampleSizeQuery } from '../../api/personalizeApi';
import type { ArmResult, Horizon } from '../../api/types';
import { useT } from '../../utils/getTranslation';
import { projectedSmallestArm, sampleProgress } from '../../utils/results';
import { CONTROL } from '../ArmsEditor';
import { useResultFormats } from './formats';

/** Below this, control's observed rate is too noisy to suggest as the baseline. */
const BASELINE_MIN_VISITORS = 100;

/**
 * "How many visitors do I need?": the sample-size route for a baseline rate and the smallest
 * relative change worth detecting, and how far this experiment is towards it.
 */
export const SampleSizeHelper = ({
  arms,
  horizon,
}: {
  arms: ArmResult[];
  /** The planned end and the visitors projected by then, to say whether the target is met. */
  horizon?: Horizon;
}) => {
  const t = useT();
  const format = useResultFormats();
  const [sampleSize] = useLazyGetSampleSizeQuery();
  const { reportSaveError } = useRequestErrors();
  const control = arms.find((arm) => arm.key === CONTROL);
  const [baseline, setBaseline] = useState(() =>
    control?.rate && control.visitors >= BASELINE_MIN_VISITORS
      ? Math.round(control.rate * 1_000) / 10
      : 5
  );
  const [effect, setEffect] = useState(10);
  const [answer, setAnswer] = useState<string | null>(null);
  const [projection, setProjection] = useState<string | null>(null);
  // A rate or change out of range is refused at its field.
  const [errors, setErrors] = useState<FieldErrors>({});

  const compute = async () => {
    const result = await sampleSize(
      { baselineRate: baseline / 100, minimumDetectableEffect: effect / 100 },
      true
    );
    if (result.error) {
      setAnswer(null);
      setProjection(null);
      reportSaveError(result.error, setErrors);
      return;
    }
    setErrors({});
    if (result.data) {
      const { smallest, share } = sampleProgress(arms, result.data.visitorsPerArm);
      const text = t(
        'results.sampleSize.answer',
        '{perArm} visitors per arm. The smallest arm has {smallest} so far: {progress} of that.',
        {
          perArm: format.count(result.data.visitorsPerArm),
          smallest: format.count(smallest),
          progress: format.percent(share, 0),
        }
      );
      setAnswer(text);
      const projected = horizon ? projectedSmallestArm(arms, horizon) : null;
      setProjection(
        projected === null
          ? null
          : projected >= result.data.visitorsPerArm
            ? t(
                'results.sampleSize.onTrack',
                'At the current rate the smallest arm reaches about {projected} visitors by the planned end: enough.',
                { projected: format.count(projected) }
              )
            : t(
                'results.sampleSize.short',
                'At the current rate the smallest arm reaches only about {projected} visitors by the planned end: not enough. Move the end later, or plan for a larger change.',
                { projected: format.count(projected) }
              )
      );
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="delta" tag="h2">
        {t('results.sampleSize', 'How many visitors do I need?')}
      </Typography>
      <Flex gap={3} alignItems="flex-end">
        <Field.Root name="baselineRate" error={errorUnder(errors, 'baselineRate')}>
          <Field.Label>
            {t('results.sampleSize.baseline', 'Baseline conversion rate (%)')}
          </Field.Label>
          <NumberInput
            value={baseline}
            onValueChange={(value: number | undefined) => setBaseline(value ?? 0)}
          />
          <Field.Error />
        </Field.Root>
        <Field.Root
          name="minimumDetectableEffect"
          error={errorUnder(errors, 'minimumDetectableEffect')}
        >
          <Field.Label>
            {t('results.sampleSize.effect', 'Smallest relative change to detect (%)')}
          </Field.Label>
          <NumberInput
            value={effect}
            onValueChange={(value: number | undefined) => setEffect(value ?? 0)}
          />
          <Field.Error />
        </Field.Root>
        <Button variant="secondary" onClick={compute}>
          {t('results.sampleSize.compute', 'Compute')}
        </Button>
      </Flex>
      {answer ? <Typography>{answer}</Typography> : null}
      {projection ? (
        <Typography data-testid="sample-size-projection">{projection}</Typography>
      ) : null}
      <Typography variant="pi" textColor="neutral600">
        {t('results.sampleSize.hint', 'Significance level 5 %, power 80 %.')}
      </Typography>
    </Flex>
  );
};
