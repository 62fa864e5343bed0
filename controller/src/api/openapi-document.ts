import { z } from 'zod';
import type { RegisteredRoute } from './router.ts';
import type { RouteDoc } from './route-doc.ts';

/** A JSON Schema (2020-12, the dialect OpenAPI 3.1 uses) as z.toJSONSchema writes it. */
type JsonSchema = Record<string, unknown>;

/** Every 4xx answer of the API: `{ error, details }` (see api-error.ts). */
export const apiErrorSchema = z
  .object({
    error: z.string().meta({ description: 'What was wrong, in one sentence' }),
    details: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .meta({ description: 'Which field was wrong and what was expected' }),
  })
  .meta({ description: 'A refusal: nothing was changed' });

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'No or wrong operator token',
  404: 'Not found',
  409: 'Conflict with the state of the plant or the ledger',
  413: 'Body too large',
  415: 'Body is not application/json',
};

/** Request schemas describe what a client sends: defaults and coercions make fields optional or textual. */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** `/api/devices/:id` -> `/api/devices/{id}` */
export function openApiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function errorResponse(description: string): JsonSchema {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } };
}

function operationOf(route: RegisteredRoute, doc: RouteDoc): JsonSchema {
  const parameters: JsonSchema[] = [];
  for (const name of route.pattern.match(/:([A-Za-z0-9_]+)/g) ?? []) {
    const key = name.slice(1);
    parameters.push({
      name: key,
      in: 'path',
      required: true,
      description: doc.params?.[key] ?? key,
      schema: { type: 'string' },
    });
  }
  if (doc.query) {
    const query = jsonSchemaOf(doc.query);
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  }
  const responses: Record<string, JsonSchema> = {};
  const answer = doc.response;
  if (answer === undefined) responses['200'] = { description: 'OK', content: { 'application/json': { schema: {} } } };
  else if ('json' in answer)
    responses['200'] = {
      description: answer.description,
      content: { 'application/json': { schema: jsonSchemaOf(answer.json) } },
    };
  else responses['200'] = { description: answer.description, content: { [answer.mediaType]: { schema: {} } } };
  const refusals: Record<number, string> = {};
  for (const [status, description] of Object.entries(doc.refusals ?? {}))
    if (description !== undefined) refusals[Number(status)] = description;
  if (doc.body) {
    refusals[400] ??= 'The body does not match the schema (the field is named)';
    refusals[413] ??= STATUS_TEXT[413]!;
    refusals[415] ??= STATUS_TEXT[415]!;
  }
  if (doc.query) refusals[400] ??= 'A query field is not what the schema expects (the field is named)';
  if (doc.access === 'operator') refusals[401] = STATUS_TEXT[401]!;
  for (const [status, description] of Object.entries(refusals)) responses[status] = errorResponse(description);

  return {
    operationId: `${route.method.toLowerCase()}${route.pattern
      .split('/')
      .filter(Boolean)
      .map((part) => part.replace(/^:/, 'by-'))
      .map((part) => part.replace(/(^|[-_.])([a-z0-9])/gi, (_m, _sep: string, c: string) => c.toUpperCase()))
      .join('')}`,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(doc.body) } } } }
      : {}),
    responses,
    ...(doc.access === 'operator' ? { security: [{ operatorToken: [] }] } : {}),
  };
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

/**
 * The OpenAPI 3.1 document of the routes that carry a description. A route without one is left out, and the API
 * tests fail on it: a new route has to say what it takes and answers.
 */
export function openApiDocument(routes: readonly RegisteredRoute[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    if (!route.doc) continue;
    tags.add(route.doc.tag);
    const item = (paths[openApiPath(route.pattern)] ??= {});
    item[route.method.toLowerCase()] = operationOf(route, route.doc);
  }
  return {
    openapi: '3.1.0',
    info,
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ApiError: jsonSchemaOf(apiErrorSchema) },
      securitySchemes: {
        operatorToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The operator's token (GRIDCOOP_API_TOKEN, or api.token in the configuration file)",
        },
      },
    },
  };
}
