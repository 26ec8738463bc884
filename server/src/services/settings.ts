import { randomBytes } from 'node:crypto';

import type { Core, Schema } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import { PLUGIN_ID } from '../constants';
import {
  settingsBodySchema,
  type ContentTypeSettings,
  type Holdout,
  type Settings,
} from '../contracts';
import { messageOf } from '../engine/messages';
import type { ContentAccess } from '../utils/content-access';
import { afterWrite } from '../utils/after-write';
import { getService } from '../utils/get-service';
import { isLocalized, targetContentTypes } from '../utils/targets';
import { detailsOf, parseOrThrow, throwValidation } from '../utils/validation';
import { notOverridable } from './overrides';

const SETTINGS_KEY = 'settings';

/**
 * Stored as the types switched off, so a content type added later has variants by default; and
 * the holdout (off until set).
 */
interface StoredSettings {
  disabledContentTypes: string[];
  holdout: Holdout;
}

const newSeed = () => randomBytes(8).toString('hex');

/** Settings → Personalize: which content types have variants, and the global holdout. */
const settings = ({ strapi }: { strapi: Core.Strapi }) => {
  const pluginStore = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });

  const read = async (): Promise<StoredSettings> => {
    const stored = (await pluginStore().get({
      key: SETTINGS_KEY,
    })) as Partial<StoredSettings> | null;
    return {
      disabledContentTypes: stored?.disabledContentTypes ?? [],
      holdout: stored?.holdout ?? { share: 0, seed: '' },
    };
  };

  return {
    /** The uids of content types with variants switched off. */
    async disabledContentTypes(): Promise<string[]> {
      return (await read()).disabledContentTypes;
    },

    /** The global holdout (share 0: off). */
    async holdout(): Promise<Holdout> {
      return (await read()).holdout;
    },

    /** What the settings page shows: the types the role may read, and the holdout. */
    async find(access: ContentAccess): Promise<Settings> {
      return { contentTypes: await this.contentTypes(access), holdout: await this.holdout() };
    },

    /**
     * Every `api::` type the role may read in the Content Manager, whether it has variants, and
     * the attributes it may read, with whether a variant may override each (the role may not
     * override what it may not update).
     */
    async contentTypes(access: ContentAccess): Promise<ContentTypeSettings[]> {
      const disabled = new Set((await read()).disabledContentTypes);
      return targetContentTypes(strapi)
        .filter((contentType) => access.mayOnType('read', contentType.uid))
        .map((contentType) => ({
          uid: contentType.uid,
          kind: contentType.kind,
          displayName: contentType.info.displayName,
          localized: isLocalized(strapi, contentType.uid),
          enabled: !disabled.has(contentType.uid),
          attributes: Object.entries(contentType.attributes)
            .filter(([name]) => access.mayOnAttribute('read', contentType.uid, name))
            .map(([name, attribute]) => {
              const reason =
                notOverridable(name, attribute as Schema.Attribute.AnyAttribute) ??
                (access.mayOnAttribute('update', contentType.uid, name)
                  ? null
                  : messageOf('access.field', { field: name, type: contentType.uid }));
              // What the variant editor needs to draw the right input.
              const details = attribute as {
                enum?: string[];
                multiple?: boolean;
                required?: boolean;
                allowedTypes?: string[];
              };
              return {
                name,
                type: attribute.type,
                overridable: reason === null,
                reason,
                required: details.required === true,
                ...(details.enum ? { enum: details.enum } : {}),
                ...(attribute.type === 'media'
                  ? {
                      multiple: details.multiple === true,
                      allowedTypes: details.allowedTypes ?? null,
                    }
                  : {}),
              };
            }),
        }))
        .sort((a, b) => a.displayName.localeCompare(b.displayName));
    },

    /**
     * Switches types on or off, and sets the holdout. Types the role cannot read keep their state;
     * switching one changes what visitors get for all its entries, so it needs publish on the type.
     * A holdout without a seed keeps the stored one (or draws one the first time).
     */
    async update(access: ContentAccess, input: unknown): Promise<Settings> {
      const body = parseOrThrow(settingsBodySchema, input, 'body');
      const stored = await read();
      const disabledContentTypes =
        body.enabledContentTypes === undefined
          ? stored.disabledContentTypes
          : this.disabledAfter(access, body.enabledContentTypes, stored.disabledContentTypes);
      const holdout: Holdout = body.holdout
        ? {
            share: body.holdout.share,
            seed: body.holdout.seed ?? (stored.holdout.seed || newSeed()),
          }
        : stored.holdout;
      // A new share or seed moves visitors between personalized and base content on every type
      // with variants: that needs publish on each of them.
      const movesVisitors =
        holdout.share !== stored.holdout.share ||
        (holdout.share > 0 && holdout.seed !== stored.holdout.seed);
      if (movesVisitors) {
        const unpublishable = targetContentTypes(strapi).find(
          (contentType) =>
            !disabledContentTypes.includes(contentType.uid) &&
            !access.mayOnType('publish', contentType.uid)
        );
        if (unpublishable) {
          const refusal = messageOf('settings.holdoutNeedsPublish', { type: unpublishable.uid });
          throw new errors.PolicyError(refusal.message, detailsOf(refusal));
        }
      }
      const value: StoredSettings = { disabledContentTypes, holdout };
      await pluginStore().set({ key: SETTINGS_KEY, value });
      await afterWrite(strapi, 'reloading the registry', () =>
        getService(strapi, 'registryLoader').settingsChanged()
      );
      return this.find(access);
    },

    /** The types switched off once `enabledContentTypes` is applied (see `update`). */
    disabledAfter(
      access: ContentAccess,
      enabledContentTypes: string[],
      previouslyDisabledList: string[]
    ): string[] {
      const known = new Set<string>(
        targetContentTypes(strapi).map((contentType) => contentType.uid)
      );
      const unknown = enabledContentTypes.filter((uid) => !known.has(uid));
      if (unknown.length > 0) {
        throwValidation(`Unknown content types: ${unknown.join(', ')}`, [
          {
            path: ['enabledContentTypes'],
            ...messageOf('settings.unknownType', { uid: unknown[0] }),
          },
        ]);
      }
      const enabled = new Set(enabledContentTypes);
      const previouslyDisabled = new Set(previouslyDisabledList);
      const disabled = [...known].filter((uid) =>
        access.mayOnType('read', uid) ? !enabled.has(uid) : previouslyDisabled.has(uid)
      );
      for (const uid of known) {
        const switched = disabled.includes(uid) !== previouslyDisabled.has(uid);
        if (switched && !access.mayOnType('publish', uid)) {
          const refusal = messageOf('settings.needsPublish', { type: uid });
          throw new errors.PolicyError(refusal.message, detailsOf(refusal));
        }
      }
      return disabled.sort();
    },
  };
};

export default settings;
