import { PREVIEW_URL_CONTEXT } from '../config';

interface PreviewedVisitor {
  /** The visitor context as the preview received it. */
  context: unknown;
  locale: string;
  documentId: string | null;
}

/**
 * The app's frontend page as a previewed visitor: the `previewUrl` template with its
 * placeholders filled, the context as base64url JSON (what the client's `previewContext()`
 * decodes); null when the app configures none.
 */
export const previewUrlFor = (
  template: string | null,
  { context, locale, documentId }: PreviewedVisitor
): string | null => {
  if (template === null) return null;
  const values: Record<string, string> = {
    [PREVIEW_URL_CONTEXT]: Buffer.from(JSON.stringify(context ?? {})).toString('base64url'),
    '{locale}': encodeURIComponent(locale),
    '{documentId}': encodeURIComponent(documentId ?? ''),
  };
  return template.replace(
    /\{(?:context|locale|documentId)\}/g,
    (placeholder) => values[placeholder]
  );
};
