import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import isEqual from 'lodash/isEqual';
import merge from 'lodash/merge';

import { isLocalized, targetContentTypes } from './targets';

/** The Content Manager actions that apply to a variant's or an experiment's target entry. */
export type ContentAction = 'read' | 'update' | 'publish';

type Entry = Record<string, unknown>;

/** One entry of a target type, in one locale or (null) in every locale it exists in. */
export interface TargetRef {
  uid: string;
  /** null for a single type. */
  documentId: string | null;
  /** null: every locale version of the entry. */
  locale: string | null;
}

/**
 * What the plugin uses of the Content Manager's permission checker
 * (`@strapi/content-manager`, services/permission-checker), created per model and admin.
 */
interface PermissionChecker {
  can: Record<ContentAction, (entity?: Entry, field?: string) => boolean>;
  requiresEntity: Record<ContentAction, () => boolean>;
  sanitizeOutput(data: Entry): Promise<Entry>;
  sanitizeUpdateInput(entity: Entry): (data: Entry) => Promise<Entry>;
  sanitizedQuery: Record<ContentAction, (query: object) => Promise<object>>;
}

interface UserAbility {
  rulesFor(action: string, subject: string): { fields?: string | string[] }[];
}

const ACTION_IDS: Record<ContentAction, string> = {
  read: 'plugin::content-manager.explorer.read',
  update: 'plugin::content-manager.explorer.update',
  publish: 'plugin::content-manager.explorer.publish',
};

/** Rows per query when loading many entries at once. */
const CHUNK = 500;

/**
 * A 403 in Strapi's error shape. A PolicyError, because Strapi replaces the message of any other
 * ForbiddenError thrown behind a route with "Forbidden".
 */
function forbid(message: string): never {
  throw new errors.PolicyError(message);
}

