import type { ReactNode } from 'react';

import { Typography } from '@strapi/design-system';

/** A section's heading and, under it, the sentence that says what the section is for. */
export const SectionTitle = ({
  title,
  hint,
  tag = 'h2',
}: {
  title: ReactNode;
  hint?: ReactNode;
  tag?: 'h2' | 'h3';
}) => (
  <>
    <Typography variant="delta" tag={tag}>
      {title}
    </Typography>
    {hint ? (
      <Typography variant="pi" textColor="neutral600">
        {hint}
      </Typography>
    ) : null}
  </>
);
