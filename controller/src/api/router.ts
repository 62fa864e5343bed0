import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.ts';
import type { RouteDoc } from './route-doc.ts';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  url: URL;
}

/** A handler returns the JSON body to send with 200, or handles the response itself (streams) and returns undefined. */
export type RouteHandler = (context: RouteContext) => Promise<unknown> | unknown;

/** A registered route as the OpenAPI description sees it: its doc is absent when nobody described it. */
export interface RegisteredRoute {
  method: HttpMethod;
  /** `/api/devices/:id` */
  pattern: string;
  doc: RouteDoc | undefined;
}

interface Route extends RegisteredRoute {
  segments: string[];
  handler: RouteHandler;
}

/**
 * A small router: `/api/devices/:id` patterns, exact segments otherwise. A path that exists with another method is
 * a 405 (with Allow), an unknown path a 404, both as JSON errors. Each route carries its description for the OpenAPI
 * document, next to the handler, so the two cannot drift apart.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(method: HttpMethod, pattern: string, handler: RouteHandler, doc?: RouteDoc): this {
    this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler, doc });
    return this;
  }

  /** Every registered route, in registration order. */
  list(): RegisteredRoute[] {
    return this.routes.map(({ method, pattern, doc }) => ({ method, pattern, doc }));
  }

  match(method: string, pathname: string): { handler: RouteHandler; params: Record<string, string> } {
    const parts = pathname.split('/').filter(Boolean);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0)
      throw new ApiError(405, `${method} is not allowed on ${pathname}; use ${allowed.join(', ')}`);
    throw new ApiError(404, `no such resource: ${pathname}`);
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = parts[i]!;
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (expected !== actual) return null;
  }
  return params;
}
