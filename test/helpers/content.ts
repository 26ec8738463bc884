import type { UID } from '@strapi/strapi';

import type { Playground } from './playground';

interface EntryOptions {
  data: Record<string, unknown>;
  /** Locale of a localized type; the default locale when omitted. */
  locale?: string;
  /** Publish after creating (for types with draft & publish). Default true. */
  publish?: boolean;
}

/** Creates an entry through Strapi's document service and publishes it unless told not to. */
export const createEntry = async (
  app: Playground,
  uid: UID.ContentType,
  { data, locale, publish = true }: EntryOptions
) => {
  const documents = app.strapi.documents(uid);
  const created = await documents.create({ data, locale } as Parameters<
    typeof documents.create
  >[0]);
  if (publish) {
    await documents.publish({ documentId: created.documentId, locale } as Parameters<
      typeof documents.publish
    >[0]);
  }
  return created;
};

/**
 * Writes the `locale` version of an entry through Strapi's document service (a new locale of a
 * localized entry is made as the Content Manager's locale switch makes it), as a draft.
 */
export const updateEntry = async (
  app: Playground,
  uid: UID.ContentType,
  documentId: string,
  { data, locale }: Omit<EntryOptions, 'publish'>
) => {
  const documents = app.strapi.documents(uid);
  return documents.update({ documentId, data, locale } as Parameters<typeof documents.update>[0]);
};
