import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../config';
import { EXPERIMENT_UID, PLUGIN_ID } from '../constants';
import { previewLinkBodySchema, type PreviewLink } from '../contracts';
import { messageOf } from '../engine/messages';
import { targetRefOf, type ContentAccess } from '../utils/content-access';
import { getService } from '../utils/get-service';
import { previewSecret, signPreviewToken } from '../utils/preview-token';
import { previewUrlFor } from '../utils/preview-url';
import { parseOrThrow, refuse } from '../utils/validation';
import type { ExperimentRow } from './experiments';

const HOUR_MS = 3_600_000;

/** The query parameter the client and the demo storefront read a preview link's token from. */
export const PREVIEW_TOKEN_PARAM = 'personalize_preview';

/**
 * Preview links (`POST /personalize/preview-links`): signed, expiring tokens that force a
 * persona, a stage and/or an experiment's arm for QA and stakeholders. Nothing is stored: the
 * token carries what it forces, and rotating the app's keys revokes every link.
 */
const previewLinks = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  /**
   * The frontend page of the `previewUrl` option (its placeholders filled for the default locale,
   * its query left out: it carries the editor preview's context) with the token.
   */
  const urlFor = (token: string) => {
    const page = previewUrlFor(config().previewUrl, {
      context: {},
      locale: getService(strapi, 'registryLoader').defaultLocale,
      documentId: null,
    });
    if (page === null) return null;
    return `${page.split(/[?#]/)[0]}?${PREVIEW_TOKEN_PARAM}=${encodeURIComponent(token)}`;
  };

  return {
    /**
     * A link forcing what the body names: existing personas and stages, and an arm of an
     * experiment whose entry the role may read (the link shows that arm's published content).
     */
    async create(access: ContentAccess, input: unknown): Promise<PreviewLink> {
      const body = parseOrThrow(previewLinkBodySchema, input ?? {}, 'body');
      if (body.arm !== undefined && body.experiment === undefined)
        refuse(messageOf('previewLink.armWithoutExperiment'), ['arm']);
      if (body.persona === undefined && body.stage === undefined && body.experiment === undefined)
        refuse(messageOf('previewLink.empty'), []);
      const { registry } = getService(strapi, 'registryLoader');
      if (body.persona !== undefined && !registry.personas.some((p) => p.slug === body.persona))
        refuse(messageOf('variant.noPersona', { slug: body.persona }), ['persona']);
      if (body.stage !== undefined && !registry.stages.some((s) => s.slug === body.stage))
        refuse(messageOf('variant.noStage', { slug: body.stage }), ['stage']);
      if (body.experiment !== undefined) {
        const key = body.experiment;
        const row = (await strapi.documents(EXPERIMENT_UID).findFirst({
          filters: { key },
        })) as ExperimentRow | null;
        if (!row) return refuse(messageOf('previewLink.noExperiment', { key }), ['experiment']);
        await access.assertEntry('read', targetRefOf(row));
        if (body.arm !== undefined && !row.arms.some((arm) => arm.key === body.arm))
          refuse(messageOf('previewLink.notAnArm', { arm: body.arm, key }), ['arm']);
      }
      const hours = body.expiresInHours ?? config().previewLinkHours;
      const expiresAt = new Date(Date.now() + hours * HOUR_MS);
      const secret = previewSecret(
        strapi.config.get('server.app.keys') as string[] | undefined,
        config().previewLinkSecret
      );
      const token = signPreviewToken(
        secret,
        {
          ...(body.persona === undefined ? {} : { persona: body.persona }),
          ...(body.stage === undefined ? {} : { stage: body.stage }),
          ...(body.experiment === undefined ? {} : { experiment: body.experiment }),
          ...(body.arm === undefined ? {} : { arm: body.arm }),
        },
        expiresAt
      );
      // The token's expiry is whole seconds: say the same.
      const expires = new Date(Math.floor(expiresAt.getTime() / 1_000) * 1_000);
      return { token, expiresAt: expires.toISOString(), url: urlFor(token) };
    },
  };
};

export default previewLinks;
