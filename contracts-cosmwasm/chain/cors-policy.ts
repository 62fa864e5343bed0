import type { IncomingMessage, ServerResponse } from 'node:http';

// Cross-origin access to the RPC endpoint, as CometBFT's `cors_allowed_origins` grants it: off unless origins are
// configured; a configured origin (or "*") gets the CORS headers on its preflight and on GET/POST answers, any other
// origin gets none, so a browser refuses to hand the answer to that page. Methods and headers are CometBFT's defaults
// (cors_allowed_methods HEAD, GET, POST; cors_allowed_headers Origin, Accept, Content-Type, X-Requested-With,
// X-Server-Time).

const allowedMethods = 'HEAD, GET, POST';
const allowedHeaders = 'Origin, Accept, Content-Type, X-Requested-With, X-Server-Time';

export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    // browsers send the origin without a trailing slash and in lower case (scheme and host)
    this.origins = new Set(allowedOrigins.map((o) => (o === '*' ? o : o.replace(/\/+$/, '').toLowerCase())));
  }

  get enabled(): boolean {
    return this.origins.size > 0;
  }

  allows(origin: string): boolean {
    return this.origins.has('*') || this.origins.has(origin.toLowerCase());
  }

  /** The Origin header of `req` when it is an allowed origin; null otherwise (no CORS headers then). */
  private allowedOrigin(req: IncomingMessage): string | null {
    const origin = req.headers.origin;
    return typeof origin === 'string' && this.enabled && this.allows(origin) ? origin : null;
  }

  /** Adds the headers of an actual (non-preflight) cross-origin answer. */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    if (!this.enabled) return;
    res.setHeader('vary', 'Origin');
    const origin = this.allowedOrigin(req);
    if (origin) res.setHeader('access-control-allow-origin', origin);
  }

  /**
   * Answers a preflight (OPTIONS with Access-Control-Request-Method) and returns true, or returns false when `req` is
   * not one. A preflight from an origin that is not allowed is answered without CORS headers, as rs/cors does.
   */
  answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'OPTIONS') return false;
    const headers: Record<string, string> = {
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    };
    const origin = this.allowedOrigin(req);
    const method = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
    if (origin && allowedMethods.split(', ').includes(method)) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-methods'] = allowedMethods;
      headers['access-control-allow-headers'] = allowedHeaders;
      headers['access-control-max-age'] = '600';
    }
    res.writeHead(204, headers);
    res.end();
    return true;
  }
}
