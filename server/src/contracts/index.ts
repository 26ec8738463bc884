/**
 * The API contracts: one zod schema for every request body, query and response of the admin API
 * (`/personalize/...`) and the Content API (`/api/personalize/...`), with the types inferred from
 * them. The server validates with the schemas; the admin and the client import the types only
 * (`import type`), so zod stays out of their bundles. Pure TypeScript, like engine/.
 */
export * from './classification';
export * from './common';
export * from './delivery';
export * from './events';
export * from './experiments';
export * from './impact';
export * from './preview';
export * from './profiles';
export * from './rules';
export * from './settings';
export * from './targets';
export * from './variants';
export * from './snapshot';
