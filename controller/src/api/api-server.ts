import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import { OperatorSetpointError } from '../control/operator-setpoints.ts';
import { OperatorConflictError, UnknownDeviceError, WrongNatureError } from '../service/operator-errors.ts';
import { HistoryQueryError } from '../service/device-history.ts';
import type { ControllerService } from '../service/controller-service.ts';
import { ApiError, type ApiErrorDetail } from './api-error.ts';
import { requireOperator } from './bearer-auth.ts';
import { applyCors } from './cors.ts';
import {
  acknowledgeRequestSchema,
  gridSetpointRequestSchema,
  historyQuerySchema,
  ledgerRecordsQuerySchema,
  scheduleRequestSchema,
  serviceRequestSchema,
} from './operator-requests.ts';
import { ProcessImageStream } from './process-image-stream.ts';
import { parsedBodyOf, readJsonBody } from './request-body.ts';
import { Router, type RouteContext } from './router.ts';

/** POST /api/ledger/requeue-rejected: `{}` requeues every rejected record, `{ "nodeId": 3 }` those of one node. */
const requeueRequestSchema = z.object({ nodeId: z.number().int().positive().optional() }).strict();

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
  close(): Promise<void>;
}

/** An OperatorSetpointError's issues are "path: message" strings; the API gives them as details. */
function detailsOf(issues: readonly string[]): ApiErrorDetail[] {
  return issues.map((issue) => {
    const at = issue.indexOf(': ');
    return at > 0 ? { path: issue.slice(0, at), message: issue.slice(at + 2) } : { path: '(body)', message: issue };
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
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
  return new Router()
    .on('GET', '/api/status', () => service.status())
    .on('GET', '/api/devices', () => service.devices())
    .on('GET', '/api/devices/:id', ({ params }) => service.device(params.id!))
    .on('GET', '/api/setpoints', () => service.setpoints() ?? { note: 'no cycle has run yet', devices: [] })
    .on('GET', '/api/plan', () => service.plan())
    .on('GET', '/api/policy', () => service.policy())
    .on('GET', '/api/cycle', () => service.cycleStats())
    .on('GET', '/api/forecast', () => service.forecast())
    .on('GET', '/api/alerts', () => service.alerts())
    .on('GET', '/api/ledger', () => service.ledger())
    .on('GET', '/api/ledger/records', ({ url }) => {
      const query = parse(ledgerRecordsQuerySchema, Object.fromEntries(url.searchParams), 'ledger records query');
      return service.ledgerRecords(query);
    })
    .on('GET', '/api/ledger/batches/:txHash', ({ params }) => {
      const batch = service.ledgerBatch(params.txHash!);
      if (!batch) throw new ApiError(404, `no anchored batch with transaction ${params.txHash}`, []);
      return batch;
    })
    .on('GET', '/api/history', ({ url }) => {
      const query = parse(historyQuerySchema, Object.fromEntries(url.searchParams), 'history query');
      const toMs = query.to ?? service.scheduler.now();
      return service.history(query.from ?? toMs - 86_400_000, toMs, query.step);
    })
    .on('GET', '/api/schedule', () => ({
      operatorTarget: service.status().operatorTarget,
      schedule: service.schedule(),
    }))
    .on('GET', '/api/stream', ({ req, res }) => {
      stream.open(req, res, service.lastReport());
      return undefined;
    })
    .on('GET', '/metrics', async ({ res }) => {
      const { contentType, body } = await service.metrics.exposition();
      res.writeHead(200, { 'Content-Type': contentType }).end(body);
      return undefined;
    })
    .on(
      'PUT',
      '/api/grid-setpoint',
      write(async ({ req }) => {
        const request = parse(gridSetpointRequestSchema, await readJsonBody(req), 'grid setpoint');
        return service.setGridSetpoint(request);
      }),
    )
    .on(
      'PUT',
      '/api/schedule',
      write(async ({ req }) => {
        const entries = parse(scheduleRequestSchema, await readJsonBody(req), 'schedule');
        return { schedule: service.setSchedule(entries) };
      }),
    )
    .on(
      'POST',
      '/api/ledger/requeue-rejected',
      write(async ({ req }) => {
        const filter = parse(requeueRequestSchema, await readJsonBody(req), 'requeue request');
        if (service.ledger().mode === 'off') throw new ApiError(409, 'the ledger is off: nothing to requeue', []);
        return service.requeueRejected(filter);
      }),
    )
    .on(
      'POST',
      '/api/devices/:id/acknowledge',
      write(async ({ req, params }) => {
        service.device(params.id!); // 404 before the body is even looked at
        parse(acknowledgeRequestSchema, await readJsonBody(req), 'acknowledge request');
        return { deviceId: params.id, batteryState: service.acknowledgeBatteryFault(params.id!) };
      }),
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

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (applyCors(req, res, options.corsOrigins)) return;
    const url = new URL(req.url ?? '/', 'http://controller.invalid');
    try {
      const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
      const body = await handler({ req, res, params, url });
      if (body !== undefined && !res.headersSent) sendJson(res, 200, body);
    } catch (error) {
      const refusal = asApiError(error);
      if (refusal) {
        if (refusal.status === 401) log.warn({ method: req.method, path: url.pathname }, refusal.message);
        if (!res.headersSent) sendJson(res, refusal.status, { error: refusal.message, details: refusal.details });
        return;
      }
      log.error({ err: error, method: req.method, path: url.pathname }, 'API request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error (logged)', details: [] });
      else res.end();
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  log.info(
    { url, writes: options.token === null ? 'disabled (no token)' : 'token required' },
    'operator API listening',
  );

  return {
    url,
    port,
    stream,
    async close() {
      unsubscribe();
      stream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
