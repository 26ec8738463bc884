import { useCallback } from 'react';

import type { SerializedError } from '@reduxjs/toolkit';
import { useAPIErrorHandler, useNotification, type BaseQueryError } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { MessageValues } from '../../../server/src/engine/messages';
import { getTranslation } from '../utils/getTranslation';

/** What a failed call of the data layer (./personalizeApi.ts) reports. */
export type RequestError = BaseQueryError | SerializedError;

/**
 * What the server says to an editor: its English text and, for one of its messages
 * (server/src/engine/messages.ts), the id and values to say it in the editor's language.
 */
export interface ServerMessage {
  message: string;
  messageId?: string;
  values?: MessageValues;
}

/**
 * Validation messages nested as the form's values are (`{ arms: { 1: { variant: "…" } } }`), as
 * Strapi's `Form` keeps errors, so that each field finds its own by path.
 */
export interface FieldErrors {
  [key: string]: string | FieldErrors;
}

interface Issue extends ServerMessage {
  path: unknown[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The message in `said` (an issue, or an error's `details`), when it has one. */
const serverMessage = (said: Record<string, unknown>, message = said.message) =>
  typeof message === 'string'
    ? {
        message,
        ...(typeof said.messageId === 'string' ? { messageId: said.messageId } : {}),
        ...(isRecord(said.values) ? { values: said.values as MessageValues } : {}),
      }
    : undefined;

const detailsOf = (error: RequestError) =>
  'details' in error && isRecord(error.details) ? error.details : {};

const issuesOf = (error: RequestError): Issue[] => {
  const { errors } = detailsOf(error);
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((issue: unknown) => {
    const said = isRecord(issue) ? serverMessage(issue) : undefined;
    return said && isRecord(issue) && Array.isArray(issue.path)
      ? [{ ...said, path: issue.path }]
      : [];
  });
};

/**
 * A refusal's validation issues (Strapi's `error.details.errors[]`), nested by path
 * (`arms.1.variant`), each message through `translate`; a field's first issue is the one to fix
 * first, so it is the one kept.
 */
export const fieldErrors = (
  error: RequestError,
  translate: (said: ServerMessage) => string = (said) => said.message
): FieldErrors => {
  const nested: FieldErrors = {};
  for (const issue of issuesOf(error)) {
    const path = issue.path.map(String);
    if (path.length === 0) continue;
    let node = nested;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next === 'string') break;
      node = next ?? (node[key] = {});
    }
    node[path[path.length - 1]] ??= translate(issue);
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
 * A server message in the editor's language: the plugin's translation `apiError.<messageId>`
 * with its values, or, for a message without an id (Strapi's own, such as "Policy Failed"),
 * `apiError.<message>` as Strapi's `useAPIErrorHandler` looks it up; the English text when there
 * is none.
 */
export const useServerMessage = () => {
  const { formatMessage } = useIntl();
  return useCallback(
    ({ message, messageId, values }: ServerMessage) =>
      formatMessage(
        { id: getTranslation(`apiError.${messageId ?? message}`), defaultMessage: message },
        values
      ),
    [formatMessage]
  );
};

/**
 * How the admin reports a refused request, in the editor's language (`useServerMessage`), with
 * Strapi's `useAPIErrorHandler` for what did not come from the server (a network error).
 */
export const useRequestErrors = () => {
  // Strapi passes `apiError.<message>`, so the plugin's key is `personalize.apiError.<message>`.
  const { _unstableFormatAPIError: formatAPIError } = useAPIErrorHandler(getTranslation);
  const { toggleNotification } = useNotification();
  const say = useServerMessage();

  /**
   * A refusal as one sentence, for a notification or an inline alert: its issues' messages, or
   * its own (a 403, a 404).
   */
  const describe = useCallback(
    (error: RequestError) => {
      const issues = issuesOf(error);
      if (issues.length > 0) return [...new Set(issues.map(say))].join('; ');
      const said = serverMessage(detailsOf(error), error.message);
      return said ? say(said) : formatAPIError({ ...error, message: '' });
    },
    [formatAPIError, say]
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
      const errors = fieldErrors(error, say);
      setErrors(errors);
      if (Object.keys(errors).length === 0) notify(error);
    },
    [notify, say]
  );

  return { describe, notify, reportSaveError };
};
