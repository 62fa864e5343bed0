import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.ts';

/** Operator requests are small; anything bigger is refused before it is buffered. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Bodies already parsed, per request: the audit log records what an operator sent. */
const parsedBodies = new WeakMap<IncomingMessage, unknown>();

/** The body `readJsonBody` parsed for this request, or undefined if it was never read or did not parse. */
export function parsedBodyOf(req: IncomingMessage): unknown {
  return parsedBodies.get(req);
}

/** Reads a JSON body: 415 if not JSON, 413 if too large, 400 if it does not parse. */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new ApiError(415, `send the body as application/json (got ${type || 'no content type'})`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new ApiError(413, `body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ApiError(413, `body is over the ${maxBytes}-byte limit`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const body: unknown = JSON.parse(text);
    parsedBodies.set(req, body);
    return body;
  } catch (error) {
    throw new ApiError(400, 'the body is not valid JSON', [{ path: '(body)', message: (error as Error).message }]);
  }
}
