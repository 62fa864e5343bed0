import type { DeviceErrorKind } from '../../natures/device-error.ts';

/**
 * A failure of a shared OPC UA connection, before it is known which device asked. The device driver turns it into a
 * DeviceError naming its device; the connection cannot, because one connection serves several devices.
 */
export class OpcUaFailure extends Error {
  override readonly name = 'OpcUaFailure';
  constructor(
    readonly kind: DeviceErrorKind,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind}: ${detail}`, options);
  }
}

/** Sorts what node-opcua throws into the kinds a controller branches on; node-opcua has no typed errors of its own. */
export function classifyOpcUaError(error: unknown, doing: string): OpcUaFailure {
  if (error instanceof OpcUaFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  const kind: DeviceErrorKind = /ECONNREFUSED/.test(message)
    ? 'connection-refused'
    : /timed? ?out|timeout/i.test(message)
      ? 'timeout'
      : /ECONNRESET|EPIPE|disconnect|closed|socket|aborted|premature|BadSecureChannel|BadSession|BadConnection/i.test(
            message,
          )
        ? 'disconnected'
        : 'protocol-exception';
  return new OpcUaFailure(kind, `${doing}: ${firstLine}`, { cause: error });
}

/** Rejects with a 'timeout' failure if `work` has not settled within `timeoutMs`. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, doing: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OpcUaFailure('timeout', `${doing}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  // The losing promise may still reject later; it must never become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
