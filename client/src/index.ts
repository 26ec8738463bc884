/**
 * The frontend client of strapi-plugin-personalize (`strapi-plugin-personalize/client`): typed
 * calls to the delivery API, batched event tracking, and the browser's visitor context. No
 * dependency beyond `fetch`; works in browsers, Node 20 and edge runtimes.
 */
export * from './types';
export * from './client';
export * from './context';
