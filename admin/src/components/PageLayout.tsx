import type { ReactNode } from 'react';

import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl, type MessageDescriptor } from 'react-intl';

import { PERMISSIONS } from '../permissions';

interface PageLayoutProps {
  title: MessageDescriptor;
  subtitle: MessageDescriptor;
  children: ReactNode;
}

/** A plugin page: read permission required, Strapi's header and content layout. */
export const PageLayout = ({ title, subtitle, children }: PageLayoutProps) => {
  const { formatMessage } = useIntl();
  return (
    <Page.Protect permissions={PERMISSIONS.read}>
      <Page.Main>
        <Page.Title>{formatMessage(title)}</Page.Title>
        <Layouts.Header title={formatMessage(title)} subtitle={formatMessage(subtitle)} />
        <Layouts.Content>{children}</Layouts.Content>
      </Page.Main>
    </Page.Protect>
  );
};
