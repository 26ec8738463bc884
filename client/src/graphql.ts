/**
 * For sites that read Strapi through its GraphQL plugin (`@strapi/plugin-graphql`): the visitor
 * context as the `X-Personalize-Context` header of a GraphQL request, or in the `context`
 * parameter of the endpoint's URL. No GraphQL dependency: the results go into the headers or the
 * URL of Apollo Client, urql, graphql-request or `fetch`. An entry of its own
 * (`strapi-plugin-personalize-client/graphql`), so that REST sites do not load it.
 */
import type { VisitorContext } from './types';

/** The request header the plugin reads a visitor context from, over REST and GraphQL alike. */
export const CONTEXT_HEADER = 'X-Personalize-Context';

/**
 * The headers that carry `context` to Strapi's GraphQL endpoint (`{}` without one), to spread
 * into a request's headers. The value is the context's JSON, percent-encoded when it has a
 * character outside printable ASCII: browsers refuse header values beyond Latin-1, and the
 * server reads both forms. Cross-origin, a custom header makes the browser preflight the
 * request, and Strapi's default `strapi::cors` does not allow it: add it to the `headers`
 * setting, or use `personalizeUrl`.
 */
export const personalizeHeaders = (context?: VisitorContext | null): Record<string, string> => {
  if (!context) return {};
  const json = JSON.stringify(context);
  return { [CONTEXT_HEADER]: /[^\x20-\x7e]/.test(json) ? encodeURIComponent(json) : json };
};

/** What `personalizeUrl` adds besides the context. */
export interface PersonalizeUrlOptions {
  /**
   * `false`: the operation records no page view in the visitor's profile (a prefetch); sent as
   * `track=false`. Default `true`.
   */
  track?: boolean;
}

/**
 * The GraphQL endpoint's URL with `context` in its `context` query parameter (and `track=false`
 * when asked), for requests that cannot or should not send a custom header: browsers with
 * Strapi's default CORS settings, GET requests of persisted queries that a CDN caches by URL.
 * The endpoint may be absolute or a path, with or without a query already; without a context
 * and with tracking it is returned as it is.
 */
export const personalizeUrl = (
  endpoint: string,
  context?: VisitorContext | null,
  { track = true }: PersonalizeUrlOptions = {}
): string => {
  const params = [
    ...(context ? [`context=${encodeURIComponent(JSON.stringify(context))}`] : []),
    ...(track ? [] : ['track=false']),
  ];
  if (params.length === 0) return endpoint;
  const hash = endpoint.indexOf('#');
  const url = hash < 0 ? endpoint : endpoint.slice(0, hash);
  const separator = !url.includes('?') ? '?' : /[?&]$/.test(url) ? '' : '&';
  return `${url}${separator}${params.join('&')}${hash < 0 ? '' : endpoint.slice(hash)}`;
};
