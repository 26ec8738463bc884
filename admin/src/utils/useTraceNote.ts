import { useCallback } from 'react';

import { useIntl } from 'react-intl';

import type { VariantTrace } from '../../../server/src/engine/types';
import { getTranslation } from './getTranslation';

/**
 * Why the preview's decision trace says a variant was or was not picked, in the editor's
 * language: the server names its reasons by code (`why`), the translations word them
 * (`trace.<code>`, with the server's English in en.json).
 */
export const useTraceNote = () => {
  const { formatMessage } = useIntl();
  return useCallback(
    ({ why }: Pick<VariantTrace, 'why'>) =>
      why
        .map(({ code, values }) =>
          formatMessage({ id: getTranslation(`trace.${code}`), defaultMessage: code }, values)
        )
        .join('; '),
    [formatMessage]
  );
};
