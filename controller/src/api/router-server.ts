import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ApiError } from './api-error.ts';
import { applyCors } from './cors.ts';
import type { Router } from './router.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export interface RouterServerOptions {
  host: string;
  port: number;
  /** browser origins allowed to call (the UI's); others get no CORS headers */
  corsOrigins: readonly string[];
  log: Logger;
  /** the known refusals of this API's service as 4xx ApiErrors; anything else is a logged 500 */
  asApiError: (error: unknown) => ApiError | null;
}

export interface RunningRouterServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a Router on node:http, as the controller's and the aggregator's APIs both do: CORS for the allowed origins,
 * the handler's answer as JSON, every refusal as `{ error, details }` with its 4xx, anything unexpected logged and a
 * 500 that tells nothing more. A bad request line costs only its socket.
 */
export async function serveRouter(router: Router, options: RouterServerOptions): Promise<RunningRouterServer> {
  const { log } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (applyCors(req, res, options.corsOrigins)) return;
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    try {
      const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
      const body = await handler({ req, res, params, url });
      if (body !== undefined && !res.headersSent) sendJson(res, 200, body);
    } catch (error) {
      const refusal = options.asApiError(error);
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
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
