/**
 * The plugin's admin data layer: endpoints injected into the admin's own RTK Query API
 * (`adminApi`), as content-releases does, so that every screen shares one cache and a write
 * invalidates exactly the lists and items it changed (by tag) instead of each page loading on
 * its own. Errors arrive in Strapi's shape (`{ name, message, details }`), ready for
 * `useAPIErrorHandler` and the forms' field errors (see ./errors.ts).
 */
import { adminApi } from '@strapi/strapi/admin';

import type { MediaFile } from '../components/OverrideInput';
import { PLUGIN_ID } from '../pluginId';
import type {
  AppLocale,
  ClassificationUsage,
  ConversionFilter,
  EntrySignal,
  EntrySummary,
  Experiment,
  ExperimentListItem,
  ExperimentResults,
  ImpactQuery,
  ImpactReport,
  Interest,
  JourneyStage,
  JsonLogicRule,
  ListResponse,
  Persona,
  PreviewLink,
  PreviewLinkRequest,
  PreviewRequest,
  PreviewResponse,
  ProfileLookup,
  Promotion,
  RuleCheck,
  SampleSize,
  Settings,
  SettingsBody,
  TargetSummary,
  Variant,
  VariantCounts,
  VariantDuplicateResponse,
  VariantListItem,
  VariantReach,
} from './types';

type Body = Record<string, unknown>;

/** A list's first page (the admin API's largest) and how many items there are in all. */
export interface ListPage<Item> {
  items: Item[];
  total: number;
}

/** The admin API's largest page: the lists show their first 100 items. */
const PAGE_SIZE = 100;

const path = (rest: string) => `/${PLUGIN_ID}${rest}`;

/** One locale version of a target entry (`documentId` null for a single type). */
interface EntryVersion {
  uid: string;
  documentId: string | null;
  locale: string;
}

/** The Content Manager's read of an entry's draft in one locale. */
const entryDraftRequest = ({ uid, documentId, locale }: EntryVersion) => ({
  url: documentId
    ? `/content-manager/collection-types/${uid}/${documentId}`
    : `/content-manager/single-types/${uid}`,
  config: { params: { locale } },
});

/** An entry, in all its locales (`targetDocumentId` null for a single type). */
export type EntryRef = {
  targetUid: string;
  targetDocumentId: string | null;
};

/** `GET /personalize/profiles/:visitorId`: a visitor, and optionally an entry to decide for. */
export interface VisitorLookupRequest {
  visitorId: string;
  target?: (EntryRef & { locale: string }) | null;
}

/** What erasing a visitor deleted. */
export interface Erasure {
  exposures: number;
  conversions: number;
  profiles: number;
}

const unwrap = <T>(response: { data: T }) => response.data;
const listPage = <Item>(response: ListResponse<Item>): ListPage<Item> => ({
  items: response.data,
  total: response.meta.pagination.total,
});

/**
 * Cache tags. Each item is tagged with its documentId and each list with `LIST`; names carry the
 * plugin's prefix because the admin API's tags are shared by every plugin.
 */
const TAGS = {
  persona: 'PersonalizePersona',
  stage: 'PersonalizeStage',
  variant: 'PersonalizeVariant',
  experiment: 'PersonalizeExperiment',
  settings: 'PersonalizeSettings',
  /** The impact report: the holdout's share (a setting) and every visitor's events. */
  impact: 'PersonalizeImpact',
  interest: 'PersonalizeInterest',
  /** An entry's signals, by `<uid>_<documentId>` (or the uid of a single type). */
  signals: 'PersonalizeSignals',
  /** A visitor's lookup, by visitor id. */
  visitor: 'PersonalizeVisitor',
  /** The Content Manager's tag for its documents: a promotion writes into the base entry. */
  document: 'Document',
} as const;

type Tag = (typeof TAGS)[keyof typeof TAGS];

const LIST = 'LIST';

/** Tags for a list: the list itself and each item in it. */
const listTags = <Type extends Tag>(
  type: Type,
  page: ListPage<{ documentId: string }> | undefined
) => [{ type, id: LIST }, ...(page?.items ?? []).map((item) => ({ type, id: item.documentId }))];

