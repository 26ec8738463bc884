import { errors } from '@strapi/utils';
import type { Context } from 'koa';

/** The Content Manager actions that still apply to a variant's target type. */
export const CONTENT_ACTIONS = {
  read: 'plugin::content-manager.explorer.read',
  update: 'plugin::content-manager.explorer.update',
  publish: 'plugin::content-manager.explorer.publish',
} as const;

type ContentAction = keyof typeof CONTENT_ACTIONS;

interface Ability {
  can(action: string, subject?: string): boolean;
}

/** Whether the admin of this request may do `action` on entries of `uid` in the Content Manager. */
export const canOnContent = (ctx: Context, action: ContentAction, uid: string): boolean => {
  const ability = ctx.state.userAbility as Ability | undefined;
  return ability?.can(CONTENT_ACTIONS[action], uid) === true;
};

/**
 * 403 unless the admin may do `action` on `uid` in the Content Manager. A PolicyError, because
 * Strapi replaces the message of any other ForbiddenError thrown behind a route with "Forbidden".
 */
export const assertCanOnContent = (ctx: Context, action: ContentAction, uid: string): void => {
  if (!canOnContent(ctx, action, uid)) {
    throw new errors.PolicyError(
      `The Content Manager permission "${action}" on ${uid} is required for its variants`
    );
  }
};
