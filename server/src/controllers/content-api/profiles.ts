import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { PLUGIN_ID } from '../../constants';
import {
  profileEventsBodySchema,
  segmentBatchSchema,
  segmentEventName,
  segmentMessageSchema,
  traitsBodySchema,
  traitsSchema,
  visitorIdSchema,
  type SegmentMessage,
} from '../../contracts';
import type { ProfileChange, TraitValue } from '../../engine';
import { messageOf } from '../../engine/messages';
import { requireApiToken } from '../../utils/caller';
import { getService } from '../../utils/get-service';
import { issuesOf, parseOrThrow, refuse, throwValidation } from '../../utils/validation';

const timeOf = (timestamp: string | number | undefined, now: number) =>
  timestamp === undefined ? now : new Date(timestamp).getTime();

/**
 * Trusted sources of visitor profiles (docs/privacy.md): backends, a CRM, a CDP. Each route needs
 * a Strapi API token with its permission (`plugin::personalize.profiles.<action>` in a custom
 * token; a full-access token has them all): 401 without a token, 403 for any other credentials,
 * the Public role included. What they write is there for the very next response, on any instance.
 */
const profiles = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'profiles');

  const requireToken = (ctx: Context, action: string) =>
    requireApiToken(
      strapi,
      ctx,
      `plugin::${PLUGIN_ID}.profiles.${action}`,
      'Only a Strapi API token may write visitor profiles'
    );

  function checkedTraits(traits: Record<string, TraitValue>, path: string[]) {
    const refused = service().personalDataIn(traits);
    if (refused.length > 0) {
      refuse(messageOf('profiles.personalData', { keys: refused.join(', ') }), path);
    }
    return traits;
  }

  /** A Segment message as profile changes, for its visitor (its userId, else anonymousId). */
  const fromSegment = (
    message: SegmentMessage,
    now: number
  ): { visitorId: string; changes: ProfileChange[] } | string => {
    const visitorId = message.userId ?? message.anonymousId;
    if (!visitorId) return 'a userId or an anonymousId is required';
    const at = timeOf(message.timestamp, now);
    if (message.type === 'track') {
      return { visitorId, changes: [{ kind: 'event', at, name: segmentEventName(message.event) }] };
    }
    if (message.type === 'page') {
      return { visitorId, changes: [{ kind: 'view', at, signals: [], stage: null }] };
    }
    const traits = traitsSchema.safeParse(message.traits ?? {});
    if (!traits.success) {
      return issuesOf(traits.error)
        .map((issue) => `traits.${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
    }
    const refused = service().personalDataIn(traits.data);
    if (refused.length > 0)
      return messageOf('profiles.personalData', { keys: refused.join(', ') }).message;
    return { visitorId, changes: [{ kind: 'traits', at, traits: traits.data, replace: false }] };
  };

  return {
    /** `PUT /api/personalize/profiles/:visitorId/traits`: replaces the profile's traits. */
    async updateTraits(ctx: Context) {
      await requireToken(ctx, 'updateTraits');
      const visitorId = parseOrThrow(visitorIdSchema, ctx.params.visitorId, 'visitorId');
      const { traits } = parseOrThrow(traitsBodySchema, ctx.request.body, 'body');
      const changes: ProfileChange[] = [
        {
          kind: 'traits',
          at: Date.now(),
          traits: checkedTraits(traits, ['traits']),
          replace: true,
        },
      ];
      await service().recordNow(new Map([[visitorId, changes]]));
      ctx.body = { data: await service().describe(visitorId), meta: {} };
    },

    /** `POST /api/personalize/profiles/:visitorId/events`: named events (a purchase in the shop). */
    async recordEvents(ctx: Context) {
      await requireToken(ctx, 'recordEvents');
      const visitorId = parseOrThrow(visitorIdSchema, ctx.params.visitorId, 'visitorId');
      const { events } = parseOrThrow(profileEventsBodySchema, ctx.request.body, 'body');
      const now = Date.now();
      const changes = events.map(
        ({ name, timestamp }): ProfileChange => ({
          kind: 'event',
          at: timeOf(timestamp, now),
          name,
        })
      );
      await service().recordNow(new Map([[visitorId, changes]]));
      ctx.body = { data: await service().describe(visitorId), meta: {} };
    },

    /**
     * `POST /api/personalize/integrations/segment`: Segment's `identify` (traits), `track`
     * (an event) and `page` (a page view) specs, one or a `batch`. The visitor is the message's
     * `userId`, else its `anonymousId`: the frontend's visitor id must be one of them.
     */
    async segment(ctx: Context) {
      await requireToken(ctx, 'segment');
      const batch = segmentBatchSchema.safeParse(ctx.request.body);
      const messages: unknown[] = batch.success
        ? batch.data.batch
        : [parseOrThrow(segmentMessageSchema, ctx.request.body, 'body')];
      const now = Date.now();
      const changes = new Map<string, ProfileChange[]>();
      const rejected: { index: number; error: string }[] = [];
      messages.forEach((input, index) => {
        const parsed = segmentMessageSchema.safeParse(input);
        const result = parsed.success
          ? fromSegment(parsed.data, now)
          : issuesOf(parsed.error)
              .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
              .join('; ');
        if (typeof result === 'string') {
          rejected.push({ index, error: result });
          return;
        }
        changes.set(result.visitorId, [
          ...(changes.get(result.visitorId) ?? []),
          ...result.changes,
        ]);
      });
      if (!batch.success && rejected.length > 0) {
        throwValidation(`Invalid Segment message: ${rejected[0].error}`, [
          { path: [], message: rejected[0].error },
        ]);
      }
      await service().recordNow(changes);
      ctx.body = { data: { accepted: messages.length - rejected.length, rejected }, meta: {} };
    },
  };
};

export default profiles;
