import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { z } from 'zod';
import { openApiDocument, openApiPath } from '../../src/api/openapi-document.ts';
import {
  apiIndexSchema,
  energyReadSchema,
  gridSetpointResponseSchema,
  scheduleReadSchema,
  scheduleResponseSchema,
  serviceResponseSchema,
} from '../../src/api/operator-responses.ts';
import { Router, type RegisteredRoute } from '../../src/api/router.ts';
import { startControllerFixture, type ControllerFixture } from '../service/controller-fixture.ts';

type Document = { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };

/** The routes of a router that the document does not describe, as "METHOD /path". */
function undescribed(routes: readonly RegisteredRoute[], document: Document): string[] {
  return routes
    .filter((route) => document.paths[openApiPath(route.pattern)]?.[route.method.toLowerCase()] === undefined)
    .map((route) => `${route.method} ${route.pattern}`);
}

const info = { title: 't', version: '1', description: 'd' };

describe('the OpenAPI description of the operator API', () => {
  let f: ControllerFixture;

  before(async () => {
    f = await startControllerFixture();
  });
  after(async () => {
    await f?.stop();
  });

  test('GET /api/openapi.json is a valid OpenAPI 3.1 document', async () => {
    const { status, body } = await f.api('/api/openapi.json', { token: null });
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(body);
    assert.deepEqual(result.errors ?? [], [], 'the validator finds no error');
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
  });

  test('it describes every route the server answers, and nothing it does not', async () => {
    const document = (await f.api('/api/openapi.json', { token: null })).body as Document;
    const routes = f.controller.api.routes;
    assert.ok(routes.length >= 20, `the router has ${routes.length} routes`);
    assert.deepEqual(undescribed(routes, document), []);
    const described = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(
      described.sort(),
      routes.map((r) => `${r.method} ${openApiPath(r.pattern)}`).sort(),
      'one operation per route',
    );
  });

  test('a route registered without a description is missing from the document, so the check above fails on it', () => {
    const router = new Router()
      .on('GET', '/api/described', () => ({}), { tag: 't', access: 'open', summary: 'described' })
      .on('POST', '/api/new/:id', () => ({}));
    const document = openApiDocument(router.list(), info) as Document;
    assert.deepEqual(undescribed(router.list(), document), ['POST /api/new/:id']);
  });

  test('request bodies and query strings come from the zod schemas the handlers parse with; writes need the token', async () => {
    const { paths } = (await f.api('/api/openapi.json', { token: null })).body as Document;
    const put = paths['/api/grid-setpoint']!.put!;
    const schema = (put.requestBody as { content: Record<string, { schema: Record<string, unknown> }> }).content[
      'application/json'
    ]!.schema;
    assert.equal(schema.additionalProperties, false, 'the schema is strict, as the handler is');
    assert.deepEqual(schema.required, ['gridTargetW']);
    assert.deepEqual(put.security, [{ operatorToken: [] }]);
    assert.ok((put.responses as Record<string, unknown>)['401'], 'a write says it can be refused without the token');
    // A field the document does not know is refused by the server too.
    const refused = await f.api('/api/grid-setpoint', { method: 'PUT', json: { gridTargetW: 0, extra: 1 } });
    assert.equal(refused.status, 400);

    const history = paths['/api/history']!.get!;
    const parameters = history.parameters as Array<{ name: string; in: string; required: boolean }>;
    assert.deepEqual(parameters.map((p) => `${p.in}:${p.name}:${p.required}`).sort(), [
      'query:from:false',
      'query:step:false',
      'query:to:false',
    ]);
    const device = paths['/api/devices/{id}']!.get!;
    assert.deepEqual(
      (device.parameters as Array<{ name: string; in: string }>).map((p) => `${p.in}:${p.name}`),
      ['path:id'],
    );
    assert.equal(paths['/api/status']!.get!.security, undefined, 'reads are open');
  });

  test('the answers the document describes are what the server answers (parsed with the same schemas, no field more)', async () => {
    const { paths } = (await f.api('/api/openapi.json', { token: null })).body as Document;
    const answers: Array<[string, z.ZodObject, { status: number; body: unknown }]> = [];
    const now = f.scheduler.now();
    answers.push([
      'PUT /api/grid-setpoint',
      gridSetpointResponseSchema,
      await f.api('/api/grid-setpoint', {
        method: 'PUT',
        json: { gridTargetW: -(f.controller.service.plant.exportCapW + 5_000), validForS: 60 },
      }),
    ]);
    answers.push([
      'PUT /api/schedule',
      scheduleResponseSchema,
      await f.api('/api/schedule', {
        method: 'PUT',
        json: [{ fromMs: now + 3_600_000, toMs: now + 7_200_000, gridTargetW: 2_000 }],
      }),
    ]);
    answers.push(['GET /api/schedule', scheduleReadSchema, await f.api('/api/schedule', { token: null })]);
    answers.push([
      'POST /api/devices/{id}/service',
      serviceResponseSchema,
      await f.api('/api/devices/pv-1/service', { method: 'POST', json: { inService: true } }),
    ]);
    answers.push(['GET /api', apiIndexSchema, await f.api('/api', { token: null })]);
    answers.push(['GET /api/energy', energyReadSchema, await f.api('/api/energy', { token: null })]);
    for (const [route, schema, answer] of answers) {
      assert.equal(answer.status, 200, `${route}: ${JSON.stringify(answer.body)}`);
      const parsed = schema.safeParse(answer.body);
      assert.ok(parsed.success, `${route}: ${parsed.error?.message}`);
      assert.deepEqual(Object.keys(answer.body as object).sort(), Object.keys(schema.shape).sort(), route);
      const [method, path] = route.split(' ') as [string, string];
      const documented = (paths[path]![method.toLowerCase()]!.responses as Record<string, { content: object }>)['200']!;
      assert.ok(JSON.stringify(documented.content).includes('"properties"'), `${route} documents its answer`);
    }
    const [, , held] = answers[0]!;
    assert.equal(
      (held.body as { applied: { gridTargetW: number } }).applied.gridTargetW,
      -f.controller.service.plant.exportCapW,
      'held at the export cap',
    );
  });

  test('GET /api points to the document and the docs page, which Swagger UI serves from the controller itself', async () => {
    const index = await f.api('/api', { token: null });
    assert.equal(index.status, 200);
    assert.equal(index.body.openapi, '/api/openapi.json');
    assert.equal(index.body.docs, '/api/docs');
    assert.ok(index.body.routes.includes('PUT /api/grid-setpoint'));

    const page = await fetch(`${f.controller.api.url}/api/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /\/api\/openapi\.json/);
    assert.doesNotMatch(html, /https?:\/\//, 'no CDN: every asset comes from the controller');
    for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const response = await fetch(`${f.controller.api.url}${asset[1]}`);
      assert.equal(response.status, 200, `${asset[1]} is served`);
      assert.ok((await response.arrayBuffer()).byteLength > 0);
    }
    const bundle = await fetch(`${f.controller.api.url}/api/docs/swagger-ui-bundle.js`);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await bundle.text()).includes('SwaggerUIBundle'));
    const other = await f.api('/api/docs/package.json', { token: null });
    assert.equal(other.status, 404);
    assert.match(other.body.error, /package\.json/);
    const traversal = await f.api('/api/docs/..%2F..%2Fpackage.json', { token: null });
    assert.equal(traversal.status, 404);
  });
});
