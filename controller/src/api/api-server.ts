import type { Logger } from 'pino';
import { OperatorSetpointError } from '../control/operator-setpoints.ts';
import { OperatorConflictError, UnknownDeviceError, WrongNatureError } from '../service/operator-errors.ts';
import { HistoryQueryError } from '../service/device-history.ts';
import type { ControllerService } from '../service/controller-service.ts';
import { ApiError, type ApiErrorDetail } from './api-error.ts';
import { requireOperator } from './bearer-auth.ts';
import {
  acknowledgeRequestSchema,
  gridSetpointRequestSchema,
  historyQuerySchema,
  energyQuerySchema,
  ledgerRecordsQuerySchema,
  requeueRequestSchema,
  fleetOwnerRequestSchema,
  scheduleRequestSchema,
  serviceRequestSchema,
} from './operator-requests.ts';
import { sendDocsAsset, sendDocsPage } from './api-docs-page.ts';
import { openApiDocument } from './openapi-document.ts';
import {
  acknowledgeResponseSchema,
  apiIndexSchema,
  gridSetpointResponseSchema,
  requeueResponseSchema,
  fleetOwnerResponseSchema,
  scheduleReadSchema,
  energyReadSchema,
  scheduleResponseSchema,
  serviceResponseSchema,
} from './operator-responses.ts';
import { operatorTargetView, planView, scheduleView, setpointsView, statusView } from './operator-views.ts';
import { ProcessImageStream } from './process-image-stream.ts';
import { parsedBodyOf, readJsonBody } from './request-body.ts';
import { Router, type RegisteredRoute, type RouteContext } from './router.ts';
import { serveRouter } from './router-server.ts';

export interface ApiServerOptions {
  host: string;
  /** 0 = the OS picks. */
  port: number;
  /** The operator's bearer token; null = every write refused. */
  token: string | null;
  corsOrigins: readonly string[];
  logger: Logger;
}

export interface RunningApiServer {
  /** http://host:port */
  url: string;
  port: number;
  stream: ProcessImageStream;
  /** Every route the server answers, for the API description's tests. */
  routes: readonly RegisteredRoute[];
  close(): Promise<void>;
}

/** An OperatorSetpointError's issues are "path: message" strings; the API gives them as details. */
function detailsOf(issues: readonly string[]): ApiErrorDetail[] {
  return issues.map((issue) => {
    const at = issue.indexOf(': ');
    if (at <= 0) return { path: '(body)', message: issue };
    // The operator setpoints name the target gridW; the API's field is gridTargetW (operator-views.ts).
    const path = issue.slice(0, at).replace(/(^|\.)gridW$/, '$1gridTargetW');
    return { path, message: issue.slice(at + 2) };
  });
}

/** Maps a refusal to its status; anything else is a 500 (and logged), never a crash. */
function asApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof UnknownDeviceError)
    return new ApiError(404, error.message, [{ path: 'id', message: 'unknown device' }]);
  if (error instanceof WrongNatureError)
    return new ApiError(409, error.message, [{ path: 'id', message: `is a ${error.nature}` }]);
  if (error instanceof OperatorSetpointError) return new ApiError(400, error.message, detailsOf(error.issues));
  if (error instanceof HistoryQueryError)
    return new ApiError(400, `history query: ${error.message}`, [{ path: error.field, message: error.message }]);
  if (error instanceof OperatorConflictError)
    return new ApiError(409, error.message, [{ path: error.path, message: error.message }]);
  return null;
}

function parse<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } },
  input: unknown,
  what: string,
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw ApiError.fromZod(result.error, what);
  return result.data;
}

