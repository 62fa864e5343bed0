import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.ts';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Refuses a write unless it carries `Authorization: Bearer <operator token>`. The comparison is on hashes in constant
 * time, so response timing says nothing about how much of a guess was right. With no token configured every write
 * is refused: an API without a token is read-only, never open.
 */
export function requireOperator(req: IncomingMessage, token: string | null): void {
  if (token === null)
    throw new ApiError(
      401,
      'operator writes are disabled: no operator token is configured (GRIDCOOP_API_TOKEN or api.token)',
    );
  const header = req.headers.authorization;
  if (header === undefined)
    throw new ApiError(401, 'this write needs an operator token: Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match || !timingSafeEqual(digest(match[1]!), digest(token)))
    throw new ApiError(401, 'the operator token is wrong');
}
