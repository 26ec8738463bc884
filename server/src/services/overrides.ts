import type { Core, Schema, UID } from '@strapi/strapi';
import { z } from 'zod';

import { messageOf, type Message } from '../engine/messages';
import { issuesOf, summarize, throwValidation, type ValidationIssue } from '../utils/validation';

type Attributes = Schema.Attributes;
type Attribute = Schema.Attribute.AnyAttribute;

const FILE_UID = 'plugin::upload.file';

/** Attributes every entry has and no variant may change. */
const SYSTEM_ATTRIBUTES = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
  'localizations',
]);

/** Kinds a variant may override (docs/architecture.md §5, step 7). */
const OVERRIDABLE_TYPES = new Set([
  'string',
  'text',
  'richtext',
  'blocks',
  'enumeration',
  'email',
  'boolean',
  'integer',
  'biginteger',
  'float',
  'decimal',
  'json',
  'media',
  'component',
  'dynamiczone',
]);

/** Why an attribute cannot be overridden, or null when it can. */
export const notOverridable = (name: string, attribute: Attribute): Message | null => {
  if (SYSTEM_ATTRIBUTES.has(name)) return messageOf('override.managed', { name });
  if ('private' in attribute && attribute.private) return messageOf('override.private', { name });
  if (!OVERRIDABLE_TYPES.has(attribute.type)) {
    return messageOf('override.type', { name, type: attribute.type });
  }
  return null;
};

export const overridableAttributeNames = (attributes: Attributes) =>
  Object.entries(attributes)
    .filter(([name, attribute]) => notOverridable(name, attribute) === null)
    .map(([name]) => name);

const fileId = z.number().int().positive();

/**
 * Builds zod schemas for override values from a content type's or component's attributes.
 * Components and dynamic zones are checked attribute by attribute, recursively.
 */
const valueSchemas = (strapi: Core.Strapi) => {
  const componentSchemas = new Map<string, z.ZodType>();

  const componentSchema = (uid: string): z.ZodType => {
    const cached = componentSchemas.get(uid);
    if (cached) return cached;
    const component = strapi.components[uid as UID.Component];
    const shape: Record<string, z.ZodType> = { id: z.number().optional() };
    for (const [name, attribute] of Object.entries(component?.attributes ?? {})) {
      if (notOverridable(name, attribute as Attribute) === null) {
        shape[name] = valueSchema(attribute as Attribute).optional();
      }
    }
    const schema = z.strictObject(shape);
    componentSchemas.set(uid, schema);
    return schema;
  };

  const valueSchema = (attribute: Attribute): z.ZodType => {
    const nullable = (schema: z.ZodType) =>
      'required' in attribute && attribute.required ? schema : schema.nullable();
    switch (attribute.type) {
      case 'string':
      case 'text':
      case 'richtext': {
        let schema = z.string();
        if ('maxLength' in attribute && typeof attribute.maxLength === 'number')
          schema = schema.max(attribute.maxLength);
        if ('minLength' in attribute && typeof attribute.minLength === 'number')
          schema = schema.min(attribute.minLength);
        return nullable(schema);
      }
      case 'email':
        return nullable(z.email());
      case 'enumeration':
        return nullable(z.enum(attribute.enum as [string, ...string[]]));
      case 'boolean':
        return nullable(z.boolean());
      case 'integer':
        return nullable(z.number().int());
      case 'biginteger':
        return nullable(
          z.union([z.string().regex(/^-?\d+$/, 'expected an integer'), z.number().int()])
        );
      case 'float':
      case 'decimal':
        return nullable(z.number());
      case 'json':
        return z.json();
      case 'blocks':
        return nullable(z.array(z.record(z.string(), z.json())));
      case 'media':
        return attribute.multiple ? z.array(fileId).max(100) : nullable(fileId);
      case 'component': {
        const schema = z.lazy(() => componentSchema(attribute.component));
        return attribute.repeatable ? z.array(schema) : nullable(schema);
      }
      case 'dynamiczone': {
        const allowed = attribute.components as [string, ...string[]];
        return z.array(
          z.looseObject({ __component: z.enum(allowed) }).superRefine((item, ctx) => {
            const { __component, ...fields } = item;
            const result = componentSchema(__component).safeParse(fields);
            if (!result.success) {
              for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
            }
          })
        );
      }
      default:
        return z.never();
    }
  };

  return { valueSchema, componentSchema };
};

/** Calls `visit` for every media attribute value in `value`, recursing into components. */
const visitMedia = (
  strapi: Core.Strapi,
  attributes: Attributes,
  value: Record<string, unknown>,
  visit: (holder: Record<string, unknown>, name: string, ids: number[]) => void
) => {
  for (const [name, attribute] of Object.entries(attributes)) {
    const field = value[name];
    if (field === undefined || field === null || !Object.hasOwn(value, name)) continue;
    const attr = attribute as Attribute;
    if (attr.type === 'media') {
      visit(value, name, (Array.isArray(field) ? field : [field]) as number[]);
    } else if (attr.type === 'component' || attr.type === 'dynamiczone') {
      for (const item of (Array.isArray(field) ? field : [field]) as Record<string, unknown>[]) {
        const componentUid =
          attr.type === 'component' ? attr.component : (item.__component as string);
        const component = strapi.components[componentUid as UID.Component];
        if (component) visitMedia(strapi, component.attributes, item, visit);
      }
    }
  }
};

