import { useCallback, useEffect, useMemo, useState } from 'react';

import { useFetchClient } from '@strapi/strapi/admin';

import type { MediaFile } from '../components/OverrideInput';
import { PLUGIN_ID } from '../pluginId';
import type {
  AppLocale,
  ConversionFilter,
  ContentTypeSettings,
  EntrySummary,
  Experiment,
  ExperimentListItem,
  ExperimentResults,
  JourneyStage,
  JsonLogicRule,
  Persona,
  PreviewResponse,
  Promotion,
  RuleCheck,
  SampleSize,
  Variant,
} from './types';

type Body = Record<string, unknown>;

/** The message of a failed admin API call: Strapi's error message when there is one. */
export const errorMessage = (error: unknown): string => {
  const response = (error as { response?: { data?: { error?: { message?: string } } } })?.response;
  return response?.data?.error?.message ?? (error instanceof Error ? error.message : String(error));
};

/**
 * Validation messages nested as the form's values are (`{ arms: { 1: { variant: "…" } } }`), as
 * Strapi's `Form` keeps errors, so that each field finds its own by path.
 */
export interface FieldErrors {
  [key: string]: string | FieldErrors;
}

/**
 * A failed call's validation issues, from Strapi's `error.details.errors[]`, nested by path
 * (`arms.1.variant`); the first issue of a field is the one to fix first.
 */
export const fieldErrors = (error: unknown): FieldErrors => {
  const details = (
    error as {
      response?: {
        data?: { error?: { details?: { errors?: { path?: unknown; message?: unknown }[] } } };
      };
    }
  )?.response?.data?.error?.details;
  const issues = Array.isArray(details?.errors) ? details.errors : [];
  const nested: FieldErrors = {};
  for (const issue of issues) {
    if (!Array.isArray(issue.path) || typeof issue.message !== 'string') continue;
    const path = issue.path.map(String);
    if (path.length === 0) continue;
    let node = nested;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next === 'string') break;
      node = next ?? (node[key] = {});
    }
    node[path[path.length - 1]] ??= issue.message;
  }
  return nested;
};

const firstMessage = (errors: unknown): string | undefined =>
  typeof errors === 'object' && errors !== null
    ? firstMessage(Object.values(errors)[0])
    : typeof errors === 'string'
      ? errors
      : undefined;

/**
 * The first message at `path` or under it (`rule` for `rule.and.0`), in errors nested as a
 * `Form` keeps them, for a field that shows one.
 */
export const errorUnder = (errors: object, path: string): string | undefined => {
  let node: unknown = errors;
  for (const key of path.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as FieldErrors)[key] : undefined;
  }
  return firstMessage(node);
};

/**
 * After a refused save: each issue at its field; a refusal that names no field (a permission,
 * a conflict) as a notification, so that nothing fails silently.
 */
export const reportSaveError = (
  error: unknown,
  setErrors: (errors: FieldErrors) => void,
  notify: (notification: { type: 'danger'; message: string }) => void
) => {
  const errors = fieldErrors(error);
  setErrors(errors);
  if (Object.keys(errors).length === 0) notify({ type: 'danger', message: errorMessage(error) });
};

