import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for the governance UI: only configured origins get Access-Control-Allow-Origin (never `*`, because writes
 * carry a bearer token). Returns true when the request was a preflight and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && allowedOrigins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, OPTIONS'); // DELETE: the aggregator's target
    res.setHeader('Access-Control-Max-Age', '600');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(origin !== undefined && allowedOrigins.includes(origin) ? 204 : 403).end();
    return true;
  }
  return false;
}
