import { createHash, createHmac } from 'node:crypto';

import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../../config';
import { PLUGIN_ID } from '../../constants';
import { addressKey } from '../../utils/client-address';
import { dayOf } from './rows';

/**
 * What is stored instead of a visitor id or a client address: HMACs under a key from
 * `visitorIdSecret`, or else derived from the app's `APP_KEYS`.
 */
export const visitorHashing = (strapi: Core.Strapi) => {
  let secret: string | undefined;
  const hmacKey = () => {
    secret ??=
      (strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig).visitorIdSecret ??
      createHash('sha256')
        .update(
          `strapi-plugin-personalize:visitor-id:${(strapi.config.get('server.app.keys') as string[] | undefined)?.join(',') ?? ''}`
        )
        .digest('hex');
    return secret;
  };

  return {
    hashVisitor: (visitorId: string) =>
      createHmac('sha256', hmacKey()).update(visitorId).digest('hex'),

    /**
     * What a rate limit counts a client address (its /64 for IPv6) under: an HMAC, since the
     * count may live in a shared Redis, where no address is written.
     */
    limitKey: (address: string) =>
      createHmac('sha256', hmacKey())
        .update(`limit:${addressKey(address)}`)
        .digest('base64url')
        .slice(0, 22),

    /**
     * What is stored of a client address (of its /64 for IPv6): 6 hex digits (24 bits, so about
     * 256 IPv4 addresses share each value) of an HMAC whose key is derived from the app's secret
     * and the UTC day the server received the event on, so the value changes every day; null
     * without an address.
     */
    sourceOf: (address: string | null, receivedAt: Date) =>
      address === null
        ? null
        : createHmac('sha256', hmacKey())
            .update(`source:${dayOf(receivedAt)}:${addressKey(address)}`)
            .digest('hex')
            .slice(0, 6),
  };
};

export type VisitorHashing = ReturnType<typeof visitorHashing>;