/** The routes of the operator API over one service. Reads are open; writes need the operator token. */
function routesFor(service: ControllerService, stream: ProcessImageStream, token: string | null): Router {
  // Every write, applied or refused, goes to the audit log with what was sent and what was answered.
  const write = (handler: (context: RouteContext) => Promise<unknown>) => async (context: RouteContext) => {
    const { req, url } = context;
    const audit = (status: number, outcome: 'applied' | 'refused', response: unknown): void =>
      service.audit.record({
        kind: 'operator-write',
        atMs: service.scheduler.now(),
        method: req.method ?? 'POST',
        path: url.pathname,
        ...(parsedBodyOf(req) !== undefined ? { request: parsedBodyOf(req) } : {}),
        status,
        outcome,
        response,
        remoteAddress: req.socket.remoteAddress ?? null,
      });
    try {
      requireOperator(req, token);
      const result = await handler(context);
      audit(200, 'applied', result);
      return result;
    } catch (error) {
      const refusal = asApiError(error);
      audit(
        refusal?.status ?? 500,
        'refused',
        refusal ? { error: refusal.message, details: refusal.details } : { error: 'internal error (logged)' },
      );
      throw error;
    }
  };
  const router = new Router()
    .on('GET', '/api/status', () => statusView(service.status()), {
      tag: 'plant',
      access: 'open',
      summary: 'Plant state, policy version in force, cycle statistics, device counts and site powers',
    })
    .on('GET', '/api/devices', () => service.devices(), {
      tag: 'plant',
      access: 'open',
      summary: 'Every device with its state, last reading and retry state',
    })
    .on('GET', '/api/devices/:id', ({ params }) => service.device(params.id!), {
      tag: 'plant',
      access: 'open',
      summary: 'One device',
      params: { id: 'device id from the configuration, e.g. battery-1' },
      refusals: { 404: 'No device with that id' },
    })
    .on('GET', '/api/setpoints', () => setpointsView(service.setpoints()), {
      tag: 'plant',
      access: 'open',
      summary: "The last cycle's setpoints, each with the controller that bound it and why",
    })
    .on('GET', '/api/plan', () => planView(service.plan()), {
      tag: 'plant',
      access: 'open',
      summary:
        'The day-ahead plan (15-minute steps; batteryPowerW and minerPowerW generation positive, gridW import positive)',
    })
    .on('GET', '/api/policy', () => service.policy(), {
      tag: 'plant',
      access: 'open',
      summary: 'The allocation policy in force and one waiting in its timelock',
    })
    .on('GET', '/api/cycle', () => service.cycleStats(), {
      tag: 'plant',
      access: 'open',
      summary: 'Control-cycle timing: percentiles, overruns, skipped and dropped ticks',
    })
    .on('GET', '/api/forecast', () => service.forecast(), {
      tag: 'plant',
      access: 'open',
      summary: 'Load and PV forecasts with their bands',
    })
    .on('GET', '/api/alerts', () => service.alerts(), {
      tag: 'plant',
      access: 'open',
      summary: 'Open predictive-maintenance alerts',
    })
    .on('GET', '/api/ledger', () => service.ledger(), {
      tag: 'ledger',
      access: 'open',
      summary: 'Ledger mode, outbox counts, the submitter and the policy watcher',
    })
    .on(
      'GET',
      '/api/ledger/records',
      ({ url }) => {
        const query = parse(ledgerRecordsQuerySchema, Object.fromEntries(url.searchParams), 'ledger records query');
        return service.ledgerRecords(query);
      },
      {
        tag: 'ledger',
        access: 'open',
        summary: 'Metering interval records in the outbox, newest first',
        query: ledgerRecordsQuerySchema,
      },
    )
    .on(
      'GET',
      '/api/ledger/batches/:txHash',
      ({ params }) => {
        const batch = service.ledgerBatch(params.txHash!);
        if (!batch) throw new ApiError(404, `no anchored batch with transaction ${params.txHash}`, []);
        return batch;
      },
      {
        tag: 'ledger',
        access: 'open',
        summary: 'An anchored batch (kava mode): its records, so anyone can recompute the digest in the memo',
        params: { txHash: 'the anchoring transaction hash' },
        refusals: { 404: 'No batch anchored by that transaction' },
      },
    )
    .on(
      'GET',
      '/api/history',
      ({ url }) => {
        const query = parse(historyQuerySchema, Object.fromEntries(url.searchParams), 'history query');
        const toMs = query.to ?? service.scheduler.now();
        return service.history(query.from ?? toMs - 86_400_000, toMs, query.step);
      },
      {
        tag: 'plant',
        access: 'open',
        summary: "Per-device average power, SoC and energy from the controller's own store (kept 7 days or more)",
        query: historyQuerySchema,
      },
    )
    .on(
      'GET',
      '/api/energy',
      ({ url }) => {
        const query = parse(energyQuerySchema, Object.fromEntries(url.searchParams), 'energy query');
        const toMs = query.to ?? service.scheduler.now();
        return service.energy(query.from ?? toMs - 86_400_000, toMs);
      },
      {
        tag: 'plant',
        access: 'open',
        summary:
          "What each device's lifetime energy counters counted over a span, from the controller's stored minutes",
        query: energyQuerySchema,
        response: {
          json: energyReadSchema,
          description: 'Per device and counter: where counting starts, the rise, the last value',
        },
      },
    )
    .on(
      'GET',
      '/api/schedule',
      () => ({
        operatorTarget: operatorTargetView(service.status().operatorTarget),
        schedule: scheduleView(service.schedule()),
      }),
      {
        tag: 'operator',
        access: 'open',
        summary: "The operator's target in force and the schedule",
        response: { json: scheduleReadSchema, description: 'The target in force and the schedule' },
      },
    )
    .on(
      'GET',
      '/api/stream',
      ({ req, res }) => {
        stream.open(req, res, service.lastReport());
        return undefined;
      },
      {
        tag: 'plant',
        access: 'open',
        summary: 'The process image and setpoints of every cycle as Server-Sent Events',
        response: { mediaType: 'text/event-stream', description: 'One `report` event per cycle' },
      },
    )
    .on(
      'GET',
      '/metrics',
      async ({ res }) => {
        const { contentType, body } = await service.metrics.exposition();
        res.writeHead(200, { 'Content-Type': contentType }).end(body);
        return undefined;
      },
      {
        tag: 'metrics',
        access: 'open',
        summary: 'Prometheus metrics (text exposition format)',
        response: { mediaType: 'text/plain', description: 'Prometheus text format 0.0.4' },
      },
    )
    .on(
      'PUT',
      '/api/grid-setpoint',
      write(async ({ req }) => {
        const { gridTargetW, validForS } = parse(gridSetpointRequestSchema, await readJsonBody(req), 'grid setpoint');
        const { operatorTarget, applied } = service.setGridSetpoint({ targetW: gridTargetW, validForS });
        return {
          operatorTarget: operatorTargetView(operatorTarget),
          applied: { gridTargetW: applied.targetW, reason: applied.reason },
        };
      }),
      {
        tag: 'operator',
        access: 'operator',
        summary: 'Hold a power at the connection point (import positive) for a while',
        response: { json: gridSetpointResponseSchema, description: 'The target as asked and what is held' },
        description:
          'Applied within the grid caps: the answer says what is actually held and why. Lapses after validForS.',
        body: gridSetpointRequestSchema,
      },
    )
    .on(
      'PUT',
      '/api/schedule',
      write(async ({ req }) => {
        const entries = parse(scheduleRequestSchema, await readJsonBody(req), 'schedule');
        const schedule = service.setSchedule(
          entries.map(({ fromMs, toMs, gridTargetW }) => ({ fromMs, toMs, targetW: gridTargetW })),
        );
        return { schedule: scheduleView(schedule) };
      }),
      {
        tag: 'operator',
        access: 'operator',
        summary: 'Replace the whole schedule of grid targets',
        response: { json: scheduleResponseSchema, description: 'The schedule now in force' },
        description: 'Windows must not overlap; a schedule wholly in the past is refused.',
        body: scheduleRequestSchema,
      },
    )
    .on(
      'PUT',
      '/api/fleet/owner',
      write(async ({ req }) => {
        const change = parse(fleetOwnerRequestSchema, await readJsonBody(req), 'fleet owner limits');
        // Only the fields sent: an absent field keeps its value (undefined would overwrite it).
        const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
        return service.setFleetOwner(defined);
      }),
      {
        tag: 'operator',
        access: 'operator',
        summary: "Change the owner's say over the fleet: opt out, a mode, daily battery cycles, the miners' minimum",
        description:
          'The envelope the site publishes follows from the next cycle; opting out drops the VPP target at once. ' +
          'Lasts until the controller restarts (then the fleet.owner section of the configuration applies).',
        response: { json: fleetOwnerResponseSchema, description: "The owner's say now in force" },
        body: fleetOwnerRequestSchema,
        refusals: { 409: 'The controller has no fleet section' },
      },
    )
    .on(
      'POST',
      '/api/ledger/requeue-rejected',
      write(async ({ req }) => {
        const filter = parse(requeueRequestSchema, await readJsonBody(req), 'requeue request');
        if (service.ledger().mode === 'off') throw new ApiError(409, 'the ledger is off: nothing to requeue', []);
        return service.requeueRejected(filter);
      }),
      {
        tag: 'ledger',
        access: 'operator',
        summary: "Requeue records the chain refused for good (all, or one node's), once the cause is fixed",
        response: { json: requeueResponseSchema, description: 'How many records are pending again' },
        body: requeueRequestSchema,
        refusals: { 409: 'The ledger is off' },
      },
    )
    .on(
      'POST',
      '/api/devices/:id/acknowledge',
      write(async ({ req, params }) => {
        service.device(params.id!); // 404 before the body is even looked at
        parse(acknowledgeRequestSchema, await readJsonBody(req), 'acknowledge request');
        return { deviceId: params.id, batteryState: service.acknowledgeBatteryFault(params.id!) };
      }),
      {
        tag: 'operator',
        access: 'operator',
        summary: "Acknowledge a battery's fault so it may run again",
        response: { json: acknowledgeResponseSchema, description: "The battery's state after the acknowledgement" },
        params: { id: 'a battery' },
        body: acknowledgeRequestSchema,
        refusals: { 404: 'No device with that id', 409: 'Not a battery, or it has no fault to acknowledge' },
      },
    )
    .on(
      'POST',
      '/api/devices/:id/service',
      write(async ({ req, params }) => {
        service.device(params.id!); // 404 before the body is even looked at
        const { inService, force } = parse(serviceRequestSchema, await readJsonBody(req), 'service request');
        return {
          deviceId: params.id,
          state: service.setInService(params.id!, inService, force === undefined ? {} : { force }),
        };
      }),
      {
        tag: 'operator',
        access: 'operator',
        summary: 'Take a device out of service or back in',
        response: { json: serviceResponseSchema, description: "The device supervisor's state" },
        description: 'Taking the grid meter out of service puts the plant into failsafe: that needs force.',
        params: { id: 'device id' },
        body: serviceRequestSchema,
        refusals: { 404: 'No device with that id', 409: 'The grid meter without force' },
      },
    );
  return withDocs(router);
}

