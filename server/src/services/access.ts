import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import { contentAccess } from '../utils/content-access';

/**
 * What the caller of a service may do with target entries: see utils/content-access.ts. Every
 * service method that reads or writes a target entry takes one.
 */
const access = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The admin behind an admin API request: their role's Content Manager permissions apply. */
  forAdmin(ctx: { state: { userAbility?: unknown; user?: { id: number } } }) {
    if (!ctx.state.userAbility) throw new errors.UnauthorizedError('No admin on this request');
    return contentAccess(strapi, ctx.state.userAbility, ctx.state.user ?? null);
  },

  /** The plugin's own code and the app's seeds and imports: no admin, no restriction. */
  system() {
    return contentAccess(strapi, null);
  },
});

export default access;
