/**
 * What predictive maintenance tells an operator: which device, how bad, the numbers behind it and what to do.
 */
export type AlertSeverity = 'info' | 'warning' | 'critical';

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export type AlertKind =
  | 'pv-underperformance'
  | 'battery-capacity-fade'
  | 'battery-efficiency-loss'
  | 'miner-cooling-degraded'
  | 'miner-efficiency-loss';

export interface MaintenanceAlert {
  deviceId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** The measurements behind the alert, with units in the names (ratio, pct, Wh, cPerKw, ...). */
  evidence: Record<string, number>;
  suggestedAction: string;
  raisedAtMs: number;
}

/** Grades a relative drift (0.2 = 20 % off normal) against a device type's thresholds. */
export function severityForDrift(drift: number, thresholds: { warning: number; critical: number }): AlertSeverity {
  if (drift >= thresholds.critical) return 'critical';
  if (drift >= thresholds.warning) return 'warning';
  return 'info';
}

/** Evidence is read by people and stored on chain later: four decimals are plenty and keep records small. */
export function roundEvidence(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
