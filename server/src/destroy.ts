/**
 * Strapi calls this on shutdown. The plugin holds no timers, connections or subscriptions yet,
 * so there is nothing to release.
 */
const destroy = () => {};

export default destroy;
