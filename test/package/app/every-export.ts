// Uses every export of strapi-plugin-personalize-client. The package test type-checks it, strict
// and without the DOM library, as ESM (.mts), as CommonJS (.cts) and with node10 resolution.
import {
  PREVIEW_CONTEXT_PARAM,
  PREVIEW_TOKEN_PARAM,
  PersonalizeError,
  STORAGE_KEY,
  VISIT_TIMEOUT_MS,
  browserContext,
  createPersonalizeClient,
  deviceClass,
  forgetVisitor,
  previewContext,
  previewToken,
  rememberEvent,
  toQueryString,
  utmOf,
  type AbortSignalLike,
  type BrowserContextOptions,
  type CallOptions,
  type ClientOptions,
  type ContentPagination,
  type DecideRequest,
  type Decision,
  type FetchInit,
  type FetchLike,
  type Personalization,
  type PersonalizeClient,
  type PersonalizeErrorKind,
  type Query,
  type ReadOptions,
  type Reading,
  type ResponseLike,
  type TrackResult,
  type TrackedEvent,
  type VisitorContext,
  type VisitorStorage,
} from 'strapi-plugin-personalize-client';
import {
  CONSENT_COOKIE,
  VISITOR_ID_COOKIE,
  cacheKey,
  consentOf,
  contextFromRequest,
  cookiesOf,
  visitorIdCookie,
  type RequestContextOptions,
  type RequestLike,
  type VisitorIdCookieOptions,
} from 'strapi-plugin-personalize-client/server';
import {
  PersonalizeProvider,
  TrackConversion,
  useDecision,
  usePersonalizedEntry,
  usePersonalizedSingle,
  useTrack,
  type HookReadOptions,
  type PersonalizeProviderProps,
  type PersonalizedEntry,
  type Remote,
  type TrackConversionProps,
  type VisitorEvent,
} from 'strapi-plugin-personalize-client/react';
import {
  profileContext,
  trackEvent,
  trackView,
  type ViewedEntry,
} from 'strapi-plugin-personalize-client/profiles';
import {
  CONTEXT_HEADER,
  personalizeHeaders,
  personalizeUrl,
  type PersonalizeUrlOptions,
} from 'strapi-plugin-personalize-client/graphql';
import { createElement } from 'react';

interface Homepage {
  headline: string;
}

const storage: VisitorStorage = {
  getItem: () => null,
  setItem: () => undefined,
  removeItem: () => undefined,
};
const signal: AbortSignalLike = {
  aborted: false,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
};
const answer: ResponseLike = {
  ok: true,
  status: 200,
  headers: { get: () => 'application/json' },
  text: async () => '{"data":{},"meta":{"personalization":null}}',
};
const fetchStub: FetchLike = async (_url: string, init: FetchInit) => {
  void init.method;
  return answer;
};
const consent: VisitorContext['consent'] = { personalization: true, analytics: true };
const browserOptions: BrowserContextOptions = { consent, storage, url: 'https://shop.example/' };
const context: VisitorContext = {
  ...browserContext(browserOptions),
  ...(previewContext(`https://shop.example/?${PREVIEW_CONTEXT_PARAM}=e30`) ?? {}),
  preview: previewToken(`https://shop.example/?${PREVIEW_TOKEN_PARAM}=t`) ?? undefined,
  device: deviceClass(1280),
  utm: utmOf('https://shop.example/?utm_source=mail'),
};
rememberEvent('configurator_completed', { consent, storage });
forgetVisitor(storage);

const options: ClientOptions = { baseUrl: 'https://cms.example', fetch: fetchStub, timeoutMs: 500 };
const client: PersonalizeClient = createPersonalizeClient(options);
const callOptions: CallOptions = { signal, timeoutMs: 100 };
const readOptions: ReadOptions = { context, locale: 'en', pagination: { pageSize: 2 }, signal };
const query: Query = { populate: { hero: true } };

export async function everyCall(): Promise<string[]> {
  const home: Reading<Homepage> = await client.getSingle<Homepage>('homepage', readOptions);
  const entry = await client.getEntry<{ title: string }>('articles', 'abc', readOptions);
  const list = await client.getEntries<{ title: string }>('articles', readOptions);
  const pagination: ContentPagination | undefined = list.meta.pagination;
  const request: DecideRequest = { targetUid: 'homepage', context };
  const decision: Decision = await client.decide(request, callOptions);
  const personalization: Personalization = home.personalization;
  const event: TrackedEvent = { type: 'conversion', goal: 'test-drive', visitorId: 'v1' };
  client.track(event);
  const profile = profileContext({ consent, storage, extra: { locale: 'en' } });
  const viewed: ViewedEntry = { uid: 'api::article.article', documentId: 'abc' };
  trackView(client, profile, viewed);
  trackEvent(client, profile, 'newsletter_signup');
  const result: TrackResult = await client.flush();
  client.setConsent(consent);
  client.close();
  try {
    await client.getSingle('homepage', callOptions);
  } catch (error) {
    const kind: PersonalizeErrorKind | null = error instanceof PersonalizeError ? error.kind : null;
    void kind;
  }
  return [
    home.data.headline,
    entry.data.title,
    String(pagination?.total),
    decision.reason,
    personalization.segment,
    String(result.accepted + client.queued),
    toQueryString(query),
    STORAGE_KEY,
    String(VISIT_TIMEOUT_MS),
  ];
}

const pageRequest: RequestLike = {
  url: 'https://shop.example/?utm_campaign=spring',
  headers: {
    get: (name: string) => (name === 'cookie' ? `${CONSENT_COOKIE}=personalization` : null),
  },
};
const requestOptions: RequestContextOptions = { countryHeader: 'cf-ipcountry' };
const cookieOptions: VisitorIdCookieOptions = { name: VISITOR_ID_COOKIE, secure: false };
export const serverSide: VisitorContext = contextFromRequest(pageRequest, requestOptions);
export const kept: { visitorId?: string; setCookie?: string } = visitorIdCookie(
  pageRequest,
  consentOf(cookiesOf(pageRequest).get(CONSENT_COOKIE)),
  cookieOptions
);
export const key: string = cacheKey(pageRequest.url, 'base');

// GraphQL: the context as a header, or in the endpoint's URL.
const urlOptions: PersonalizeUrlOptions = { track: false };
export const graphqlHeaders: Record<string, string> = {
  'Content-Type': 'application/json',
  ...personalizeHeaders(context),
};
export const graphqlHeader: string | undefined = graphqlHeaders[CONTEXT_HEADER];
export const graphqlUrl: string = personalizeUrl(
  'https://cms.example/graphql',
  context,
  urlOptions
);

// React, without JSX so that this file needs no JSX settings.
const conversion: TrackConversionProps = { goal: 'test-drive' };
const providerProps: PersonalizeProviderProps = {
  client,
  context,
  consent,
  children: createElement(TrackConversion, conversion),
};
export const page = createElement(PersonalizeProvider, providerProps);

export function useEveryHook(): string | undefined {
  const hookOptions: HookReadOptions<Homepage> = { locale: 'en' };
  const home: PersonalizedEntry<Homepage> = usePersonalizedSingle<Homepage>(
    'homepage',
    hookOptions
  );
  const article = usePersonalizedEntry<{ title: string }>('articles', 'abc');
  const decision: Remote<Decision> = useDecision({ targetUid: 'homepage' });
  const track = useTrack();
  const event: VisitorEvent = { type: 'exposure', experiment: 'hero-test' };
  track(event);
  return home.data?.headline ?? article.data?.title ?? decision.value?.reason;
}
