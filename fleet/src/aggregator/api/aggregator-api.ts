import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ApiError } from '@gridcoop/controller/api/api-error';
import { requireOperator } from '@gridcoop/controller/api/bearer-auth';
import { readJsonBody } from '@gridcoop/controller/api/request-body';
import { Router, type RouteContext } from '@gridcoop/controller/api/router';
import { serveRouter } from '@gridcoop/controller/api/router-server';
import type { PolicyAdvisor } from '../../advisor/index.ts';
import type { AggregatorService } from '../aggregator-service.ts';
import { VppScheduleError } from '../vpp-target-book.ts';
import { liveTargetRequestSchema, vppScheduleRequestSchema } from './fleet-requests.ts';
import { FleetStream } from './fleet-stream.ts';
import { FleetHistory } from '../fleet-history.ts';

export interface AggregatorApiOptions {
  host: string;
  /** 0 = the OS picks. */
  port: number;
  /** The grid operator's bearer token; null = every write refused (the API is read-only, never open). */
  token: string | null;
  corsOrigins: readonly string[];
  /** Validity of a live target sent without validForS. */
  defaultTargetValidForS: number;
  logger: Logger;
  advisor: PolicyAdvisor | null;
}

export interface RunningAggregatorApi {
  url: string;
  port: number;
  stream: FleetStream;
  close(): Promise<void>;
}

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw ApiError.fromZod(result.error, what);
  return result.data;
}

function requireGridOperator(req: IncomingMessage, token: string | null): void {
  if (token === null)
    throw new ApiError(401, 'grid operator writes are disabled: no token is configured (GRIDCOOP_AGGREGATOR_TOKEN)');
  requireOperator(req, token);
}

function routesFor(
  service: AggregatorService,
  stream: FleetStream,
  history: FleetHistory,
  options: AggregatorApiOptions,
  log: Logger,
): Router {
  // every write, applied or refused, is logged with who sent what (the grid operator's audit trail)
  const write = (handler: (context: RouteContext) => Promise<unknown>) => async (context: RouteContext) => {
    const { req, url } = context;
    const who = { method: req.method, path: url.pathname, remoteAddress: req.socket.remoteAddress ?? null };
    try {
      requireGridOperator(req, options.token);
      const result = await handler(context);
      log.info({ ...who, response: result }, 'grid operator write applied');
      return result;
    } catch (error) {
      log.warn({ ...who, error: (error as Error).message }, 'grid operator write refused');
      throw error;
    }
  };
  // a new target is dispatched at once rather than at the next tick (a running cycle makes it wait for the next)
  const dispatchNow = (): void => {
    service.runOnce().catch((error: unknown) => log.error({ err: error }, 'dispatch after a target change failed'));
  };
  const targetView = () => ({
    active: service.targets.at(service.scheduler.now()),
    live: service.targets.live,
    schedule: service.targets.schedule(),
  });
  // the last day a minute at a time: [minute start ms, delivered W, target W or null], completed minutes only
  const historyView = () => ({
    stepMs: 60_000,
    points: history.minutes().map((m) => [m.minuteStartMs, m.deliveredW, m.targetW]),
  });
  const advisor = (): PolicyAdvisor => {
    if (!options.advisor) throw new ApiError(404, 'the advisor is off');
    return options.advisor;
  };
  return new Router()
    .on('GET', '/api/status', () => {
      const snapshot = service.snapshot();
      const count = (status: string) => snapshot.sites.filter((site) => site.status === status).length;
      return {
        cycle: snapshot.cycle,
        atMs: snapshot.atMs,
        sites: {
          total: snapshot.sites.length,
          online: count('online'),
          dead: count('dead'),
          silent: count('silent'),
        },
        target: snapshot.target,
        dispatch: snapshot.dispatch,
        deliveredW: snapshot.deliveredW,
        timing: service.timing,
      };
    })
    .on('GET', '/api/fleet', () => service.snapshot())
    .on('GET', '/api/sites', () => service.snapshot().sites)
    .on('GET', '/api/sites/:id', ({ params }) => {
      const site = service.snapshot().sites.find((s) => s.siteId === params.id);
      if (!site) throw new ApiError(404, `no site ${params.id}`, [{ path: 'id', message: 'unknown site' }]);
      return site;
    })
    .on('GET', '/api/zones', () => service.snapshot().zones)
    .on('GET', '/api/target', targetView)
    .on('GET', '/api/history', historyView)
    .on(
      'PUT',
      '/api/target',
      write(async ({ req }) => {
        const request = parse(liveTargetRequestSchema, await readJsonBody(req), 'VPP target');
        const validForS = request.validForS ?? options.defaultTargetValidForS;
        service.targets.setLive(request.targetW, validForS * 1000, service.scheduler.now());
        dispatchNow();
        return targetView();
      }),
    )
    .on(
      'DELETE',
      '/api/target',
      write(async () => {
        service.targets.clearLive();
        dispatchNow();
        return targetView();
      }),
    )
    .on(
      'PUT',
      '/api/schedule',
      write(async ({ req }) => {
        const entries = parse(vppScheduleRequestSchema, await readJsonBody(req), 'VPP schedule');
        try {
          service.targets.setSchedule(entries);
        } catch (error) {
          if (error instanceof VppScheduleError)
            throw new ApiError(400, 'invalid VPP schedule', [{ path: error.path, message: error.message }]);
          throw error;
        }
        dispatchNow();
        return targetView();
      }),
    )
    .on('GET', '/api/stream', ({ req, res }) => {
      stream.open(req, res, service.snapshot());
      return undefined;
    })
    .on('GET', '/api/advisor/proposal', () => advisor().draft(service.scheduler.now()))
    .on('GET', '/api/advisor/chart.svg', ({ res }) => {
      res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-store' }).end(advisor().chartSvg());
      return undefined;
    })
    .on('GET', '/metrics', async ({ res }) => {
      const { contentType, body } = await service.metrics.exposition();
      res.writeHead(200, { 'Content-Type': contentType }).end(body);
      return undefined;
    });
}

/**
 * The aggregator's HTTP API on node:http, in the controller's habits: open reads of the fleet (sites, zones, state,
 * envelope, target, delivered) as JSON and as Server-Sent Events, Prometheus metrics, the advisor's draft; the grid
 * operator's writes (live target, schedule) behind a bearer token. Every refusal is `{ error, details }` with a 4xx.
 */
export async function startAggregatorApi(
  service: AggregatorService,
  options: AggregatorApiOptions,
): Promise<RunningAggregatorApi> {
  const log = options.logger.child({ component: 'aggregator-api' });
  const stream = new FleetStream();
  const history = new FleetHistory();
  const router = routesFor(service, stream, history, options, log);
  const unsubscribe = service.onSnapshot((snapshot) => {
    history.observe(snapshot);
    stream.publish(snapshot);
  });
  const served = await serveRouter(router, {
    host: options.host,
    port: options.port,
    corsOrigins: options.corsOrigins,
    log,
    asApiError: (error) => (error instanceof ApiError ? error : null),
  });
  const { url, port } = served;
  log.info(
    { url, writes: options.token === null ? 'disabled (no token)' : 'token required' },
    'aggregator API listening',
  );
  return {
    url,
    port,
    stream,
    async close() {
      unsubscribe();
      stream.close();
      await served.close();
    },
  };
}