/** Validation and output shaping of a variant's `overrides` against its target type. */
const overrides = ({ strapi }: { strapi: Core.Strapi }) => {
  const schemas = valueSchemas(strapi);

  return {
    /**
     * Checks `input` against the target type: every key an overridable attribute, every value of
     * that attribute's type, every media id an existing file. Throws a 400 naming the attribute.
     */
    async validate(targetUid: UID.ContentType, input: unknown): Promise<Record<string, unknown>> {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throwValidation('overrides must be an object of attribute → value', [
          { path: ['overrides'], ...messageOf('override.notObject') },
        ]);
      }
      const { attributes } = strapi.getModel(targetUid);
      const problems: ValidationIssue[] = [];
      const valid: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
        const attribute = Object.hasOwn(attributes, name)
          ? (attributes[name] as Attribute)
          : undefined;
        if (!attribute) {
          problems.push({
            path: ['overrides', name],
            ...messageOf('override.unknownAttribute', { name, type: targetUid }),
          });
          continue;
        }
        const refusal = notOverridable(name, attribute);
        if (refusal) {
          problems.push({ path: ['overrides', name], ...refusal });
          continue;
        }
        const result = schemas.valueSchema(attribute).safeParse(value);
        if (!result.success) {
          // At the attribute's path, which the summary names.
          problems.push(...issuesOf(result.error, ['overrides', name]));
          continue;
        }
        valid[name] = result.data;
      }
      if (problems.length === 0) {
        const ids = new Set<number>();
        visitMedia(strapi, attributes, valid, (_holder, _name, fileIds) =>
          fileIds.forEach((id) => ids.add(id))
        );
        if (ids.size > 0) {
          const found = await strapi.db
            .query(FILE_UID)
            .findMany({ where: { id: { $in: [...ids] } }, select: ['id'] });
          const known = new Set(found.map((file: { id: number }) => file.id));
          visitMedia(strapi, attributes, valid, (_holder, name, fileIds) => {
            const missing = fileIds.filter((id) => !known.has(id));
            if (missing.length > 0) {
              problems.push({
                path: ['overrides', name],
                ...messageOf('override.noFile', { name, ids: missing.join(', ') }),
              });
            }
          });
        }
      }
      if (problems.length > 0) {
        throwValidation(`Invalid overrides: ${summarize(problems)}`, problems);
      }
      return valid;
    },

    /**
     * Turns stored overrides into what the delivery merges: media ids become file objects shaped
     * like a populated media field, and everything is sanitized like core REST output.
     * `files` holds the sanitized files the overrides refer to (see `loadFiles`).
     */
    async shape(
      targetUid: UID.ContentType,
      stored: Record<string, unknown>,
      files: ReadonlyMap<number, unknown>
    ): Promise<Record<string, unknown>> {
      const model = strapi.getModel(targetUid);
      const copy = structuredClone(stored);
      visitMedia(strapi, model.attributes, copy, (holder, name, ids) => {
        const shaped = ids.map((id) => files.get(id)).filter((file) => file !== undefined);
        holder[name] = Array.isArray(holder[name]) ? shaped : (shaped[0] ?? null);
      });
      const sanitized = (await strapi.contentAPI.sanitize.output(copy, model)) as Record<
        string,
        unknown
      >;
      // The sanitizer drops media it has no populate for; shaped media are already sanitized files.
      for (const name of Object.keys(copy)) {
        if (
          !Object.hasOwn(sanitized, name) &&
          (model.attributes[name] as Attribute | undefined)?.type === 'media'
        ) {
          sanitized[name] = copy[name];
        }
      }
      return sanitized;
    },

    /** Every file id the overrides refer to. */
    fileIds(targetUid: UID.ContentType, stored: Record<string, unknown>): number[] {
      const ids: number[] = [];
      visitMedia(strapi, strapi.getModel(targetUid).attributes, stored, (_h, _n, fileIds) =>
        ids.push(...fileIds)
      );
      return ids;
    },

    /** Loads files by id, sanitized as core REST returns a populated media field. */
    async loadFiles(ids: Iterable<number>): Promise<Map<number, unknown>> {
      const unique = [...new Set(ids)];
      const files = new Map<number, unknown>();
      if (unique.length === 0) return files;
      const model = strapi.getModel(FILE_UID);
      const rows = await strapi.db.query(FILE_UID).findMany({ where: { id: { $in: unique } } });
      for (const row of rows) {
        files.set(row.id, await strapi.contentAPI.sanitize.output(row, model));
      }
      return files;
    },
  };
};

export default overrides;