const DOCUMENT_PATH = '/api/openapi.json';
const DOCS_PATH = '/api/docs';

/** The description of the API, its interactive page and the index at GET /api, added to a router of routes. */
function withDocs(router: Router): Router {
  const document = () =>
    openApiDocument(router.list(), {
      title: 'GridCoop operator API',
      version: '1.0.0',
      description:
        'Reads of the plant, the plan, the policy and the ledger are open; writes need the operator token. ' +
        "Powers are in watts: the connection point import positive, devices generation positive (a miner's " +
        'consumption and a battery charging are negative).',
    });
  return router
    .on(
      'GET',
      '/api',
      () => ({
        name: 'GridCoop operator API',
        openapi: DOCUMENT_PATH,
        docs: DOCS_PATH,
        metrics: '/metrics',
        routes: router.list().map((route) => `${route.method} ${route.pattern}`),
      }),
      {
        tag: 'docs',
        access: 'open',
        summary: 'Where the description, the docs page and the metrics are, and every route',
        response: { json: apiIndexSchema, description: 'The index' },
      },
    )
    .on('GET', DOCUMENT_PATH, () => document(), {
      tag: 'docs',
      access: 'open',
      summary: 'This OpenAPI 3.1 document',
    })
    .on(
      'GET',
      DOCS_PATH,
      ({ res }) => {
        sendDocsPage(res, DOCUMENT_PATH, DOCS_PATH);
        return undefined;
      },
      {
        tag: 'docs',
        access: 'open',
        summary: 'The interactive API page (Swagger UI, served by the controller)',
        response: { mediaType: 'text/html', description: 'The page' },
      },
    )
    .on(
      'GET',
      `${DOCS_PATH}/:file`,
      async ({ res, params }) => {
        await sendDocsAsset(res, params.file!);
        return undefined;
      },
      {
        tag: 'docs',
        access: 'open',
        summary: "The docs page's static files (from swagger-ui-dist)",
        params: { file: 'swagger-ui.css, swagger-ui-bundle.js, swagger-ui-standalone-preset.js or a favicon' },
        response: { mediaType: 'application/octet-stream', description: 'The file' },
        refusals: { 404: "Not one of the page's files" },
      },
    );
}

/**
 * The operator REST API on node:http: reads of status, devices, setpoints with reasons, plan, policy, cycle
 * statistics, forecast and alerts; operator writes behind a bearer token; the process image as Server-Sent Events;
 * Prometheus metrics at /metrics. Every refusal is a JSON `{ error, details }` with a 4xx status and changes nothing.
 */
export async function startApiServer(service: ControllerService, options: ApiServerOptions): Promise<RunningApiServer> {
  const stream = new ProcessImageStream();
  const router = routesFor(service, stream, options.token);
  const unsubscribe = service.onReport((report) => stream.publish(report));
  const log = options.logger.child({ component: 'api' });

  const served = await serveRouter(router, {
    host: options.host,
    port: options.port,
    corsOrigins: options.corsOrigins,
    log,
    asApiError,
  });
  const { url, port } = served;
  log.info(
    { url, writes: options.token === null ? 'disabled (no token)' : 'token required' },
    'operator API listening',
  );

  return {
    url,
    port,
    stream,
    routes: router.list(),
    async close() {
      unsubscribe();
      stream.close();
      await served.close();
    },
  };
}
