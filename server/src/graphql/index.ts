import type { Core } from '@strapi/strapi';

import { PLUGIN_ID } from '../constants';
import { graphqlRequestMiddleware } from './request';
import { schemaExtension, type GraphqlNaming, type SchemaExtension } from './schema';

/** What the plugin uses of `@strapi/plugin-graphql`'s extension service (an optional peer). */
interface GraphqlExtensionService {
  use(configuration: () => SchemaExtension): unknown;
  shadowCRUD(uid: string): { disable(): void; isEnabled(): boolean };
}

const graphqlPlugin = (strapi: Core.Strapi) => strapi.plugin('graphql') as Core.Plugin | undefined;

/**
 * In register(), when the app has Strapi's GraphQL plugin (nothing otherwise): the plugin's own
 * types (rules, draft variants, experiments) stay out of the schema, and the personalization
 * extension is added (graphql/schema.ts). Strapi builds the schema in the GraphQL plugin's
 * bootstrap, from what was registered here.
 */
export const registerGraphql = (strapi: Core.Strapi) => {
  const graphql = graphqlPlugin(strapi);
  if (!graphql) return;
  const extension = graphql.service('extension') as GraphqlExtensionService;
  for (const uid of Object.keys(strapi.contentTypes)) {
    if (uid.startsWith(`plugin::${PLUGIN_ID}.`)) extension.shadowCRUD(uid).disable();
  }
  // Strapi calls this twice per schema build (types first, then resolvers): built once.
  let built: SchemaExtension | undefined;
  extension.use(() => {
    if (built) return built;
    const { naming } = graphql.service('utils') as { naming: GraphqlNaming };
    const shadowCRUD = (graphql.config('shadowCRUD', true) as unknown) !== false;
    built = schemaExtension(
      strapi,
      naming,
      (uid) => shadowCRUD && extension.shadowCRUD(uid).isEnabled()
    );
    return built;
  });
};

/**
 * In bootstrap(): the middleware around the GraphQL endpoint (graphql/request.ts). Returns
 * whether there is one.
 */
export const bootstrapGraphql = (strapi: Core.Strapi) => {
  const graphql = graphqlPlugin(strapi);
  if (!graphql) return false;
  const endpoint = graphql.config('endpoint', '/graphql') as string;
  strapi.server.use(graphqlRequestMiddleware({ strapi, endpoint }));
  return true;
};
