import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { PLUGIN_ID } from '../../constants';
import { requireApiToken } from '../../utils/caller';
import { getService } from '../../utils/get-service';

/** Whether an If-None-Match header names `etag` (weakly, as RFC 9110 compares for GET). */
const matches = (header: string, etag: string) =>
  header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');

/**
 * `GET /api/personalize/snapshot` (docs/edge.md): what `strapi-plugin-personalize/edge` decides
 * with. Versioned by a strong ETag (304 on `If-None-Match`). Only an API token with
 * `plugin::personalize.snapshot.read` (or full access) reads it: its rules are marketing segments.
 */
const snapshot = ({ strapi }: { strapi: Core.Strapi }) => ({
  async read(ctx: Context) {
    ctx.vary('Authorization');
    ctx.set('Cache-Control', 'private, no-cache');
    await requireApiToken(
      strapi,
      ctx,
      `plugin::${PLUGIN_ID}.snapshot.read`,
      'Only a Strapi API token may read the snapshot: its rules are marketing segments'
    );
    // Another instance's write may not have reached this one yet: the snapshot is current anyway.
    await getService(strapi, 'registryLoader').catchUp();
    const { version, json } = getService(strapi, 'snapshot').current();
    const etag = `"${version}"`;
    ctx.set('ETag', etag);
    // Compared here rather than with `ctx.fresh`: fetch() adds `Cache-Control: no-cache` to any
    // request with If-None-Match, which `fresh` takes as a demand for the full answer.
    if (matches(ctx.get('if-none-match'), etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json';
    ctx.body = json;
  },
});

export default snapshot;
