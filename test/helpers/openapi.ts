/**
 * Every response of the plugin's Content API routes that a test receives is checked against
 * docs/openapi.json: `startPlayground` installs `recordResponses`, and each test file fails at
 * its end if one response did not match (see `expectResponsesMatchOpenApi`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Core } from '@strapi/strapi';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Context, Next } from 'koa';

export const OPENAPI_PATH = path.resolve(__dirname, '../../docs/openapi.json');

type Schema = Record<string, unknown>;

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, { content: Record<string, { schema: Schema }> }> };
}

export const openApiDocument = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApiDocument;

/** What a test received, reduced to what the document describes. */
export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

// strictSchema is off because the document's root (openapi, info, paths…) is not a schema; the
// other strict checks (e.g. every `required` property defined) still apply.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictSchema: false, strictTypes: false });
addFormats(ajv);
ajv.addSchema({ ...openApiDocument, $id: 'openapi' });

/** `/api/personalize/content/{type}` → a regex matching one concrete path. */
const templates = Object.keys(openApiDocument.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

const compiled = new Map<string, ValidateFunction>();
const validatorFor = (pointer: string) => {
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
};

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The problems of one response: none when its path, method and status are described and its body
 * matches the schema; a route the document does not describe is a problem too.
 */
export const openApiProblems = ({ method, path: url, status, body }: RecordedResponse) => {
  const where = `${method} ${url} → ${status}`;
  const match = templates.find(({ pattern }) => pattern.test(url));
  if (!match) return [`${where}: the path is not in docs/openapi.json`];
  const verb = method.toLowerCase();
  const operation = openApiDocument.paths[match.template][verb];
  if (!operation) {
    // The router's own answer to a method a route does not have.
    return status === 405 ? [] : [`${where}: the method is not in docs/openapi.json`];
  }
  const response = operation.responses[String(status)];
  if (!response) return [`${where}: the status is not in docs/openapi.json`];
  // A response described without content (a 304) has none.
  if (!response.$ref && !response.content) {
    return body === undefined || body === null || body === ''
      ? []
      : [`${where}: a body where docs/openapi.json describes none`];
  }
  const pointer = response.$ref
    ? `/components/responses/${response.$ref.split('/').pop()}`
    : `/paths/${escape(match.template)}/${verb}/responses/${status}`;
  const validate = validatorFor(`${pointer}/content/application~1json/schema`);
  return validate(body)
    ? []
    : (validate.errors ?? []).map(
        (error) => `${where}: ${error.instancePath || '(body)'} ${error.message}`
      );
};

/** Problems found in this test file's responses, and how many responses were checked. */
export const openApiReport = { checked: 0, problems: [] as string[] };

/** Records every response of `/api/personalize/…` (first in Koa's middleware chain). */
export const recordResponses = (strapi: Core.Strapi) => {
  const recorder = async (ctx: Context, next: Next) => {
    await next();
    // CORS preflights are answered by `strapi::cors`, before any route.
    if (!ctx.path.startsWith('/api/personalize/') || ctx.method === 'OPTIONS') return;
    openApiReport.checked += 1;
    const problems = openApiProblems({
      method: ctx.method,
      path: ctx.path,
      status: ctx.status,
      // A route may answer JSON it serialized itself (the snapshot, built once per version).
      body:
        typeof ctx.body === 'string' && ctx.response.is('json') ? JSON.parse(ctx.body) : ctx.body,
    });
    openApiReport.problems.push(...problems.slice(0, 5));
  };
  // Koa composes its middleware on the first request, so the recorder can still go first here.
  (strapi.server.app.middleware as unknown[]).unshift(recorder);
};

/** For `afterAll`: fails the test file when one of its responses did not match the document. */
export const expectResponsesMatchOpenApi = () => {
  expect(openApiReport.problems).toEqual([]);
};
