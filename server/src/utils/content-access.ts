import type { Core, Modules, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import isEqual from 'lodash/isEqual';
import merge from 'lodash/merge';

import { messageOf, type Message } from '../engine/messages';
import { isLocalized, targetContentTypes } from './targets';
import { detailsOf } from './validation';

/** The Content Manager actions that apply to a variant's or an experiment's target entry. */
export type ContentAction = 'read' | 'update' | 'publish';

type Entry = Record<string, unknown>;

/** One locale version of a target entry, as the document service returns it. */
type Version = Modules.Documents.AnyDocument;

/** A filter on documents of any content type. */
export type DocumentFilter = Modules.Documents.Params.Filters.Any<UID.ContentType>;
type Populate = Modules.Documents.Params.Populate.Any<UID.ContentType>;

/** One entry of a target type, in one locale or (null) in every locale it exists in. */
export interface TargetRef {
  uid: string;
  /** null for a single type. */
  documentId: string | null;
  /** null: every locale version of the entry. */
  locale: string | null;
}

/** The entry a variant or an experiment points at (`targetUid`, `targetDocumentId`, `locale`). */
export const targetRefOf = (row: {
  targetUid: string;
  targetDocumentId?: string | null;
  locale?: string | null;
}): TargetRef => ({
  uid: row.targetUid,
  documentId: row.targetDocumentId ?? null,
  locale: row.locale ?? null,
});

/**
 * What the plugin uses of the Content Manager's permission checker
 * (`@strapi/content-manager`, services/permission-checker), created per model and admin.
 */
interface PermissionChecker {
  can: Record<ContentAction, (entity?: Entry, field?: string) => boolean>;
  requiresEntity: Record<ContentAction, () => boolean>;
  sanitizeUpdateInput(entity: Entry): (data: Entry) => Promise<Entry>;
  sanitizedQuery: Record<ContentAction, (query: object) => Promise<{ filters?: DocumentFilter }>>;
}

/** ...and of the admin's permissions manager, for output sanitized against a given entry. */
interface PermissionsManager {
  toSubject(entity: Entry, model: string): unknown;
  sanitizeOutput(data: Entry, options: { subject: unknown; action: string }): Promise<Entry>;
}

interface UserAbility {
  rulesFor(action: string, subject: string): { fields?: string | string[] | null }[];
}

const ACTION_IDS: Record<ContentAction, string> = {
  read: 'plugin::content-manager.explorer.read',
  update: 'plugin::content-manager.explorer.update',
  publish: 'plugin::content-manager.explorer.publish',
};

/** Entries per query when loading many at once (well under every database's parameter limit). */
const CHUNK = 500;

/**
 * A 403 in Strapi's error shape. A PolicyError, because Strapi replaces the message of any other
 * ForbiddenError thrown behind a route with "Forbidden".
 */
function forbid(message: Message): never {
  throw new errors.PolicyError(message.message, detailsOf(message));
}

function forbidField(uid: string, name: string): never {
  forbid(messageOf('access.field', { field: name, type: uid }));
}

const groupBy = <Item>(items: Item[], key: (item: Item) => string) => {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

const chunks = <Item>(items: Item[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK)
  );

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
  const populates = new Map<string, Promise<Populate>>();

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

  const isSingle = (uid: string) => strapi.getModel(uid as UID.ContentType).kind === 'singleType';

  /**
   * What an entry must be loaded with for the role's conditions to be decided on it (e.g.
   * `createdBy` for "is creator"), as the Content Manager builds it from the permission query.
   */
  const populateFor = (uid: string, check: PermissionChecker) => {
    let found = populates.get(uid);
    if (!found) {
      found = (async () => {
        const builder = strapi.plugin('content-manager').service('populate-builder') as (
          model: string
        ) => { populateFromQuery(query: object): { build(): Promise<Populate | undefined> } };
        const built = await Promise.all(
          (Object.keys(ACTION_IDS) as ContentAction[]).map(async (action) =>
            builder(uid)
              .populateFromQuery(await check.sanitizedQuery[action]({}))
              .build()
          )
        );
        return merge({}, ...built) as Populate;
      })();
      populates.set(uid, found);
    }
    return found;
  };

  /** The draft versions of entries, in `locale` or (null) every locale, with what conditions need. */
  const versionsOf = async (uid: string, documentIds: (string | null)[], locale: string | null) => {
    const check = checker(uid);
    const populate = check ? await populateFor(uid, check) : undefined;
    const ids = [...new Set(documentIds)].filter((id): id is string => id !== null);
    const versions: Version[] = [];
    for (const chunk of isSingle(uid) ? [null] : chunks(ids)) {
      versions.push(
        ...(await strapi.documents(uid as UID.ContentType).findMany({
          ...(chunk ? { filters: { documentId: { $in: chunk } } } : {}),
          ...(isLocalized(strapi, uid) ? { locale: locale ?? '*' } : {}),
          status: 'draft',
          ...(populate ? { populate } : {}),
        }))
      );
    }
    return versions;
  };

  /** The entry's versions among `versions` (all its locales when the target's locale is null). */
  const isVersionOf = (target: TargetRef, version: Entry) =>
    (isSingle(target.uid) || version.documentId === target.documentId) &&
    (!isLocalized(strapi, target.uid) ||
      target.locale === null ||
      version.locale === target.locale);

  /** A refusal naming an entry (its type and documentId) and, when it has locales, the locale. */
  const aboutEntry = (
    withoutLocale: 'access.entry' | 'access.entryGone',
    withLocale: 'access.entryInLocale' | 'access.entryGoneInLocale',
    { uid, documentId }: TargetRef,
    version: Entry,
    values: { action?: ContentAction } = {}
  ) => {
    const entry = `${uid}${documentId ? ` ${documentId}` : ''}`;
    return isLocalized(strapi, uid)
      ? messageOf(withLocale, { ...values, entry, locale: String(version.locale) })
      : messageOf(withoutLocale, { ...values, entry });
  };

  /** Fields the role may `action` on some entries of `uid`: 'all', or their dotted paths. */
  const permittedFields = (action: ContentAction, uid: string): 'all' | string[] => {
    if (ability === null) return 'all';
    const { actionProvider } = strapi.service('admin::permission') as {
      actionProvider: { unstable_aliases(action: string, subject: string): string[] };
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

  /** For each field of `data`, whether the role may set it to that value on `version`. */
  const updatableFields = async (uid: string, version: Entry, data: Entry) => {
    const check = checker(uid);
    const result = new Map<string, boolean>();
    for (const [name, value] of Object.entries(data)) {
      const kept = check
        ? (await check.sanitizeUpdateInput(version)({ [name]: value }))[name]
        : value;
      result.set(name, isEqual(kept, value));
    }
    return result;
  };

  const mayOnType = (action: ContentAction, uid: string): boolean =>
    checker(uid)?.can[action]() ?? true;

  /**
   * 403 unless the role may `action` the entry in its locale (every locale version, when `locale`
   * is null). Returns the versions (drafts, with what the conditions need), or none when the
   * entry does not exist: then only a role whose permission has no conditions passes (there is
   * nothing to decide the conditions on), and the caller refuses where it needs the entry.
   */
  const assertEntry = async (action: ContentAction, target: TargetRef): Promise<Version[]> => {
    const check = checker(target.uid);
    if (!check) return versionsOf(target.uid, [target.documentId], target.locale);
    if (!check.can[action]()) {
      forbid(messageOf('access.type', { action, type: target.uid }));
    }
    const versions = await versionsOf(target.uid, [target.documentId], target.locale);
    if (versions.length === 0 && check.requiresEntity[action]()) {
      forbid(
        aboutEntry('access.entryGone', 'access.entryGoneInLocale', target, {
          locale: target.locale,
        })
      );
    }
    for (const version of versions) {
      if (!check.can[action](version)) {
        forbid(aboutEntry('access.entry', 'access.entryInLocale', target, version, { action }));
      }
    }
    return versions;
  };

  /**
   * `data` (attributes of an entry of `uid`: a response, a variant's overrides) without the
   * fields the role may not read on `version`, by the Content Manager's output sanitization with
   * the real entry as the subject its conditions are decided on.
   */
  const readable = async (uid: string, version: Entry, data: Entry): Promise<Entry> => {
    if (ability === null || !restrictsReading(uid)) return data;
    const manager = strapi
      .service('admin::permission')
      .createPermissionsManager({ ability, model: uid }) as PermissionsManager;
    return manager.sanitizeOutput(data, {
      subject: manager.toSubject(version, uid),
      action: ACTION_IDS.read,
    });
  };

  /**
   * How far the role may read entries of `uid`: not at all, every entry, or some (conditions
   * or locales decide per entry, see `readableTargets`).
   */
  const readScope = (uid: string): 'none' | 'all' | 'some' => {
    const check = checker(uid);
    if (!check) return 'all';
    if (!check.can.read()) return 'none';
    return check.requiresEntity.read() ? 'some' : 'all';
  };

  /**
   * Of `targets`, those whose entries the role may read (every locale version when locale is
   * null): the database decides, with the permission filters the Content Manager's list applies.
   */
  const readableTargets = async <Target extends TargetRef>(
    targets: Target[]
  ): Promise<Target[]> => {
    const readable: Target[] = [];
    for (const [uid, group] of groupBy(targets, (target) => target.uid)) {
      const scope = readScope(uid);
      if (scope === 'all') readable.push(...group);
      if (scope !== 'some') continue;
      const check = checker(uid) as PermissionChecker;
      const key = (version: Version) => `${version.documentId}|${String(version.locale)}`;
      const all: Version[] = [];
      const allowed = new Set<string>();
      const ids = group.flatMap((target) => (target.documentId ? [target.documentId] : []));
      for (const chunk of isSingle(uid) ? [null] : chunks([...new Set(ids)])) {
        const filters = chunk ? { documentId: { $in: chunk } } : {};
        const query = (filter: DocumentFilter | undefined) =>
          strapi.documents(uid as UID.ContentType).findMany({
            filters: filter,
            fields: ['documentId', 'locale'],
            ...(isLocalized(strapi, uid) ? { locale: '*' } : {}),
            status: 'draft',
          });
        all.push(...(await query(filters)));
        for (const version of await query((await check.sanitizedQuery.read({ filters })).filters))
          allowed.add(key(version));
      }
      for (const target of group) {
        const own = all.filter((version) => isVersionOf(target, version));
        if (own.length > 0 && own.every((version) => allowed.has(key(version)))) {
          readable.push(target);
        }
      }
    }
    return readable;
  };

  return {
    /** The admin acting (`updatedBy` of what they write); null for the plugin's own code. */
    adminId: admin?.id ?? null,

    /** Whether the role may `action` on some entries of `uid` (its permission on the type at all). */
    mayOnType,

    /** Whether the role may `action` the attribute `name` on some entries of `uid`. */
    mayOnAttribute(action: ContentAction, uid: string, name: string): boolean {
      const fields = permittedFields(action, uid);
      return (
        fields === 'all' || fields.some((field) => field === name || field.startsWith(`${name}.`))
      );
    },

    assertEntry,
    readable,
    readScope,
    readableTargets,

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

    /**
     * 403 unless the role may update every field of `data` on `version`: for what changes every
     * field a variant overrides at once (promote, removal, a new audience).
     */
    async assertMayUpdateFields(uid: string, version: Entry, data: Entry): Promise<void> {
      for (const [name, mayUpdate] of await updatableFields(uid, version, data)) {
        if (!mayUpdate) forbidField(uid, name);
      }
    },

    /**
     * For each item, `data(item)` (attributes of its target entry, e.g. a variant's overrides)
     * without the fields the role may not read on that entry; nothing of an entry that is gone.
     */
    async readableData<Item>(
      items: Item[],
      target: (item: Item) => TargetRef,
      data: (item: Item) => Entry
    ): Promise<Entry[]> {
      const versions = new Map<string, Version[]>();
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
          const version = candidates.find((candidate) => isVersionOf(ref, candidate));
          return version ? readable(ref.uid, version, data(item)) : {};
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
  where: { targetUid?: string; [field: string]: string | undefined }
): Promise<DocumentFilter | null> => {
  const uids = targetContentTypes(strapi)
    .map((contentType) => contentType.uid as string)
    .filter((uid) => where.targetUid === undefined || uid === where.targetUid);
  const every = uids.filter((uid) => access.readScope(uid) === 'all');
  const some = uids.filter((uid) => access.readScope(uid) === 'some');
  const allowed: DocumentFilter[] = every.length > 0 ? [{ targetUid: { $in: every } }] : [];
  if (some.length > 0) {
    const rows = (await strapi.db.query(model).findMany({
      where: { ...where, targetUid: { $in: some } },
      select: ['targetUid', 'targetDocumentId', 'locale'],
    })) as { targetUid: string; targetDocumentId: string | null; locale: string | null }[];
    const targets = new Map<string, TargetRef>();
    for (const row of rows) {
      const target = targetRefOf(row);
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
  // Strapi's filter type of types outside the app's generated registry applies the attribute
  // index signature to `$and` / `$or` as well, so no logical group type-checks unasserted.
  return allowed.length > 0 ? ({ $and: [where, { $or: allowed }] } as DocumentFilter) : null;
};
