import { useState } from 'react';

import {
  Alert,
  Box,
  Field,
  Flex,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Toggle,
  Tr,
  Typography,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { ConversionFilter, ExperimentResults, SourceSpread } from '../../api/types';
import { SectionTitle } from '../SectionTitle';
import { useT } from '../../utils/getTranslation';
import { useResultFormats } from './formats';

/**
 * "Where the events came from": per arm, how much of its exposures and conversions the busiest
 * 1 % of client addresses sent, warnings when one address or a burst dominates an arm, the
 * exposures withheld from addresses over their budget, and the switch to count only the
 * conversions a backend confirmed.
 */
export const SourcesPanel = ({
  integrity,
  onConversionsChange,
}: {
  integrity: ExperimentResults['integrity'];
  onConversionsChange: (conversions: ConversionFilter) => void;
}) => {
  const { formatTime } = useIntl();
  const t = useT();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const format = useResultFormats();
  const share = (spread: SourceSpread) =>
    spread.events === 0
      ? '–'
      : t('results.sources.share', '{share} of {events}', {
          share: format.percent(spread.top1PercentShare, 0),
          events: format.count(spread.events),
        });

  const warnings = integrity.arms.flatMap((arm) => [
    ...(['exposures', 'conversions'] as const)
      .filter((kind) => arm[kind].dominated)
      .map((kind) =>
        t(
          'results.sources.dominated',
          'Arm {arm}: one address sent {share} of its {kind} ({count}). Visitors do not do that; check where they come from (an office or a proxy can explain it, a script cannot).',
          {
            arm: arm.key,
            share: format.percent(arm[kind].topSourceShare, 0),
            count: format.count(arm[kind].topSourceEvents),
            kind:
              kind === 'exposures'
                ? t('results.sources.exposures', 'exposures')
                : t('results.sources.conversions', 'conversions'),
          }
        )
      ),
    ...(arm.burst
      ? [
          t(
            'results.sources.burst',
            'Arm {arm}: {count} conversions arrived within the minute of {time}, where that hour averaged {expected} a minute. A visitor population does not convert in such a burst (unless a campaign went out at that moment).',
            {
              arm: arm.key,
              count: format.count(arm.burst.conversions),
              time: formatTime(arm.burst.minute),
              expected: format.decimal(arm.burst.expected),
            }
          ),
        ]
      : []),
  ]);

  return (
    <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
      <Flex direction="column" alignItems="stretch" gap={4} data-testid="experiment-sources">
        <SectionTitle
          title={t('results.sources.title', 'Where the events came from')}
          hint={t(
            'results.sources.intro',
            'Every browser counts against a budget per client address, and only a hash of the address that changes daily is kept. Among many real visitors, the busiest 1 % of addresses send a small share of an arm’s events; a large share means a few sources drive the result.'
          )}
        />
        <Box maxWidth="48rem">
          <Field.Root
            name="conversions"
            hint={t(
              'results.sources.trustedOnly.hint',
              'Backend only: the results count just the conversions your backend sent with a full-access API token, such as purchases your shop confirmed. No browser can send those.'
            )}
          >
            <Field.Label>
              {t('results.sources.trustedOnly', 'Count only conversions your backend sent')}
            </Field.Label>
            <Toggle
              checked={integrity.conversionsCounted === 'trusted'}
              onLabel={t('results.sources.trustedOnly.on', 'Backend only')}
              offLabel={t('results.sources.trustedOnly.off', 'All conversions')}
              onChange={() =>
                onConversionsChange(integrity.conversionsCounted === 'trusted' ? 'all' : 'trusted')
              }
            />
            <Field.Hint />
          </Field.Root>
        </Box>
        {warnings
          .filter((warning) => !dismissed.has(warning))
          .map((warning) => (
            <Alert
              key={warning}
              variant="warning"
              closeLabel={t('results.sources.dismiss', 'Dismiss')}
              onClose={() => setDismissed((current) => new Set([...current, warning]))}
            >
              {warning}
            </Alert>
          ))}
        {integrity.withheldExposures > 0 ? (
          <Typography>
            {t(
              'results.sources.withheld',
              '{count} exposures were not recorded: their address had used up its event budget. Those visitors still saw their page.',
              { count: format.count(integrity.withheldExposures) }
            )}
          </Typography>
        ) : null}
        {integrity.arms.every((arm) => arm.exposures.events + arm.conversions.events === 0) ? (
          <Typography>
            {t(
              'results.sources.none',
              'No events from client addresses yet: everything so far came from trusted sources (imports, your backend).'
            )}
          </Typography>
        ) : (
          <Table colCount={3} rowCount={integrity.arms.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('results.arm', 'Arm')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">
                    {t(
                      'results.sources.topExposures',
                      'Exposures from the busiest 1 % of addresses'
                    )}
                  </Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">
                    {t(
                      'results.sources.topConversions',
                      'Conversions from the busiest 1 % of addresses'
                    )}
                  </Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {integrity.arms.map((arm) => (
                <Tr key={arm.key}>
                  <Td>
                    <Typography fontWeight="semiBold">{arm.key}</Typography>
                  </Td>
                  <Td>{share(arm.exposures)}</Td>
                  <Td>{share(arm.conversions)}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Flex>
    </Box>
  );
};