const groupBy = <Item>(items: Item[], key: (item: Item) => string) => {
  const groups = new Map<string, Item[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

function forbidField(uid: string, name: string): never {
  forbid(`Your role may not update the field "${name}" of ${uid} in the Content Manager`);
}

/**
 * What an admin may do with the target entries of variants and experiments, decided by the
 * Content Manager's own permission checker for that model and entry: its conditions ("is
 * creator"), field lists and locales apply exactly as in the Content Manager. `null` ability:
 * the plugin's own code (seeds, imports), which may do everything.
 */
export const contentAccess = (
  strapi: Core.Strapi,
  ability: unknown,
  admin: { id: number } | null = null
) => {
  const checkers = new Map<string, PermissionChecker>();
  const populates = new Map<string, Promise<object | undefined>>();

  const checker = (uid: string): PermissionChecker | null => {
    if (ability === null) return null;
    let found = checkers.get(uid);
    if (!found) {
      found = strapi
        .plugin('content-manager')
        .service('permission-checker')
        .create({ userAbility: ability, model: uid }) as PermissionChecker;
      checkers.set(uid, found);
    }
    return found;
  };

  /**
   * What an entry must be loaded with for the role's conditions to be decided on it (e.g.
   * `createdBy` for "is creator"), as the Content Manager builds it from the permission query.
   */
  const populateFor = (uid: string) => {
    let found = populates.get(uid);
    if (!found) {
      const check = checker(uid);
      found = check
        ? (async () => {
            const builder = strapi.plugin('content-manager').service('populate-builder') as (
              model: string
            ) => {
              populateFromQuery(query: object): { build(): Promise<object | undefined> };
            };
            const queries = await Promise.all(
              (Object.keys(ACTION_IDS) as ContentAction[]).map((action) =>
                check.sanitizedQuery[action]({})
              )
            );
            const built = await Promise.all(
              queries.map((query) => builder(uid).populateFromQuery(query).build())
            );
            return merge({}, ...built) as object;
          })()
        : Promise.resolve(undefined);
      populates.set(uid, found);
    }
    return found;
  };

  /** The draft versions of entries (every locale), loaded with what the conditions need. */
  const versionsOf = async (uid: string, documentIds: (string | null)[], locale: string | null) => {
    const single = strapi.getModel(uid as UID.ContentType).kind === 'singleType';
    const localized = isLocalized(strapi, uid);
    const populate = await populateFor(uid);
    const ids = [...new Set(documentIds)].filter((id): id is string => id !== null);
    const chunks = single
      ? [[]]
      : Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, i) =>
          ids.slice(i * CHUNK, (i + 1) * CHUNK)
        );
    const versions: Entry[] = [];
    for (const chunk of chunks) {
      versions.push(
        ...((await strapi.documents(uid as UID.ContentType).findMany({
          ...(single ? {} : { filters: { documentId: { $in: chunk } } }),
          ...(localized ? { locale: locale ?? '*' } : {}),
          status: 'draft',
          ...(populate ? { populate } : {}),
        } as never)) as unknown as Entry[])
      );
    }
    return versions;
  };

  /** Whether `version` (a loaded entry) is the target, or one of its locales when locale is null. */
  const isVersionOf = (uid: string, target: TargetRef, version: Entry) =>
    (strapi.getModel(uid as UID.ContentType).kind === 'singleType' ||
      version.documentId === target.documentId) &&
    (!isLocalized(strapi, uid) || target.locale === null || version.locale === target.locale);

  const describe = ({ uid, documentId }: TargetRef, version: Entry) =>
    `${uid}${documentId ? ` ${documentId}` : ''}${
      isLocalized(strapi, uid) ? ` in locale "${String(version.locale)}"` : ''
    }`;

  /** Whether the role may `action` each of `names` (attributes of `uid`) on `version`. */
  const updatableFields = async (uid: string, version: Entry, data: Entry) => {
    const check = checker(uid);
    const result = new Map<string, boolean>();
    for (const [name, value] of Object.entries(data)) {
      result.set(
        name,
        !check ||
          isEqual((await check.sanitizeUpdateInput(version)({ [name]: value }))[name], value)
      );
    }
    return result;
  };

  const allows = (action: ContentAction, uid: string, version: Entry) =>
    checker(uid)?.can[action](version) ?? true;

  /** Fields the role may `action` on some entries of `uid`: 'all', or their dotted paths. */
  const permittedFields = (action: ContentAction, uid: string): 'all' | string[] => {
    if (ability === null) return 'all';
    const actionProvider = strapi.service('admin::permission').actionProvider as {
      unstable_aliases(action: string, subject: string): string[];
    };
    const actions = [
      ACTION_IDS[action],
      ...actionProvider.unstable_aliases(ACTION_IDS[action], uid),
    ];
    const rules = actions.flatMap((id) => (ability as UserAbility).rulesFor(id, uid));
    if (rules.some((rule) => rule.fields === undefined || rule.fields === null)) return 'all';
    return rules.flatMap((rule) => [rule.fields ?? []].flat());
  };

  /** Whether reading entries of `uid` hides some fields from the role, or depends on the entry. */
  const restrictsReading = (uid: string) =>
    permittedFields('read', uid) !== 'all' || (checker(uid)?.requiresEntity.read() ?? false);

  return {
    /** The admin acting (`updatedBy` of what they write); null for the plugin's own code. */
    adminId: admin?.id ?? null,

    /** Whether the role may `action` on some entries of `uid` (its permission on the type at all). */
    mayOnType(action: ContentAction, uid: string): boolean {
      return checker(uid)?.can[action]() ?? true;
    },

    /** Whether the role may `action` the attribute `name` on some entries of `uid`. */
    mayOnAttribute(action: ContentAction, uid: string, name: string): boolean {
      const fields = permittedFields(action, uid);
      return (
        fields === 'all' || fields.some((field) => field === name || field.startsWith(`${name}.`))
      );
    },

    /**
     * 403 unless the role may `action` the entry in its locale (every locale version, when
     * `locale` is null). Returns the versions (drafts, with what the conditions need); none when
     * the entry does not exist, which is the caller's to refuse.
     */
    async assertEntry(action: ContentAction, target: TargetRef): Promise<Entry[]> {
      if (!this.mayOnType(action, target.uid)) {
        forbid(`Your role may not ${action} entries of ${target.uid} in the Content Manager`);
      }
      const versions = await versionsOf(target.uid, [target.documentId], target.locale);
      for (const version of versions) {
        if (!allows(action, target.uid, version)) {
          forbid(`Your role may not ${action} ${describe(target, version)} in the Content Manager`);
        }
      }
      return versions;
    },

    /**
     * `data` (attributes of an entry of `uid`: a response, a variant's overrides) without the
     * fields the role may not read on `version`, by the Content Manager's output sanitization.
     */
    async readable(uid: string, version: Entry, data: Entry): Promise<Entry> {
      const check = checker(uid);
      if (!check || !restrictsReading(uid)) return data;
      // The version goes along so that the role's conditions are decided on the real entry.
      const sanitized = await check.sanitizeOutput({ ...version, ...data });
      return Object.fromEntries(
        Object.keys(data)
          .filter((key) => Object.hasOwn(sanitized, key))
          .map((key) => [key, sanitized[key]])
      );
    },

    /**
     * The overrides to store when the role submits `submitted` for a variant of `version` that
     * had `stored`: fields the role may update come from `submitted`; fields it may not update
     * keep their stored value (an editor who cannot see them does not remove them), and a change
     * to one is refused with a 403 naming it.
     */
    async mayOverride(
      uid: string,
      version: Entry,
      submitted: Entry,
      stored: Entry = {}
    ): Promise<Entry> {
      const updatable = await updatableFields(uid, version, { ...stored, ...submitted });
      const result: Entry = {};
      for (const [name, mayUpdate] of updatable) {
        const given = Object.hasOwn(submitted, name);
        const kept = Object.hasOwn(stored, name);
        if (mayUpdate) {
          if (given) result[name] = submitted[name];
        } else if (given && (!kept || !isEqual(submitted[name], stored[name]))) {
          forbidField(uid, name);
        } else if (kept) {
          result[name] = stored[name];
        }
      }
      return result;
    },

    /** 403 unless the role may update every field of `data` on `version` (promote, removal). */
    async assertMayUpdateFields(uid: string, version: Entry, data: Entry): Promise<void> {
      for (const [name, mayUpdate] of await updatableFields(uid, version, data)) {
        if (!mayUpdate) forbidField(uid, name);
      }
    },

    /**
     * How far the role may read entries of `uid`: not at all, every entry, or some (conditions
     * or locales decide per entry, see `readableTargets`).
     */
    readScope(uid: string): 'none' | 'all' | 'some' {
      const check = checker(uid);
      if (!check) return 'all';
      if (!check.can.read()) return 'none';
      return check.requiresEntity.read() ? 'some' : 'all';
    },

    /** Of `targets`, those whose entries the role may read (every locale version when locale is null). */
    async readableTargets<Target extends TargetRef>(targets: Target[]): Promise<Target[]> {
      const readable: Target[] = [];
      for (const [uid, group] of groupBy(targets, (target) => target.uid)) {
        const scope = this.readScope(uid);
        if (scope === 'all') readable.push(...group);
        if (scope !== 'some') continue;
        const versions = await versionsOf(
          uid,
          group.map((target) => target.documentId),
          null
        );
        for (const target of group) {
          const own = versions.filter((version) => isVersionOf(uid, target, version));
          if (own.length > 0 && own.every((version) => allows('read', uid, version))) {
            readable.push(target);
          }
        }
      }
      return readable;
    },

    /**
     * For each item, `data(item)` (attributes of its target entry, e.g. a variant's overrides)
     * without the fields the role may not read on that entry.
     */
    async readableData<Item>(
      items: Item[],
      target: (item: Item) => TargetRef,
      data: (item: Item) => Entry
    ): Promise<Entry[]> {
      const versions = new Map<string, Entry[]>();
      for (const [uid, group] of groupBy(items, (item) => target(item).uid)) {
        if (!restrictsReading(uid)) continue;
        versions.set(
          uid,
          await versionsOf(
            uid,
            group.map((item) => target(item).documentId),
            null
          )
        );
      }
      return Promise.all(
        items.map(async (item) => {
          const ref = target(item);
          const candidates = versions.get(ref.uid);
          if (!candidates) return data(item);
          const version = candidates.find((candidate) => isVersionOf(ref.uid, ref, candidate));
          // An entry that is gone shows nothing of its fields.
          return version ? this.readable(ref.uid, version, data(item)) : {};
        })
      );
    },
  };
};

