/**
 * One request to a GridCoop service's JSON API (the controller's, the aggregator's) and its answer, failing in that
 * service's own error types: `unreachable` when nothing or no JSON came back (down, wrong URL, CORS refused, a
 * timeout), `refused` for an error status, with the body's `error` and each of its `details` (`path: message`) in
 * words, so a refused write names the field.
 */
export interface JsonRequestFailures {
  unreachable(detail: string): Error;
  refused(status: number, detail: string): Error;
}

const TIMEOUT_MS = 8_000;

/** A write with a bearer token, and a JSON body when there is one. */
export interface TokenedWrite {
  method: 'PUT' | 'DELETE';
  token: string;
  json?: unknown;
}

export async function requestJson<T>(
  baseUrl: string,
  path: string,
  fail: JsonRequestFailures,
  write?: TokenedWrite,
): Promise<T> {
  const init: RequestInit = { signal: AbortSignal.timeout(TIMEOUT_MS) };
  if (write) {
    init.method = write.method;
    init.headers = {
      authorization: `Bearer ${write.token}`,
      ...(write.json === undefined ? {} : { 'content-type': 'application/json' }),
    };
    if (write.json !== undefined) init.body = JSON.stringify(write.json);
  }
  let res: Response;
  try {
    res = await fetch(new URL(path, baseUrl), init);
  } catch (error) {
    throw fail.unreachable(error instanceof Error ? error.message : String(error));
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw fail.unreachable(`HTTP ${res.status} without a JSON body`);
  }
  if (!res.ok) {
    const refusal = body as { error?: string; details?: Array<{ path: string; message: string }> } | null;
    const fields = (refusal?.details ?? []).map((d) => `${d.path}: ${d.message}`).join('; ');
    throw fail.refused(res.status, [refusal?.error ?? 'no reason given', fields].filter(Boolean).join(' — '));
  }
  return body as T;
}