/**
 * The Content Manager's tag of a target entry (as its document queries provide it): saving the
 * entry there refreshes what depends on it here (the variants' drift, a preview).
 */
const entryTag = (params: Body | void) => {
  const uid = params?.targetUid;
  if (typeof uid !== 'string') return [];
  const documentId = params?.targetDocumentId;
  return [
    { type: TAGS.document, id: typeof documentId === 'string' ? `${uid}_${documentId}` : uid },
  ];
};

/** An entry as a cache id, as the Content Manager's tag names it. */
const entryKey = ({ targetUid, targetDocumentId }: EntryRef) =>
  targetDocumentId ? `${targetUid}_${targetDocumentId}` : targetUid;

/** A write to one item: that item and every list (its name, status or rank shows there). */
const itemWritten = <Type extends Tag>(type: Type, documentId: string) => [
  { type, id: documentId },
  { type, id: LIST },
];

/*
 * Endpoint names are shared with every other plugin's endpoints in the admin's API, and an
 * injected name that exists already keeps the other plugin's definition: review workflows has
 * `getStages` and `updateStage`, i18n `getSettings` and `getLocales`. Ours say whose they are
 * (test/unit/admin-endpoints.test.ts checks that none is taken).
 */
export const personalizeApi = adminApi
  .enhanceEndpoints({ addTagTypes: Object.values(TAGS) })
  .injectEndpoints({
    endpoints: (build) => ({
      // Personas and journey stages. Variants and experiments show their names, so a write to
      // one refreshes those lists too.
      getPersonas: build.query<ListPage<Persona>, void>({
        query: () => ({ url: path('/personas'), config: { params: { pageSize: PAGE_SIZE } } }),
        transformResponse: listPage<Persona>,
        providesTags: (page) => listTags(TAGS.persona, page),
      }),
      getPersona: build.query<Persona, string>({
        query: (documentId) => path(`/personas/${documentId}`),
        transformResponse: unwrap<Persona>,
        providesTags: (_result, _error, documentId) => [{ type: TAGS.persona, id: documentId }],
      }),
      createPersona: build.mutation<Persona, Body>({
        query: (data) => ({ url: path('/personas'), method: 'POST', data }),
        transformResponse: unwrap<Persona>,
        invalidatesTags: [{ type: TAGS.persona, id: LIST }],
      }),
      updatePersona: build.mutation<Persona, { documentId: string; data: Body }>({
        query: ({ documentId, data }) => ({
          url: path(`/personas/${documentId}`),
          method: 'PUT',
          data,
        }),
        transformResponse: unwrap<Persona>,
        invalidatesTags: (_result, _error, { documentId }) => [
          ...itemWritten(TAGS.persona, documentId),
          { type: TAGS.variant, id: LIST },
        ],
      }),
      deletePersona: build.mutation<Persona, string>({
        query: (documentId) => ({ url: path(`/personas/${documentId}`), method: 'DELETE' }),
        transformResponse: unwrap<Persona>,
        invalidatesTags: (_result, _error, documentId) => [
          ...itemWritten(TAGS.persona, documentId),
          { type: TAGS.variant, id: LIST },
        ],
      }),
      getJourneyStages: build.query<ListPage<JourneyStage>, void>({
        query: () => ({ url: path('/stages'), config: { params: { pageSize: PAGE_SIZE } } }),
        transformResponse: listPage<JourneyStage>,
        providesTags: (page) => listTags(TAGS.stage, page),
      }),
      getJourneyStage: build.query<JourneyStage, string>({
        query: (documentId) => path(`/stages/${documentId}`),
        transformResponse: unwrap<JourneyStage>,
        providesTags: (_result, _error, documentId) => [{ type: TAGS.stage, id: documentId }],
      }),
      createJourneyStage: build.mutation<JourneyStage, Body>({
        query: (data) => ({ url: path('/stages'), method: 'POST', data }),
        transformResponse: unwrap<JourneyStage>,
        invalidatesTags: [{ type: TAGS.stage, id: LIST }],
      }),
      updateJourneyStage: build.mutation<JourneyStage, { documentId: string; data: Body }>({
        query: ({ documentId, data }) => ({
          url: path(`/stages/${documentId}`),
          method: 'PUT',
          data,
        }),
        transformResponse: unwrap<JourneyStage>,
        invalidatesTags: (_result, _error, { documentId }) => [
          ...itemWritten(TAGS.stage, documentId),
          { type: TAGS.variant, id: LIST },
        ],
      }),
      deleteJourneyStage: build.mutation<JourneyStage, string>({
        query: (documentId) => ({ url: path(`/stages/${documentId}`), method: 'DELETE' }),
        transformResponse: unwrap<JourneyStage>,
        invalidatesTags: (_result, _error, documentId) => [
          ...itemWritten(TAGS.stage, documentId),
          { type: TAGS.variant, id: LIST },
        ],
      }),
      reorderJourneyStages: build.mutation<JourneyStage[], string[]>({
        query: (documentIds) => ({
          url: path('/stages/order'),
          method: 'PUT',
          data: { documentIds },
        }),
        transformResponse: unwrap<JourneyStage[]>,
        invalidatesTags: [TAGS.stage],
      }),
      // Where a persona or stage is used: its variants and their experiments, so that a write to
      // any variant or experiment refreshes it.
      getClassificationUsage: build.query<
        ClassificationUsage,
        { kind: 'personas' | 'stages'; documentId: string }
      >({
        query: ({ kind, documentId }) => path(`/${kind}/${documentId}/usage`),
        transformResponse: unwrap<ClassificationUsage>,
        providesTags: [
          { type: TAGS.variant, id: LIST },
          { type: TAGS.experiment, id: LIST },
        ],
      }),

      // Interests. An update can rename the slug, which entries' signals name; a deletion
      // deletes their signals. A visitor's scores are shown by interest name.
      getInterests: build.query<ListPage<Interest>, void>({
        query: () => ({ url: path('/interests'), config: { params: { pageSize: PAGE_SIZE } } }),
        transformResponse: listPage<Interest>,
        providesTags: (page) => listTags(TAGS.interest, page),
      }),
      getInterest: build.query<Interest, string>({
        query: (documentId) => path(`/interests/${documentId}`),
        transformResponse: unwrap<Interest>,
        providesTags: (_result, _error, documentId) => [{ type: TAGS.interest, id: documentId }],
      }),
      createInterest: build.mutation<Interest, Body>({
        query: (data) => ({ url: path('/interests'), method: 'POST', data }),
        transformResponse: unwrap<Interest>,
        invalidatesTags: [{ type: TAGS.interest, id: LIST }],
      }),
      updateInterest: build.mutation<Interest, { documentId: string; data: Body }>({
        query: ({ documentId, data }) => ({
          url: path(`/interests/${documentId}`),
          method: 'PUT',
          data,
        }),
        transformResponse: unwrap<Interest>,
        invalidatesTags: (_result, _error, { documentId }) => [
          ...itemWritten(TAGS.interest, documentId),
          TAGS.signals,
          TAGS.visitor,
        ],
      }),
      deleteInterest: build.mutation<Interest, string>({
        query: (documentId) => ({ url: path(`/interests/${documentId}`), method: 'DELETE' }),
        transformResponse: unwrap<Interest>,
        invalidatesTags: (_result, _error, documentId) => [
          ...itemWritten(TAGS.interest, documentId),
          TAGS.signals,
          TAGS.visitor,
        ],
      }),
      // An entry's signals: what reading it adds to a visitor's interest scores.
      getEntrySignals: build.query<EntrySignal[], EntryRef>({
        query: ({ targetUid, targetDocumentId }) => ({
          url: path('/signals'),
          config: { params: { targetUid, ...(targetDocumentId ? { targetDocumentId } : {}) } },
        }),
        transformResponse: (response: { data: { signals: EntrySignal[] } }) =>
          response.data.signals,
        providesTags: (_result, _error, entry) => [{ type: TAGS.signals, id: entryKey(entry) }],
      }),
      replaceEntrySignals: build.mutation<EntrySignal[], EntryRef & { signals: EntrySignal[] }>({
        query: (data) => ({ url: path('/signals'), method: 'PUT', data }),
        transformResponse: (response: { data: { signals: EntrySignal[] } }) =>
          response.data.signals,
        invalidatesTags: (_result, _error, entry) => [{ type: TAGS.signals, id: entryKey(entry) }],
      }),

      // A visitor: their profile and what they get now, and erasure (GDPR). A profile changes
      // with every event the visitor sends, so the page asks again each time it opens.
      getVisitorProfile: build.query<ProfileLookup['data'], VisitorLookupRequest>({
        query: ({ visitorId, target }) => ({
          url: path(`/profiles/${encodeURIComponent(visitorId)}`),
          config: {
            params: target
              ? {
                  targetUid: target.targetUid,
                  ...(target.targetDocumentId ? { targetDocumentId: target.targetDocumentId } : {}),
                  locale: target.locale,
                }
              : {},
          },
        }),
        transformResponse: unwrap<ProfileLookup['data']>,
        providesTags: (_result, _error, { visitorId, target }) => [
          { type: TAGS.visitor, id: visitorId },
          { type: TAGS.persona, id: LIST },
          { type: TAGS.stage, id: LIST },
          { type: TAGS.interest, id: LIST },
          ...(target ? [{ type: TAGS.variant, id: LIST }, ...entryTag(target)] : []),
        ],
      }),
      eraseVisitor: build.mutation<Erasure, string>({
        query: (visitorId) => ({
          url: path(`/visitors/${encodeURIComponent(visitorId)}`),
          method: 'DELETE',
        }),
        transformResponse: unwrap<Erasure>,
        // The visitor's exposures and conversions counted in experiments' results.
        invalidatesTags: (_result, _error, visitorId) => [
          { type: TAGS.visitor, id: visitorId },
          TAGS.experiment,
        ],
      }),

      // Variants. Experiments show their arms' names and statuses.
      getVariants: build.query<ListPage<VariantListItem>, Body | void>({
        query: (params) => ({
          url: path('/variants'),
          config: { params: { pageSize: PAGE_SIZE, ...params } },
        }),
        transformResponse: listPage<VariantListItem>,
        providesTags: (page, _error, params) => [
          ...listTags(TAGS.variant, page),
          ...entryTag(params),
        ],
      }),
      // Variants per entry of a Content Manager list page (its column), refreshed by any write.
      getVariantCounts: build.query<
        VariantCounts,
        { targetUid: string; locale: string | undefined; documentIds: string[] }
      >({
        query: (params) => ({ url: path('/variants/counts'), config: { params } }),
        transformResponse: unwrap<VariantCounts>,
        providesTags: [{ type: TAGS.variant, id: LIST }],
      }),
      getVariant: build.query<Variant, string>({
        query: (documentId) => path(`/variants/${documentId}`),
        transformResponse: unwrap<Variant>,
        providesTags: (_result, _error, documentId) => [{ type: TAGS.variant, id: documentId }],
      }),
      createVariant: build.mutation<Variant, Body>({
        query: (data) => ({ url: path('/variants'), method: 'POST', data }),
        transformResponse: unwrap<Variant>,
        invalidatesTags: [{ type: TAGS.variant, id: LIST }],
      }),
      updateVariant: build.mutation<Variant, { documentId: string; data: Body }>({
        query: ({ documentId, data }) => ({
          url: path(`/variants/${documentId}`),
          method: 'PUT',
          data,
        }),
        transformResponse: unwrap<Variant>,
        invalidatesTags: (_result, _error, { documentId }) => [
          ...itemWritten(TAGS.variant, documentId),
          { type: TAGS.experiment, id: LIST },
        ],
      }),
      deleteVariant: build.mutation<Variant, string>({
        query: (documentId) => ({ url: path(`/variants/${documentId}`), method: 'DELETE' }),
        transformResponse: unwrap<Variant>,
        invalidatesTags: (_result, _error, documentId) => [
          ...itemWritten(TAGS.variant, documentId),
          TAGS.experiment,
        ],
      }),
      duplicateVariant: build.mutation<
        VariantDuplicateResponse,
        { documentId: string; locale?: string; name?: string }
      >({
        query: ({ documentId, ...data }) => ({
          url: path(`/variants/${documentId}/duplicate`),
          method: 'POST',
          data,
        }),
        invalidatesTags: [{ type: TAGS.variant, id: LIST }],
      }),
      publishVariant: build.mutation<Variant, { documentId: string; publish: boolean }>({
        query: ({ documentId, publish }) => ({
          url: path(`/variants/${documentId}/${publish ? 'publish' : 'unpublish'}`),
          method: 'POST',
        }),
        transformResponse: unwrap<Variant>,
        invalidatesTags: (_result, _error, { documentId }) => [
          ...itemWritten(TAGS.variant, documentId),
          { type: TAGS.experiment, id: LIST },
        ],
      }),

      // Experiments. Their lifecycle changes their results (the sequential or fixed verdict).
      getExperiments: build.query<ListPage<ExperimentListItem>, Body | void>({
        query: (params) => ({
          url: path('/experiments'),
          config: { params: { pageSize: PAGE_SIZE, ...params } },
        }),
        transformResponse: listPage<ExperimentListItem>,
        providesTags: (page) => listTags(TAGS.experiment, page),
      }),
      getExperiment: build.query<Experiment, string>({
        query: (documentId) => path(`/experiments/${documentId}`),
        transformResponse: unwrap<Experiment>,
        providesTags: (_result, _error, documentId) => [{ type: TAGS.experiment, id: documentId }],
      }),
      getExperimentResults: build.query<
        ExperimentResults,
        { documentId: string; conversions: ConversionFilter }
      >({
        query: ({ documentId, conversions }) => ({
          url: path(`/experiments/${documentId}/results`),
          config: { params: { conversions } },
        }),
        transformResponse: unwrap<ExperimentResults>,
        providesTags: (_result, _error, { documentId }) => [
          { type: TAGS.experiment, id: documentId },
        ],
      }),
      getSampleSize: build.query<
        SampleSize,
        { baselineRate: number; minimumDetectableEffect: number }
      >({
        query: (params) => ({ url: path('/experiments/sample-size'), config: { params } }),
        transformResponse: unwrap<SampleSize>,
      }),
      createExperiment: build.mutation<Experiment, Body>({
        query: (data) => ({ url: path('/experiments'), method: 'POST', data }),
        transformResponse: unwrap<Experiment>,
        invalidatesTags: [{ type: TAGS.experiment, id: LIST }],
      }),
      updateExperiment: build.mutation<Experiment, { documentId: string; data: Body }>({
        query: ({ documentId, data }) => ({
          url: path(`/experiments/${documentId}`),
          method: 'PUT',
          data,
        }),
        transformResponse: unwrap<Experiment>,
        // The editor's form is reset to what was saved: the experiment it is drawn from must
        // say the same at once, not the previous version until the refetch arrives.
        async onQueryStarted({ documentId }, { dispatch, queryFulfilled }) {
          const saved = await queryFulfilled.catch(() => null);
          if (saved) {
            dispatch(personalizeApi.util.upsertQueryData('getExperiment', documentId, saved.data));
          }
        },
        invalidatesTags: (_result, _error, { documentId }) =>
          itemWritten(TAGS.experiment, documentId),
      }),
      deleteExperiment: build.mutation<Experiment, string>({
        query: (documentId) => ({ url: path(`/experiments/${documentId}`), method: 'DELETE' }),
        transformResponse: unwrap<Experiment>,
        invalidatesTags: (_result, _error, documentId) => itemWritten(TAGS.experiment, documentId),
      }),
      changeExperimentStatus: build.mutation<
        Experiment,
        | { documentId: string; action: 'start' | 'pause' }
        | { documentId: string; action: 'complete'; winner: string | null }
      >({
        query: (request) => ({
          url: path(`/experiments/${request.documentId}/${request.action}`),
          method: 'POST',
          data: request.action === 'complete' ? { winner: request.winner } : undefined,
        }),
        transformResponse: unwrap<Experiment>,
        invalidatesTags: (_result, _error, { documentId }) =>
          itemWritten(TAGS.experiment, documentId),
      }),
      promoteExperiment: build.mutation<Promotion, string>({
        query: (documentId) => ({
          url: path(`/experiments/${documentId}/promote`),
          method: 'POST',
        }),
        transformResponse: unwrap<Promotion>,
        invalidatesTags: (_result, _error, documentId) => [
          ...itemWritten(TAGS.experiment, documentId),
          TAGS.variant,
          TAGS.document,
        ],
      }),

      // An entry named as the lists name theirs (type and title), for a page about one entry.
      getTargetSummary: build.query<
        TargetSummary,
        { targetUid: string; targetDocumentId: string | null; locale: string | null }
      >({
        query: ({ targetUid, targetDocumentId, locale }) => ({
          url: path('/target-summary'),
          config: {
            params: {
              targetUid,
              ...(targetDocumentId ? { targetDocumentId } : {}),
              ...(locale ? { locale } : {}),
            },
          },
        }),
        transformResponse: unwrap<TargetSummary>,
        providesTags: (_result, _error, target) => entryTag(target),
      }),

      // Settings: which content types have variants, which of their fields a variant may set,
      // and the holdout (the impact report compares against it).
      getPersonalizeSettings: build.query<Settings, void>({
        query: () => path('/settings'),
        transformResponse: unwrap<Settings>,
        providesTags: [TAGS.settings],
      }),
      updatePersonalizeSettings: build.mutation<Settings, SettingsBody>({
        query: (data) => ({ url: path('/settings'), method: 'PUT', data }),
        transformResponse: unwrap<Settings>,
        invalidatesTags: [TAGS.settings, TAGS.impact],
      }),

      // The personalization impact report: personalized visitors against the holdout. Events
      // keep arriving, so the page asks again each time it opens (refetchOnMountOrArgChange).
      getPersonalizeImpact: build.query<ImpactReport, ImpactQuery>({
        query: (params) => ({ url: path('/impact'), config: { params } }),
        transformResponse: unwrap<ImpactReport>,
        providesTags: [
          TAGS.impact,
          { type: TAGS.persona, id: LIST },
          { type: TAGS.stage, id: LIST },
        ],
      }),
      // Visitors each variant reached in the last 30 days (the grid, the side panel).
      getVariantReach: build.query<VariantReach, { targetUid: string; documentIds: string[] }>({
        query: (params) => ({ url: path('/variants/reach'), config: { params } }),
        transformResponse: unwrap<VariantReach>,
        providesTags: [{ type: TAGS.variant, id: LIST }],
      }),
      // A signed, expiring link forcing a persona, a stage or an experiment's arm: nothing is
      // stored, so nothing is invalidated.
      createPersonalizePreviewLink: build.mutation<PreviewLink, PreviewLinkRequest>({
        query: (data) => ({ url: path('/preview-links'), method: 'POST', data }),
        transformResponse: unwrap<PreviewLink>,
      }),

      // Answers computed for a request, never cached: a rule's check and a visitor's preview.
      checkRule: build.mutation<RuleCheck, { rule: JsonLogicRule; context?: unknown }>({
        query: (data) => ({ url: path('/rules/validate'), method: 'POST', data }),
        transformResponse: unwrap<RuleCheck>,
      }),
      preview: build.mutation<PreviewResponse, PreviewRequest>({
        query: (data) => ({ url: path('/preview'), method: 'POST', data }),
      }),
      // The grid: one preview per sample visitor, kept until a variant, persona, stage or the
      // entry changes.
      getPreviews: build.query<PreviewResponse[], PreviewRequest[]>({
        queryFn: async (requests, _api, _extra, baseQuery) => {
          const results = await Promise.all(
            requests.map((data) => baseQuery({ url: path('/preview'), method: 'POST', data }))
          );
          const failed = results.find((result) => result.error);
          if (failed?.error) return { error: failed.error };
          return { data: results.map((result) => result.data as PreviewResponse) };
        },
        providesTags: (_result, _error, requests) => [
          { type: TAGS.variant, id: LIST },
          { type: TAGS.persona, id: LIST },
          { type: TAGS.stage, id: LIST },
          ...(requests[0] ? entryTag(requests[0]) : []),
        ],
      }),

      // What other parts of the admin own: upload files, Content Manager entries, i18n locales.
      getUploadFile: build.query<MediaFile | null, number>({
        // A file that is gone or not readable is shown as missing, not as a failed page.
        queryFn: async (id, _api, _extra, baseQuery) => {
          const result = await baseQuery(`/upload/files/${id}`);
          return { data: result.error ? null : (result.data as MediaFile) };
        },
      }),
      getEntryDraft: build.query<Record<string, unknown>, EntryVersion>({
        query: entryDraftRequest,
        transformResponse: unwrap<Record<string, unknown>>,
        providesTags: [TAGS.document],
      }),
      getEntryLocales: build.query<string[], EntryVersion>({
        // The locales the entry exists in, as the Content Manager's locale picker lists them.
        query: entryDraftRequest,
        transformResponse: (response: {
          data: { locale?: string | null };
          meta?: { availableLocales?: { locale: string }[] };
        }) => [
          ...(response.data.locale ? [response.data.locale] : []),
          ...(response.meta?.availableLocales ?? []).map((version) => version.locale),
        ],
        providesTags: [TAGS.document],
      }),
      getEntrySummaries: build.query<EntrySummary[], { uid: string; locale: string | null }>({
        // The latest entries, titled by the field the Content Manager shows as their title.
        queryFn: async ({ uid, locale }, _api, _extra, baseQuery) => {
          const [list, configuration] = await Promise.all([
            baseQuery({
              url: `/content-manager/collection-types/${uid}`,
              config: {
                params: {
                  page: 1,
                  pageSize: PAGE_SIZE,
                  sort: 'updatedAt:DESC',
                  ...(locale ? { locale } : {}),
                },
              },
            }),
            baseQuery(`/content-manager/content-types/${uid}/configuration`),
          ]);
          if (list.error) return { error: list.error };
          if (configuration.error) return { error: configuration.error };
          const rows = (list.data as { results: Record<string, unknown>[] }).results;
          const mainField =
            (configuration.data as { data: { contentType: { settings: { mainField?: string } } } })
              .data.contentType.settings.mainField ?? 'documentId';
          return {
            data: rows.map((row) => ({
              documentId: String(row.documentId),
              title: row[mainField] == null ? String(row.documentId) : String(row[mainField]),
            })),
          };
        },
        providesTags: [TAGS.document],
      }),
      getAppLocales: build.query<AppLocale[], void>({
        query: () => '/i18n/locales',
      }),
    }),
  });