export type ContentAccess = ReturnType<typeof contentAccess>;

/**
 * A filter on one of the plugin's models that point at target entries (variants, experiments:
 * `targetUid`, `targetDocumentId`, `locale`, null = every locale) for the rows matching `where`
 * whose entries the role may read: every row of a type it reads entirely, the readable entries'
 * rows of a type it reads in part. null when there is none.
 */
export const readableTargetFilter = async (
  strapi: Core.Strapi,
  access: ContentAccess,
  model: UID.Schema,
  where: { targetUid?: string; [field: string]: unknown }
): Promise<object | null> => {
  const uids = targetContentTypes(strapi)
    .map((contentType) => contentType.uid as string)
    .filter((uid) => where.targetUid === undefined || uid === where.targetUid);
  const every = uids.filter((uid) => access.readScope(uid) === 'all');
  const some = uids.filter((uid) => access.readScope(uid) === 'some');
  const allowed: object[] = every.length > 0 ? [{ targetUid: { $in: every } }] : [];
  if (some.length > 0) {
    const rows = (await strapi.db.query(model).findMany({
      where: { ...where, targetUid: { $in: some } },
      select: ['targetUid', 'targetDocumentId', 'locale'],
    })) as { targetUid: string; targetDocumentId: string | null; locale: string | null }[];
    const targets = new Map<string, TargetRef>();
    for (const row of rows) {
      const target = {
        uid: row.targetUid,
        documentId: row.targetDocumentId ?? null,
        locale: row.locale ?? null,
      };
      targets.set(`${target.uid}|${target.documentId}|${target.locale}`, target);
    }
    const groups = groupBy(await access.readableTargets([...targets.values()]), (target) =>
      JSON.stringify([target.uid, target.locale])
    );
    for (const group of groups.values()) {
      const ids = group.flatMap((target) => (target.documentId ? [target.documentId] : []));
      allowed.push({
        targetUid: group[0].uid,
        locale: group[0].locale ?? { $null: true },
        targetDocumentId: ids.length > 0 ? { $in: ids } : { $null: true },
      });
    }
  }
  return allowed.length > 0 ? { $and: [where, { $or: allowed }] } : null;
};
