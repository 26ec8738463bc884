/**
 * docs/openapi.json describes the Content API; server/src/contracts/ is what the server validates
 * and answers. Each described body and response is compared with its contract's JSON Schema
 * (`z.toJSONSchema`): the same properties, required ones, closed objects and types, so that the
 * document cannot drift from the code. Bounds and descriptions are the document's to word.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import {
  classificationUsageSchema,
  contentPaginationSchema,
  contextQueryFields,
  decideRequestSchema,
  readRequestSchema,
  decideResponseSchema,
  eventSchema,
  eventsRequestSchema,
  eventsResponseSchema,
  personalizationSchema,
  profileEventsBodySchema,
  profileFactsSchema,
  profileResponseSchema,
  profileUseSchema,
  segmentBatchSchema,
  segmentMessageSchema,
  segmentResponseSchema,
  snapshotSchema,
  traitsBodySchema,
  variantCountsSchema,
  variantDuplicateBodySchema,
  variantDuplicateResponseSchema,
  visitorContextSchema,
  visitorIdSchema,
} from '../../server/src/contracts';
import { openApiDocument } from '../helpers/openapi';

type JsonSchema = { [key: string]: unknown };

/** What the comparison keeps of a schema: its shape, not its bounds or words. */
type Shape =
  | { any: true }
  | { type: string }
  | { enum: unknown[] }
  | { union: Shape[] }
  | { array: Shape }
  | { object: Record<string, Shape>; required: string[]; closed: boolean; values?: Shape };

const resolve = (schema: JsonSchema): JsonSchema => {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as JsonSchema)[key], openApiDocument);
  return resolve(target as JsonSchema);
};

const sortShapes = (shapes: Shape[]) =>
  [...new Map(shapes.map((shape) => [JSON.stringify(shape), shape])).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, shape]) => shape);

/** A union of enums and null is one enum, however it was written. */
const union = (members: Shape[]): Shape => {
  const flat = members.flatMap((member) => ('union' in member ? member.union : [member]));
  if (flat.every((member) => 'enum' in member || ('type' in member && member.type === 'null'))) {
    const values = flat.flatMap((member) => ('enum' in member ? member.enum : [null]));
    return { enum: [...new Set(values)].sort((a, b) => String(a).localeCompare(String(b))) };
  }
  const sorted = sortShapes(flat);
  return sorted.length === 1 ? sorted[0] : { union: sorted };
};

const shapeOf = (input: JsonSchema): Shape => {
  const schema = resolve(input);
  if (Array.isArray(schema.enum)) return union([{ enum: schema.enum }]);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return union(alternatives.map(shapeOf));
  if (Array.isArray(schema.type)) {
    return union(schema.type.map((type: string) => shapeOf({ ...schema, type })));
  }
  switch (schema.type) {
    case undefined:
      return { any: true };
    case 'array':
      return { array: shapeOf(schema.items as JsonSchema) };
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const extra = schema.additionalProperties;
      return {
        object: Object.fromEntries(
          Object.keys(properties)
            .sort()
            .map((name) => [name, shapeOf(properties[name])])
        ),
        required: [...((schema.required as string[] | undefined) ?? [])].sort(),
        closed: extra === false,
        ...(typeof extra === 'object' && extra !== null
          ? { values: shapeOf(extra as JsonSchema) }
          : {}),
      };
    }
    default:
      return { type: String(schema.type) };
  }
};

/** What a client sends is the contract's input; what the server answers, its output. */
const contractShape = (schema: z.core.$ZodType, io: 'input' | 'output') =>
  shapeOf(z.toJSONSchema(schema, { io }) as JsonSchema);

const documented = (pointer: string) =>
  shapeOf(
    pointer
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as JsonSchema)[key], openApiDocument) as JsonSchema
  );

const json = 'content/application~1json/schema';

/**
 * The Segment route's body as a client sends it: one message, or a batch of messages. The server
 * parses a batch's messages one by one (`segmentBatchSchema` takes any), as the events route does.
 */
const segmentRequestSchema = z.union([
  segmentMessageSchema,
  segmentBatchSchema.extend({ batch: z.array(segmentMessageSchema).min(1).max(500) }),
]);

