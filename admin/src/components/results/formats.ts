import { useMemo } from 'react';

import { useIntl } from 'react-intl';

const NONE = '–';

/** Numbers of the results in the admin's language (German writes 12,5 %). */
export const useResultFormats = () => {
  const { formatNumber } = useIntl();
  return useMemo(() => {
    const percent = (value: number | null, digits = 1) =>
      value === null
        ? NONE
        : formatNumber(value, {
            style: 'percent',
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
          });
    return {
      count: (value: number) => formatNumber(value),
      /** A small quantity such as an average, to one decimal. */
      decimal: (value: number) => formatNumber(value, { maximumFractionDigits: 1 }),
      percent,
      /** An uplift with its sign: +12.5 % or −3.0 %. */
      uplift: (value: number | null) =>
        value === null
          ? NONE
          : formatNumber(value, {
              style: 'percent',
              minimumFractionDigits: 1,
              maximumFractionDigits: 1,
              signDisplay: 'exceptZero',
            }),
      /** Three decimals, four below 0.001; tinier ones only matter as "below 0.0001". */
      pValue: (value: number | null) => {
        if (value === null) return NONE;
        if (value < 0.0001) return `< ${formatNumber(0.0001, { maximumFractionDigits: 4 })}`;
        const digits = value < 0.001 ? 4 : 3;
        return formatNumber(value, {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
      },
    };
  }, [formatNumber]);
};

export type ResultFormats = ReturnType<typeof useResultFormats>;
