/**
 * For sites that let the server remember their visitors (visitor profiles: the plugin's
 * docs/privacy.md): the frontend sends only the visitor id and the consent, and tells the server
 * of page views and events its reads through the delivery do not record. An entry of its own
 * (`strapi-plugin-personalize-client/profiles`), so that sites without profiles do not load it.
 */
import type { PersonalizeClient } from './client';
import { browserContext, type BrowserContextOptions } from './context';
import type { VisitorContext } from './types';

/**
 * The whole context of a site with profiles: the visitor id and the consent (and `extra`, the
 * fields the page knows; the request's own fields win over the profile's). With
 * `consent.personalization === true` the id is kept in storage (the key `browserContext` uses);
 * otherwise there is no id and nothing is stored (with `false`, what was stored is erased).
 */
export const profileContext = ({
  extra,
  ...options
}: Pick<BrowserContextOptions, 'consent' | 'storage' | 'now' | 'extra'> = {}): VisitorContext => {
  const { visitorId, consent } = browserContext({ ...options, url: '', referrer: '' });
  return { ...extra, ...(consent ? { consent } : {}), ...(visitorId ? { visitorId } : {}) };
};

/** The entry a page shows (`documentId` null or absent for a single type). */
export interface ViewedEntry {
  uid: string;
  documentId?: string | null;
}

/** The visitor id of a context whose visitor consented to personalization, or null. */
const consentingVisitor = (context: VisitorContext) =>
  context.consent?.personalization === true && context.visitorId ? context.visitorId : null;

/**
 * A page view for the visitor's profile (the entry's interest signals count), for a page not read
 * through the delivery (a cached or static page). Queued on the client like `track`'s events (so
 * not when the client was told `analytics: false`), only for a consenting visitor.
 */
export const trackView = (
  client: Pick<PersonalizeClient, 'track'>,
  context: VisitorContext,
  entry?: ViewedEntry
) => {
  const visitorId = consentingVisitor(context);
  if (visitorId) {
    client.track({ type: 'view', visitorId, target: entry, consent: { personalization: true } });
  }
};

/** A named event for the visitor's profile (rules read it in `events`); as `trackView`. */
export const trackEvent = (
  client: Pick<PersonalizeClient, 'track'>,
  context: VisitorContext,
  name: string
) => {
  const visitorId = consentingVisitor(context);
  if (visitorId)
    client.track({ type: 'event', visitorId, name, consent: { personalization: true } });
};
