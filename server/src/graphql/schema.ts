import type { Core, Schema, Struct } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import { graphqlDecideArgsSchema } from '../contracts';
import { emptyDecision } from '../engine';
import { personalizationMeta } from '../services/delivery';
import { notOverridable } from '../services/overrides';
import { decideTarget } from '../utils/decide-target';
import { targetContentTypes } from '../utils/targets';
import { parseStorableOrThrow } from '../utils/validation';
import { readBodyContext } from '../utils/visitor-context';
import { callOf, decisionOf, type GraphqlRequest, type ResponsePath } from './request';

type Attribute = Schema.Attribute.AnyAttribute;
type Row = Record<string, unknown>;

/** What a resolver is called with (graphql-js), as far as the plugin reads it. */
interface ResolveInfo {
  operation: { operation: string };
  path: ResponsePath;
}
type Resolver = (parent: unknown, args: Row, context: unknown, info: ResolveInfo) => unknown;
type ResolverMiddleware = (
  resolve: Resolver,
  parent: unknown,
  args: Row,
  context: unknown,
  info: ResolveInfo
) => unknown;

/** What the plugin gives Strapi's GraphQL extension service (`extension.use`). */
export interface SchemaExtension {
  typeDefs: string;
  resolvers: Record<string, Record<string, Resolver>>;
  resolversConfig: Record<string, { auth?: false; middlewares?: ResolverMiddleware[] }>;
}

/** The names Strapi's GraphQL gives content types and components (its `utils` service). */
export interface GraphqlNaming {
  getTypeName(contentType: Struct.ContentTypeSchema): string;
  getComponentName(component: Struct.ComponentSchema): string;
}

const FILE_UID = 'plugin::upload.file';
const PERSONALIZATION_FIELD = 'personalization';

/**
 * The types the plugin adds. `PersonalizationMeta` is `meta.personalization` of a REST read and
 * `PersonalizationDecision` the `data` of `POST /api/personalize/decide` (contracts/delivery.ts;
 * the API test compares them). Closed vocabularies (reason, sources) are strings with the REST
 * values, not enums: `persona+stage` is no GraphQL name.
 */
/** What a decision says, in both types. */
const DECISION_FIELDS = `
  persona: String
  stage: String
  variant: PersonalizationVariant
  """persona+stage, persona, stage, rule, default, no-consent or experiment."""
  reason: String!
  """Names what the entry contains: base, or a hash of the variant served."""
  segment: String!
  warnings: [String!]!
  experiment: PersonalizationExperiment
  profile: PersonalizationProfile`;

const TYPE_DEFS = `
"""The variant served (null: the base entry)."""
type PersonalizationVariant {
  documentId: ID!
  name: String!
}

"""The experiment that decided the content and the arm the visitor is in."""
type PersonalizationExperiment {
  key: String!
  arm: String!
}

"""What the visitor's profile added to the context (only when one did)."""
type PersonalizationProfile {
  visits: Int!
  pageViews: Int!
  topInterest: String
  stageReached: String
}

"""
Who the visitor is and what they got for this entry: meta.personalization of a REST read.
personaSource and stageSource: explicit, rule or profile.
"""
type PersonalizationMeta {
  ${DECISION_FIELDS}
  personaSource: String
  stageSource: String
}

"""The decision for one entry without its content: POST /api/personalize/decide's data."""
type PersonalizationDecision {
  ${DECISION_FIELDS}
}

extend type Query {
  """
  The decision for one entry (as POST /api/personalize/decide): targetUid as the REST reads name
  the type (articles, homepage) or its UID; documentId for a collection type; context the visitor
  context (default: the request's X-Personalize-Context). The caller needs the permission to
  read the entry.
  """
  personalizeDecide(
    targetUid: String!
    documentId: ID
    locale: String
    context: JSON
  ): PersonalizationDecision!
}
`;

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null;

/**
 * Marks every object of a variant's value: the fields under it resolve from it. (The sanitizer
 * that shaped it makes objects that are not all plain.)
 */
const markVariantValue = (request: GraphqlRequest, value: unknown) => {
  if (Array.isArray(value)) {
    for (const item of value) markVariantValue(request, item);
  } else if (isRow(value)) {
    request.variantValues.add(value);
    for (const item of Object.values(value)) markVariantValue(request, item);
  }
};

/** A list as a `_connection` field returns it (core's `toEntityResponseCollection`). */
const connectionOf = (nodes: unknown[], resourceUID: string) => ({
  nodes,
  info: { args: { start: 0, limit: Math.max(nodes.length, 1) }, resourceUID },
});

/** How GraphQL gets an attribute's value: as it is, as a list, or as a `_connection`. */
type Shape = 'value' | 'list' | 'connection';

/** The GraphQL fields of an attribute: `name`, and `name_connection` for a list of media or relations. */
const fieldsOf = (name: string, attribute: Attribute): [string, Shape][] => {
  const many =
    (attribute.type === 'media' && attribute.multiple === true) ||
    (attribute.type === 'relation' && attribute.relation.endsWith('Many'));
  return many
    ? [
        [name, 'list'],
        [`${name}_connection`, 'connection'],
      ]
    : [[name, 'value']];
};

