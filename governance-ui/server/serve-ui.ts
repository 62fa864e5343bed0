/**
 * Serves the built app (governance-ui/build) with its runtime configuration at /config.json, on 127.0.0.1 by
 * default. Unknown paths get index.html, so /proposals/3 opened directly works (a single-page app). `npm start` runs
 * it beside the controller and the chain; a deployment can serve the same build from any static host with its own
 * config.json.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { RuntimeConfig } from '../src/lib/config/runtime-config.ts';

export const UI_BUILD_DIR = resolve(import.meta.dirname, '../build');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface UiServer {
  readonly url: string;
  /** what /config.json answers from now on (the UI's origin must be known before the chain's CORS is set) */
  setConfig(config: RuntimeConfig): void;
  stop(): Promise<void>;
}

export interface UiServerOptions {
  /** until it is given (here or by setConfig), /config.json answers 503 and the app says it is starting */
  config?: RuntimeConfig;
  port?: number;
  host?: string;
  buildDir?: string;
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const root = options.buildDir ?? UI_BUILD_DIR;
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`the UI is not built (${root}/index.html is missing): run npm run build:ui`);
  let configBody = options.config ? JSON.stringify(options.config) : null;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://ui').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      if (configBody === null) {
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '2' }).end('the system is starting');
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES['.json']!, 'Cache-Control': 'no-store' }).end(configBody);
      return;
    }
    const file = normalize(join(root, path));
    const inside = file.startsWith(root) && existsSync(file) && statSync(file).isFile();
    const served = inside ? file : join(root, 'index.html');
    const immutable = served.includes('/_app/immutable/');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(served)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(served).pipe(res);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    setConfig(config) {
      configBody = JSON.stringify(config);
    },
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
