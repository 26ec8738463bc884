import { LinkButton } from '@strapi/design-system';
import { BackButton } from '@strapi/strapi/admin';
import { NavLink, useSearchParams } from 'react-router-dom';

import { useGetTargetSummaryQuery } from '../api/personalizeApi';
import { PageLayout } from '../components/PageLayout';
import { PreviewPanel } from '../components/PreviewPanel';
import { targetParams } from '../components/VariantsPanel';
import { PLUGIN_ID } from '../pluginId';
import { message, useT } from '../utils/getTranslation';
import { describeTarget } from '../utils/targets';

/**
 * The entry a page about one entry is for (`?targetUid=&targetDocumentId=&locale=`), its URL
 * parameters for the plugin's other pages, and its name for the header.
 */
export const usePageTarget = () => {
  const [searchParams] = useSearchParams();
  const targetUid = searchParams.get('targetUid') ?? '';
  const targetDocumentId = searchParams.get('targetDocumentId') || null;
  const locale = searchParams.get('locale') ?? 'en';
  const { data: summary } = useGetTargetSummaryQuery({ targetUid, targetDocumentId, locale });
  return {
    target: { targetUid, targetDocumentId, locale },
    params: targetParams(targetUid, targetDocumentId, locale),
    subtitle: `${summary ? describeTarget(summary) : targetUid} · ${locale.toUpperCase()}`,
  };
};

/**
 * `/plugins/personalize/preview?targetUid=&targetDocumentId=&locale=`: one entry as a chosen
 * visitor gets it, opened from the Content Manager's side panel.
 */
export const PreviewPage = () => {
  const t = useT();
  const { target, params, subtitle } = usePageTarget();
  return (
    <PageLayout
      title={message('preview.page.title', 'Preview')}
      subtitle={subtitle}
      navigationAction={<BackButton />}
      primaryAction={
        <LinkButton tag={NavLink} variant="tertiary" to={`/plugins/${PLUGIN_ID}/grid?${params}`}>
          {t('panel.grid', 'Persona × stage grid')}
        </LinkButton>
      }
    >
      <PreviewPanel {...target} />
    </PageLayout>
  );
};
