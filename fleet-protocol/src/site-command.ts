import { MetricReader } from './metric-reader.ts';
import { FleetProtocolError } from './protocol-error.ts';
import { decodeSparkplugPayload, encodeSparkplugPayload, type SparkplugMetric } from './sparkplug-codec.ts';
import type { VppTarget } from './vpp-target.ts';

/** Sparkplug's own metric for asking an edge node to publish a new NBIRTH. */
export const REBIRTH_METRIC = 'Node Control/Rebirth';

export const TARGET_METRICS = {
  targetId: 'VPP/Target/Id',
  gridTargetW: 'VPP/Target/GridW',
  issuedAtMs: 'VPP/Target/IssuedAtMs',
  expiresAtMs: 'VPP/Target/ExpiresAtMs',
} as const;

/** An NCMD to one site: a new target, a rebirth request, or both. */
export interface SiteCommand {
  timestampMs: number;
  target: VppTarget | null;
  rebirth: boolean;
}

export function encodeSiteCommand(command: SiteCommand): Uint8Array {
  const metrics: SparkplugMetric[] = [];
  if (command.rebirth) metrics.push({ name: REBIRTH_METRIC, type: 'Boolean', value: true });
  const target = command.target;
  if (target !== null) {
    if (target.expiresAtMs <= target.issuedAtMs) {
      throw new FleetProtocolError(
        'target',
        `expires (${target.expiresAtMs}) at or before issue (${target.issuedAtMs})`,
      );
    }
    metrics.push(
      { name: TARGET_METRICS.targetId, type: 'String', value: target.targetId },
      { name: TARGET_METRICS.gridTargetW, type: 'Double', value: target.gridTargetW },
      { name: TARGET_METRICS.issuedAtMs, type: 'Int64', value: target.issuedAtMs },
      { name: TARGET_METRICS.expiresAtMs, type: 'Int64', value: target.expiresAtMs },
    );
  }
  if (metrics.length === 0) throw new FleetProtocolError('command', 'carries neither a target nor a rebirth request');
  return encodeSparkplugPayload({ timestampMs: command.timestampMs, metrics });
}

export function decodeSiteCommand(bytes: Uint8Array, topic?: string): SiteCommand {
  const payload = decodeSparkplugPayload(bytes, topic);
  const reader = new MetricReader(payload.metrics, topic);
  const rebirth = reader.has(REBIRTH_METRIC) && reader.boolean(REBIRTH_METRIC);
  let target: VppTarget | null = null;
  if (reader.has(TARGET_METRICS.gridTargetW)) {
    target = {
      targetId: reader.string(TARGET_METRICS.targetId),
      gridTargetW: reader.number(TARGET_METRICS.gridTargetW),
      issuedAtMs: reader.integer(TARGET_METRICS.issuedAtMs, 0, Number.MAX_SAFE_INTEGER),
      expiresAtMs: reader.integer(TARGET_METRICS.expiresAtMs, 0, Number.MAX_SAFE_INTEGER),
    };
    if (target.expiresAtMs <= target.issuedAtMs) {
      throw reader.invalid(TARGET_METRICS.expiresAtMs, `expected after IssuedAtMs ${target.issuedAtMs}`);
    }
  }
  if (!rebirth && target === null) {
    throw new FleetProtocolError('command', 'carries neither a target nor a rebirth request', topic);
  }
  return { timestampMs: payload.timestampMs, target, rebirth };
}
