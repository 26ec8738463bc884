import type { Core, UID } from '@strapi/strapi';
import { z } from 'zod';

import { variantQueryFields } from '../contracts';
import { isPlainObject } from '../engine/objects';
import { parseOrThrow, throwValidation } from './validation';

/** Where a `filters` tree is not what core REST can query (it answers 500 to these), or null. */
const malformedFilter = (filters: unknown, path: string[]): string[] | null => {
  if (!isPlainObject(filters)) return path;
  for (const [key, value] of Object.entries(filters)) {
    const here = [...path, key];
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) return here;
      for (const [index, item] of value.entries()) {
        const found = malformedFilter(item, [...here, String(index)]);
        if (found) return found;
      }
    } else if (key === '$not' || isPlainObject(value)) {
      const found = malformedFilter(value, here);
      if (found) return found;
    }
  }
  return null;
};

/**
 * Refuses with a 400 what the delivery does not serve (`status` other than `published`) and the
 * query parameters core REST answers with a 500 instead of a 400: a `locale` that is not one
 * string, `fields` that are not attributes of the type (`fields=__proto__` reaches the SQL),
 * `filters` whose `$and` / `$or` / `$not` hold no conditions.
 */
export const assertDeliverableQuery = (
  strapi: Core.Strapi,
  uid: UID.ContentType,
  query: unknown
) => {
  const { status, locale, fields, filters } = query as Record<string, unknown>;
  if (status !== undefined && status !== 'published') {
    throwValidation('Invalid status: the personalized delivery serves published content only', [
      { path: ['status'], message: 'must be "published" or omitted' },
    ]);
  }
  if (locale !== undefined && typeof locale !== 'string') {
    throwValidation('Invalid locale: expected one locale code, e.g. "en"', [
      { path: ['locale'], message: 'expected one locale code' },
    ]);
  }
  if (fields !== undefined) {
    const { attributes } = strapi.getModel(uid);
    const names = (Array.isArray(fields) ? fields : [fields]).flatMap((field) =>
      typeof field === 'string' ? field.split(',') : [field]
    );
    const unknown = names.find(
      (name) =>
        typeof name !== 'string' ||
        !(name === 'id' || name === 'documentId' || Object.hasOwn(attributes, name.trim()))
    );
    if (unknown !== undefined) {
      throwValidation(`Invalid fields: "${String(unknown)}" is not an attribute of ${uid}`, [
        { path: ['fields'], message: 'expected attribute names of the type' },
      ]);
    }
  }
  if (filters !== undefined) {
    const path = malformedFilter(filters, ['filters']);
    if (path) {
      throwValidation(`Invalid filters at ${path.join('.')}: expected conditions`, [
        { path, message: 'expected an object of conditions' },
      ]);
    }
  }
};

/** Variant documentIds a read names, by entry documentId (null: the one entry read). */
export type RequestedVariants = ReadonlyMap<string | null, string>;

const variantQuerySchema = z.object(variantQueryFields);

/**
 * The published variants a read names instead of a visitor: `variant=<documentId>` for one entry
 * or a single type, `variants=<entryDocumentId>:<variantDocumentId>,…` for a list (each entry
 * once); null when it names none. A malformed or misplaced one is a 400.
 */
export const requestedVariants = (query: unknown, list: boolean): RequestedVariants | null => {
  const { variant, variants } = parseOrThrow(variantQuerySchema, query, 'query');
  const [misplaced, instead] = list
    ? ['variant', 'variants=<entryDocumentId>:<variantDocumentId>,…']
    : ['variants', 'variant=<variantDocumentId>'];
  if ((list ? variant : variants) !== undefined) {
    throwValidation(`Invalid ${misplaced}: this read names its variant(s) with ${instead}`, [
      { path: [misplaced], message: `use ${instead}` },
    ]);
  }
  if (!list) return variant === undefined ? null : new Map([[null, variant]]);
  if (variants === undefined) return null;
  const pairs = new Map<string, string>();
  for (const pair of variants.split(',')) {
    const [entry, named] = pair.split(':');
    if (pairs.has(entry)) {
      throwValidation(`Invalid variants: entry "${entry}" is named twice`, [
        { path: ['variants'], message: 'name each entry once' },
      ]);
    }
    pairs.set(entry, named);
  }
  return pairs;
};