describe('docs/openapi.json and the contracts', () => {
  it.each([
    ['the visitor context', 'components/schemas/VisitorContext', visitorContextSchema, 'input'],
    ['an event', 'components/schemas/Event', eventSchema, 'input'],
    [
      'the body of POST /decide',
      `paths/~1api~1personalize~1decide/post/requestBody/${json}`,
      decideRequestSchema,
      'input',
    ],
    [
      'the body of a POST read',
      `paths/~1api~1personalize~1content~1{type}/post/requestBody/${json}`,
      readRequestSchema,
      'input',
    ],
    [
      'the body of a POST read of an entry',
      `paths/~1api~1personalize~1content~1{type}~1{documentId}/post/requestBody/${json}`,
      readRequestSchema,
      'input',
    ],
    [
      'the query parameter track of a GET read',
      'components/parameters/track/schema',
      contextQueryFields.track,
      'input',
    ],
    [
      'the body of POST /events',
      `paths/~1api~1personalize~1events/post/requestBody/${json}`,
      eventsRequestSchema,
      'input',
    ],
    [
      'the answer of POST /decide',
      `paths/~1api~1personalize~1decide/post/responses/200/${json}`,
      decideResponseSchema,
      'output',
    ],
    [
      'the answer of POST /events',
      `paths/~1api~1personalize~1events/post/responses/200/${json}`,
      eventsResponseSchema,
      'output',
    ],
    ['a visitor id in a path', 'components/parameters/visitorId/schema', visitorIdSchema, 'input'],
    [
      'the body of PUT /profiles/{visitorId}/traits',
      `paths/~1api~1personalize~1profiles~1{visitorId}~1traits/put/requestBody/${json}`,
      traitsBodySchema,
      'input',
    ],
    [
      'the answer of PUT /profiles/{visitorId}/traits',
      `paths/~1api~1personalize~1profiles~1{visitorId}~1traits/put/responses/200/${json}`,
      profileResponseSchema,
      'output',
    ],
    [
      'the body of POST /profiles/{visitorId}/events',
      `paths/~1api~1personalize~1profiles~1{visitorId}~1events/post/requestBody/${json}`,
      profileEventsBodySchema,
      'input',
    ],
    [
      'the answer of POST /profiles/{visitorId}/events',
      `paths/~1api~1personalize~1profiles~1{visitorId}~1events/post/responses/200/${json}`,
      profileResponseSchema,
      'output',
    ],
    ['a Segment message', 'components/schemas/SegmentMessage', segmentMessageSchema, 'input'],
    [
      'the body of POST /integrations/segment',
      `paths/~1api~1personalize~1integrations~1segment/post/requestBody/${json}`,
      segmentRequestSchema,
      'input',
    ],
    [
      'the answer of POST /integrations/segment',
      `paths/~1api~1personalize~1integrations~1segment/post/responses/200/${json}`,
      segmentResponseSchema,
      'output',
    ],
    ['the facts of a profile', 'components/schemas/ProfileFacts', profileFactsSchema, 'output'],
    ['the edge snapshot', 'components/schemas/Snapshot', snapshotSchema, 'output'],
    [
      'the answer of GET /personalize/{list}/{documentId}/usage (admin API)',
      `paths/~1personalize~1{list}~1{documentId}~1usage/get/responses/200/${json}/properties/data`,
      classificationUsageSchema,
      'output',
    ],
    [
      'the answer of GET /personalize/variants/counts (admin API)',
      `paths/~1personalize~1variants~1counts/get/responses/200/${json}/properties/data`,
      variantCountsSchema,
      'output',
    ],
    [
      'the body of POST /personalize/variants/{documentId}/duplicate (admin API)',
      `paths/~1personalize~1variants~1{documentId}~1duplicate/post/requestBody/${json}`,
      variantDuplicateBodySchema,
      'input',
    ],
    [
      'the answer of POST /personalize/variants/{documentId}/duplicate (admin API)',
      `paths/~1personalize~1variants~1{documentId}~1duplicate/post/responses/201/${json}`,
      variantDuplicateResponseSchema,
      'output',
    ],
    [
      'meta.pagination of a list',
      'components/schemas/ListResponse/properties/meta/properties/pagination',
      contentPaginationSchema,
      'output',
    ],
    [
      'meta.personalization of the content',
      'components/schemas/Personalization',
      personalizationSchema,
      'output',
    ],
    [
      'meta.personalization.profile of the content',
      'components/schemas/ProfileUse',
      profileUseSchema,
      'output',
    ],
  ] as const)('%s (%s)', (_name, pointer, schema, io) => {
    expect(documented(pointer)).toEqual(contractShape(schema, io));
  });

  it('notices a missing property and a changed type', () => {
    expect(documented('components/schemas/Decision')).not.toEqual(
      contractShape(personalizationSchema, 'output')
    );
    expect(documented('components/schemas/VisitorContext')).not.toEqual(
      contractShape(
        z.strictObject({ ...visitorContextSchema.def.shape, visits: z.string().optional() }),
        'input'
      )
    );
    expect(documented('components/schemas/ProfileUse')).not.toEqual(
      contractShape(profileUseSchema.partial(), 'output')
    );
    // A CDP's message is open (its other fields are ignored): a closed one would differ.
    const [identify, track, page] = segmentMessageSchema.options;
    const closedMessage = z.discriminatedUnion('type', [
      z.strictObject(identify.shape),
      z.strictObject(track.shape),
      z.strictObject(page.shape),
    ]);
    expect(documented('components/schemas/SegmentMessage')).not.toEqual(
      contractShape(closedMessage, 'input')
    );
  });
});

describe('the contracts', () => {
  const folder = path.resolve(__dirname, '../../server/src/contracts');

  it('import nothing but zod, each other and the engine: the admin and the client compile them', () => {
    const files = readdirSync(folder).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const source = readFileSync(path.join(folder, file), 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import)\s*['"]([^'"]+)['"]/g)) {
        expect(`${file}: ${specifier}`).toMatch(/: (zod|\.\/[\w-]+|\.\.\/engine\/[\w-]+)$/);
      }
    }
  });
});
