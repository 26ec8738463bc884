import { ACTIONS } from './permissions';

export interface AdminContext {
  state: { userAbility?: { can(action: string): boolean } };
}

/**
 * Route policies of the admin API beyond Strapi's `admin::hasPermissions` (which requires every
 * action it names): `plugin::personalize.may-erase` lets erasure through with either action.
 */
export default {
  // Experimenters always could erase a visitor; `profiles.erase` is the action made for it.
  'may-erase': (ctx: AdminContext) =>
    [ACTIONS.profilesErase, ACTIONS.experiments].some(
      (action) => ctx.state.userAbility?.can(action) === true
    ),
};