const targetOf = (attribute: Attribute) =>
  attribute.type === 'relation' && 'target' in attribute && typeof attribute.target === 'string'
    ? attribute.target
    : FILE_UID;

/**
 * The schema extension: a `personalization` field on every type that can have variants,
 * `personalizeDecide`, and resolver middlewares that serve a variant's values. Every field a
 * variant can override resolves, for a query with a visitor context, from the entry's decision
 * (made once per entry and request, wherever the entry is reached: a root query, a connection, a
 * relation or a component at any depth). Below a variant's component the media and components
 * come from the variant too. Everything else is core's: its permissions, sanitization and drafts.
 */
export const schemaExtension = (
  strapi: Core.Strapi,
  naming: GraphqlNaming,
  isExposed: (uid: string) => boolean
): SchemaExtension => {
  const typeDefs = [TYPE_DEFS];
  const resolvers: SchemaExtension['resolvers'] = {
    Query: {
      async personalizeDecide(_parent, args, context) {
        const call = callOf(context);
        if (!call)
          throw new errors.ApplicationError('personalizeDecide runs at the GraphQL endpoint');
        const input = parseStorableOrThrow(graphqlDecideArgsSchema, args, 'arguments');
        const { data, dependence, target, visitor } = await decideTarget(
          strapi,
          call.ctx,
          {
            targetUid: input.targetUid,
            targetDocumentId: input.documentId,
            locale: input.locale ?? undefined,
          },
          async () =>
            input.context === undefined || input.context === null
              ? call.request.visitor
              : readBodyContext(strapi, call.ctx, input.context)
        );
        call.request.outcomes.push({
          variantDocumentId: data.variant?.documentId ?? null,
          stage: data.stage,
          dependence,
          target,
          visitor,
          depth: 0,
        });
        return data;
      },
    },
  };
  const resolversConfig: SchemaExtension['resolversConfig'] = {
    // The caller needs the permission to read the target, which the arguments name.
    'Query.personalizeDecide': { auth: false },
  };

  for (const contentType of targetContentTypes(strapi)) {
    if (!isExposed(contentType.uid)) continue;
    const { uid, attributes } = contentType;
    const typeName = naming.getTypeName(contentType);
    if (Object.hasOwn(attributes, PERSONALIZATION_FIELD)) {
      strapi.log.warn(
        `[personalize] ${uid} has an attribute named "${PERSONALIZATION_FIELD}": its GraphQL type gets no personalization field`
      );
    } else {
      typeDefs.push(`extend type ${typeName} { ${PERSONALIZATION_FIELD}: PersonalizationMeta }`);
      resolvers[typeName] = {
        [PERSONALIZATION_FIELD](parent, _args, context, info) {
          const call = callOf(context);
          const decision =
            call?.request.visitor && info.operation.operation === 'query' && isRow(parent)
              ? decisionOf(strapi, call, uid, parent, info.path)
              : emptyDecision();
          return personalizationMeta(decision, call?.request.visitor);
        },
      };
    }
    for (const [name, attribute] of Object.entries(attributes) as [string, Attribute][]) {
      if (notOverridable(name, attribute) !== null) continue;
      for (const [field, shape] of fieldsOf(name, attribute)) {
        const serveVariant: ResolverMiddleware = (resolve, parent, args, context, info) => {
          const call = callOf(context);
          if (!call?.request.visitor || info.operation.operation !== 'query' || !isRow(parent))
            return resolve(parent, args, context, info);
          const overrides = decisionOf(strapi, call, uid, parent, info.path).variant?.overrides;
          if (!overrides || !Object.hasOwn(overrides, name))
            return resolve(parent, args, context, info);
          const value = overrides[name];
          markVariantValue(call.request, value);
          if (shape === 'value') return value;
          const list = Array.isArray(value) ? value : [];
          return shape === 'list' ? list : connectionOf(list, FILE_UID);
        };
        resolversConfig[`${typeName}.${field}`] = { middlewares: [serveVariant] };
      }
    }
  }

  // Below a variant's component, what core would load by the base row's id comes from the variant.
  for (const component of Object.values(strapi.components) as Struct.ComponentSchema[]) {
    const typeName = naming.getComponentName(component);
    for (const [name, attribute] of Object.entries(component.attributes) as [string, Attribute][]) {
      if (!['media', 'component', 'dynamiczone', 'relation'].includes(attribute.type)) continue;
      for (const [field, shape] of fieldsOf(name, attribute)) {
        const serveVariantValue: ResolverMiddleware = (resolve, parent, args, context, info) => {
          const call = callOf(context);
          if (!call || !isRow(parent) || !call.request.variantValues.has(parent))
            return resolve(parent, args, context, info);
          // Relations are not the variant's: the base component's, when the value kept its id.
          if (attribute.type === 'relation' && typeof parent.id === 'number')
            return resolve(parent, args, context, info);
          const value = attribute.type === 'relation' ? null : parent[name];
          if (shape === 'value') return value ?? null;
          const list = Array.isArray(value) ? value : [];
          return shape === 'list' ? list : connectionOf(list, targetOf(attribute));
        };
        resolversConfig[`${typeName}.${field}`] = { middlewares: [serveVariantValue] };
      }
    }
  }

  return { typeDefs: typeDefs.join('\n'), resolvers, resolversConfig };
};