/** The plugin's admin API (`/personalize/...`), typed. */
export const usePersonalizeApi = () => {
  const { get, post, put, del } = useFetchClient();
  return useMemo(() => {
    const path = (rest: string) => `/${PLUGIN_ID}${rest}`;
    const data = async <T>(request: Promise<{ data: { data: T } }>) => (await request).data.data;
    const crud = <Item>(name: string) => ({
      list: (params: Body = {}) =>
        data<Item[]>(get(path(`/${name}`), { params: { pageSize: 100, ...params } })),
      get: (documentId: string) => data<Item>(get(path(`/${name}/${documentId}`))),
      create: (body: Body) => data<Item>(post(path(`/${name}`), body)),
      update: (documentId: string, body: Body) =>
        data<Item>(put(path(`/${name}/${documentId}`), body)),
      remove: (documentId: string) => data<Item>(del(path(`/${name}/${documentId}`))),
    });
    return {
      personas: crud<Persona>('personas'),
      stages: {
        ...crud<JourneyStage>('stages'),
        reorder: (documentIds: string[]) =>
          data<JourneyStage[]>(put(path('/stages/order'), { documentIds })),
      },
      variants: {
        ...crud<Variant>('variants'),
        publish: (documentId: string) =>
          data<Variant>(post(path(`/variants/${documentId}/publish`))),
        unpublish: (documentId: string) =>
          data<Variant>(post(path(`/variants/${documentId}/unpublish`))),
      },
      experiments: {
        ...crud<Experiment>('experiments'),
        list: (params: Body = {}) =>
          data<ExperimentListItem[]>(
            get(path('/experiments'), { params: { pageSize: 100, ...params } })
          ),
        start: (documentId: string) =>
          data<Experiment>(post(path(`/experiments/${documentId}/start`))),
        pause: (documentId: string) =>
          data<Experiment>(post(path(`/experiments/${documentId}/pause`))),
        complete: (documentId: string, winner: string | null) =>
          data<Experiment>(post(path(`/experiments/${documentId}/complete`), { winner })),
        promote: (documentId: string) =>
          data<Promotion>(post(path(`/experiments/${documentId}/promote`))),
        results: (documentId: string, conversions: ConversionFilter = 'all') =>
          data<ExperimentResults>(
            get(path(`/experiments/${documentId}/results`), { params: { conversions } })
          ),
        sampleSize: (baselineRate: number, minimumDetectableEffect: number) =>
          data<SampleSize>(
            get(path('/experiments/sample-size'), {
              params: { baselineRate, minimumDetectableEffect },
            })
          ),
      },
      settings: {
        get: () => data<{ contentTypes: ContentTypeSettings[] }>(get(path('/settings'))),
        update: (enabledContentTypes: string[]) =>
          data<{ contentTypes: ContentTypeSettings[] }>(
            put(path('/settings'), { enabledContentTypes })
          ),
      },
      checkRule: (rule: JsonLogicRule, context?: unknown) =>
        data<RuleCheck>(
          post(path('/rules/validate'), context === undefined ? { rule } : { rule, context })
        ),
      preview: async (body: Body) =>
        (await post<PreviewResponse>(path('/preview'), body)).data as PreviewResponse,
      /** An upload file by id (null when it is gone or not readable). */
      file: async (id: number) => {
        try {
          return (await get<MediaFile>(`/upload/files/${id}`)).data;
        } catch {
          return null;
        }
      },
      /** A base entry's draft as the Content Manager reads it. */
      entry: async (uid: string, documentId: string | null, locale: string) => {
        const url = documentId
          ? `/content-manager/collection-types/${uid}/${documentId}`
          : `/content-manager/single-types/${uid}`;
        const response = await get<{ data: Record<string, unknown> }>(url, { params: { locale } });
        return response.data.data;
      },
      /** The latest entries of a collection type in one locale, as the Content Manager lists them. */
      entries: async (uid: string, locale: string | null): Promise<EntrySummary[]> => {
        const [list, configuration] = await Promise.all([
          get<{ results: Record<string, unknown>[] }>(`/content-manager/collection-types/${uid}`, {
            params: {
              page: 1,
              pageSize: 100,
              sort: 'updatedAt:DESC',
              ...(locale ? { locale } : {}),
            },
          }),
          get<{ data: { contentType: { settings: { mainField?: string } } } }>(
            `/content-manager/content-types/${uid}/configuration`
          ),
        ]);
        // The field the Content Manager shows as the entry's title.
        const mainField = configuration.data.data.contentType.settings.mainField ?? 'documentId';
        return list.data.results.map((row) => ({
          documentId: String(row.documentId),
          title: row[mainField] == null ? String(row.documentId) : String(row[mainField]),
        }));
      },
      /** The app's locales (i18n plugin). */
      locales: async () => (await get<AppLocale[]>('/i18n/locales')).data,
    };
  }, [get, post, put, del]);
};

export type PersonalizeApi = ReturnType<typeof usePersonalizeApi>;

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'success'; data: T };

/** Runs `load` on mount and whenever `reload()` is called or `key` changes. */
export const useLoad = <T>(load: () => Promise<T>, key: string) => {
  // Each result remembers its key, so a new key never shows the previous key's data.
  const [state, setState] = useState<{ key: string; loaded: Loaded<T> }>({
    key,
    loaded: { status: 'loading' },
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load()
      .then((data) => current && setState({ key, loaded: { status: 'success', data } }))
      .catch(
        (error) =>
          current && setState({ key, loaded: { status: 'error', message: errorMessage(error) } })
      );
    return () => {
      current = false;
    };
    // `load` is a new function on every render; `key` and `round` say when to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  const loaded: Loaded<T> = state.key === key ? state.loaded : { status: 'loading' };
  return [loaded, reload] as const;
};
