import { useCallback } from 'react';

import type { SerializedError } from '@reduxjs/toolkit';
import { useAPIErrorHandler, useNotification, type BaseQueryError } from '@strapi/strapi/admin';

import { getTranslation } from '../utils/getTranslation';

/** What a failed call of the data layer (./personalizeApi.ts) reports. */
export type RequestError = BaseQueryError | SerializedError;

/**
 * Validation messages nested as the form's values are (`{ arms: { 1: { variant: "…" } } }`), as
 * Strapi's `Form` keeps errors, so that each field finds its own by path.
 */
export interface FieldErrors {
  [key: string]: string | FieldErrors;
}

interface Issue {
  path: unknown;
  message: unknown;
}

const issuesOf = (error: RequestError): Issue[] => {
  const details = 'details' in error ? error.details : undefined;
  const errors =
    typeof details === 'object' && details !== null && 'errors' in details
      ? details.errors
      : undefined;
  return Array.isArray(errors) ? errors : [];
};

/**
 * A refusal's validation issues (Strapi's `error.details.errors[]`), nested by path
 * (`arms.1.variant`), each message through `translate`; a field's first issue is the one to fix
 * first, so it is the one kept.
 */
export const fieldErrors = (
  error: RequestError,
  translate: (message: string) => string = (message) => message
): FieldErrors => {
  const nested: FieldErrors = {};
  for (const issue of issuesOf(error)) {
    if (!Array.isArray(issue.path) || typeof issue.message !== 'string') continue;
    const path = issue.path.map(String);
    if (path.length === 0) continue;
    let node = nested;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next === 'string') break;
      node = next ?? (node[key] = {});
    }
    node[path[path.length - 1]] ??= translate(issue.message);
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
 * How the admin reports a refused request, with Strapi's `useAPIErrorHandler`: the server's
 * messages are looked up in the plugin's translations (`personalize.apiError.<message>`) and
 * shown as they are when there is none.
 */
export const useRequestErrors = () => {
  // Strapi passes `apiError.<message>`, so the plugin's key is `personalize.apiError.<message>`.
  const { _unstableFormatAPIError: formatAPIError } = useAPIErrorHandler(getTranslation);
  const { toggleNotification } = useNotification();

  /** A refusal as one sentence, for a notification or an inline alert. */
  const describe = useCallback(
    (error: RequestError) => formatAPIError({ ...error, message: error.message ?? '' }),
    [formatAPIError]
  );

  const notify = useCallback(
    (error: RequestError) => toggleNotification({ type: 'danger', message: describe(error) }),
    [describe, toggleNotification]
  );

  /**
   * After a refused save: each issue at its field; a refusal that names no field (a permission,
   * a conflict) as a notification, so that nothing fails silently.
   */
  const reportSaveError = useCallback(
    (error: RequestError, setErrors: (errors: FieldErrors) => void) => {
      const errors = fieldErrors(error, (message) =>
        describe({ name: 'ValidationError', message })
      );
      setErrors(errors);
      if (Object.keys(errors).length === 0) notify(error);
    },
    [describe, notify]
  );

  return { describe, notify, reportSaveError };
};
