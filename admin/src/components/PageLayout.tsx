import type { ReactNode } from 'react';

import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl, type MessageDescriptor } from 'react-intl';

import { PERMISSIONS } from '../permissions';

interface PageLayoutProps {
  title: MessageDescriptor | string;
  subtitle: MessageDescriptor | string;
  children: ReactNode;
  /** A button at the right of the header (create, save). */
  primaryAction?: ReactNode;
  /** A link above the title (back). */
  navigationAction?: ReactNode;
}

/** A plugin page: read permission required, Strapi's header and content layout. */
export const PageLayout = ({
  title,
  subtitle,
  children,
  primaryAction,
  navigationAction,
}: PageLayoutProps) => {
  const { formatMessage } = useIntl();
  const text = (value: MessageDescriptor | string) =>
    typeof value === 'string' ? value : formatMessage(value);
  return (
    <Page.Protect permissions={PERMISSIONS.read}>
      <Page.Main>
        <Page.Title>{text(title)}</Page.Title>
        <Layouts.Header
          title={text(title)}
          subtitle={text(subtitle)}
          primaryAction={primaryAction}
          navigationAction={navigationAction}
        />
        <Layouts.Content>{children}</Layouts.Content>
      </Page.Main>
    </Page.Protect>
  );
};
