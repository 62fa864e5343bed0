import type { z } from 'zod';

/** Who may call a route: anyone (reads) or the operator with the bearer token (writes). */
export type RouteAccess = 'open' | 'operator';

/**
 * What the OpenAPI document says about one route. The request schemas are the very zod schemas the handler parses
 * with, so the description cannot promise what the handler refuses.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** Groups routes on the docs page: plant, operator, ledger, docs, metrics. */
  tag: string;
  access: RouteAccess;
  /** The query string's fields (an object schema). */
  query?: z.ZodObject;
  /** The JSON body's schema. */
  body?: z.ZodType;
  /** Path parameters by name, with what they mean. */
  params?: Record<string, string>;
  /** The 200 answer: a JSON schema in zod, or another media type (the docs page, metrics, the event stream). */
  response?: { json: z.ZodType; description: string } | { mediaType: string; description: string };
  /** The 4xx answers a client should expect besides 401 (added to operator routes), with when. */
  refusals?: Partial<Record<400 | 404 | 409 | 413 | 415, string>>;
}
