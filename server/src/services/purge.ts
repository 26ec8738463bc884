import type { Core, Modules, UID } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';

import type { PluginConfig } from '../config';
import { PLUGIN_ID, VARIANT_UID } from '../constants';
import { afterCommit } from '../utils/after-write';
import { surrogateKeys } from '../utils/personalization-headers';

/** Keys of writes this close together go in one POST (a save writes several documents). */
const BATCH_MS = 10;

/** A webhook slower than this is given up on (and logged). */
const TIMEOUT_MS = 10_000;

type WriteContext = Pick<Modules.Documents.Middleware.Context, 'uid' | 'action' | 'params'>;

const stringOf = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * Tells a CDN which cached variant content a write changed (`purgeWebhook`): once the write
 * committed, `{ "keys": [...] }` with the surrogate keys that content carries
 * (utils/personalization-headers.ts) is POSTed to the app's URL. Sent after the write and never
 * awaited by it: a failing or slow webhook is logged, the write has succeeded.
 */
const purge = ({ strapi }: { strapi: Core.Strapi }) => {
  const webhook = () => (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig).purgeWebhook;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const send = async (keys: string[]) => {
    const target = webhook();
    if (!target || keys.length === 0) return;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { ...target.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ keys }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (!response.ok) {
        strapi.log.warn(
          `[personalize] the purge webhook answered ${response.status}: ${keys.length} key(s) not purged`
        );
      }
    } catch (error) {
      strapi.log.warn(
        `[personalize] the purge webhook failed, ${keys.length} key(s) not purged: ${error instanceof Error ? error.message : String(error)}`
      );
    }
  };

  const flush = () => {
    timer = undefined;
    const keys = [...pending];
    pending.clear();
    void send(keys);
  };

  /** What variant content a write may have changed: none when it touched drafts only. */
  const keysOf = ({ uid, action, params }: WriteContext, result: unknown): string[] => {
    const model = strapi.contentTypes[uid as UID.ContentType];
    if (!model) return [];
    const touchesPublished =
      !contentTypes.hasDraftAndPublish(model) ||
      ['publish', 'unpublish', 'delete'].includes(action) ||
      ('status' in params && params.status === 'published');
    if (!touchesPublished) return [];
    const documentId =
      ('documentId' in params ? stringOf(params.documentId) : null) ??
      (typeof result === 'object' && result !== null && 'documentId' in result
        ? stringOf(result.documentId)
        : null);
    if (uid === VARIANT_UID) return documentId ? [surrogateKeys.variant(documentId)] : [];
    if (!uid.startsWith('api::')) return [];
    if (model.kind === 'singleType') return [surrogateKeys.entry(uid, null)];
    return [...(documentId ? [surrogateKeys.entry(uid, documentId)] : []), surrogateKeys.type(uid)];
  };

  return {
    /** After a document service write: its keys go out once it committed, with those of the writes just around it. */
    written(context: WriteContext, result: unknown) {
      if (!webhook()) return;
      const keys = keysOf(context, result);
      if (keys.length === 0) return;
      afterCommit(strapi, () => {
        for (const key of keys) pending.add(key);
        timer ??= setTimeout(flush, BATCH_MS).unref();
      });
    },
  };
};

export default purge;
