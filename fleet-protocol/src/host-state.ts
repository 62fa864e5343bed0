import { FleetProtocolError } from './protocol-error.ts';

/**
 * The primary host's (the aggregator's) state, Sparkplug 3.0 style: JSON, retained, QoS 1, on spBv1.0/STATE/<host>.
 * The host publishes online=true on connect and registers online=false with the same timestamp as its will, so a
 * site can tell a stale "offline" from an older session apart from the current one.
 */
export interface HostState {
  online: boolean;
  timestampMs: number;
}

export function encodeHostState(state: HostState): Buffer {
  return Buffer.from(JSON.stringify({ online: state.online, timestamp: state.timestampMs }));
}

export function decodeHostState(bytes: Uint8Array, topic?: string): HostState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new FleetProtocolError('payload', 'expected JSON {"online": boolean, "timestamp": ms}', topic);
  }
  const object = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof object.online !== 'boolean') {
    throw new FleetProtocolError('online', `expected a boolean, got ${JSON.stringify(object.online)}`, topic);
  }
  const timestamp = object.timestamp;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new FleetProtocolError('timestamp', `expected ms since the epoch, got ${JSON.stringify(timestamp)}`, topic);
  }
  return { online: object.online, timestampMs: timestamp };
}
