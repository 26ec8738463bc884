import type { Core, Struct, UID } from '@strapi/strapi';

import { messageOf } from '../engine/messages';
import { throwValidation } from './validation';

/**
 * Content types that can have variants: the app's own (`api::`) types. The settings switch some
 * off (services/settings.ts).
 */
export const targetContentTypes = (strapi: Core.Strapi): Struct.ContentTypeSchema[] =>
  Object.values(strapi.contentTypes).filter((contentType) => contentType.uid.startsWith('api::'));

/**
 * The app's (`api::`) content type `uid`, or undefined. A direct lookup: `strapi.contentTypes`
 * builds a new object on every access, too slow for every delivery request.
 */
export const targetContentType = (
  strapi: Core.Strapi,
  uid: string
): Struct.ContentTypeSchema | undefined =>
  uid.startsWith('api::') ? strapi.contentType(uid as UID.ContentType) : undefined;

/**
 * The app's content type that `name` stands for in the delivery API: its UID, or the name its
 * routes use (a collection type's plural name, a single type's singular name).
 */
export const deliveredContentType = (
  strapi: Core.Strapi,
  name: string
): Struct.ContentTypeSchema | undefined =>
  targetContentType(strapi, name) ?? routeNames(strapi).get(name);

/** Route name → content type, made once per app: content types change only with a restart. */
const routeNamesByApp = new WeakMap<Core.Strapi, Map<string, Struct.ContentTypeSchema>>();
const routeNames = (strapi: Core.Strapi) => {
  let names = routeNamesByApp.get(strapi);
  if (!names) {
    names = new Map(
      targetContentTypes(strapi).map((contentType) => [
        contentType.kind === 'singleType'
          ? contentType.info.singularName
          : contentType.info.pluralName,
        contentType,
      ])
    );
    routeNamesByApp.set(strapi, names);
  }
  return names;
};

/** The core REST permission that reading one entry of this type requires. */
export const readActionOf = (contentType: Struct.ContentTypeSchema) =>
  `${contentType.uid}.${contentType.kind === 'singleType' ? 'find' : 'findOne'}`;

/** Whether a content type is localized with i18n (its entries exist per locale). */
export const isLocalized = (strapi: Core.Strapi, uid: string) =>
  (
    strapi.getModel(uid as UID.ContentType)?.pluginOptions as
      | { i18n?: { localized?: boolean } }
      | undefined
  )?.i18n?.localized === true;

/** The content type a request body's `targetUid` names; 400 at that field when it is not one. */
export function requireTargetContentType(
  strapi: Core.Strapi,
  targetUid: string,
  lookup: typeof targetContentType = targetContentType
): Struct.ContentTypeSchema {
  const contentType = lookup(strapi, targetUid);
  if (!contentType) {
    throwValidation(`Unknown target content type "${targetUid}"`, [
      { path: ['targetUid'], ...messageOf('target.unknownType') },
    ]);
  }
  return contentType;
}

/** The entry's documentId: null for a single type, required (400) for a collection type. */
export function requireTargetDocumentId(
  contentType: Struct.ContentTypeSchema,
  targetDocumentId: string | null | undefined
): string | null {
  if (contentType.kind === 'singleType') return null;
  if (!targetDocumentId) {
    throwValidation(`targetDocumentId is required for the collection type ${contentType.uid}`, [
      { path: ['targetDocumentId'], ...messageOf('target.documentIdRequired') },
    ]);
  }
  return targetDocumentId;
}