export const {
  useGetPersonasQuery,
  useGetPersonaQuery,
  useCreatePersonaMutation,
  useUpdatePersonaMutation,
  useDeletePersonaMutation,
  useGetJourneyStagesQuery,
  useGetJourneyStageQuery,
  useCreateJourneyStageMutation,
  useUpdateJourneyStageMutation,
  useDeleteJourneyStageMutation,
  useReorderJourneyStagesMutation,
  useGetClassificationUsageQuery,
  useGetInterestsQuery,
  useGetInterestQuery,
  useCreateInterestMutation,
  useUpdateInterestMutation,
  useDeleteInterestMutation,
  useGetEntrySignalsQuery,
  useReplaceEntrySignalsMutation,
  useGetVisitorProfileQuery,
  useEraseVisitorMutation,
  useGetVariantsQuery,
  useGetVariantCountsQuery,
  useGetVariantQuery,
  useCreateVariantMutation,
  useUpdateVariantMutation,
  useDeleteVariantMutation,
  useDuplicateVariantMutation,
  usePublishVariantMutation,
  useGetExperimentsQuery,
  useGetExperimentQuery,
  useGetExperimentResultsQuery,
  useGetSampleSizeQuery,
  useLazyGetSampleSizeQuery,
  useCreateExperimentMutation,
  useUpdateExperimentMutation,
  useDeleteExperimentMutation,
  useChangeExperimentStatusMutation,
  usePromoteExperimentMutation,
  useGetTargetSummaryQuery,
  useGetPersonalizeSettingsQuery,
  useUpdatePersonalizeSettingsMutation,
  useGetPersonalizeImpactQuery,
  useGetVariantReachQuery,
  useCreatePersonalizePreviewLinkMutation,
  useCheckRuleMutation,
  usePreviewMutation,
  useGetPreviewsQuery,
  useGetUploadFileQuery,
  useLazyGetUploadFileQuery,
  useGetEntryDraftQuery,
  useGetEntryLocalesQuery,
  useGetEntrySummariesQuery,
  useGetAppLocalesQuery,
} = personalizeApi;
