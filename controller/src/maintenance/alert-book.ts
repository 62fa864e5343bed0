import { SEVERITY_RANK, type AlertKind, type AlertSeverity, type MaintenanceAlert } from './maintenance-alert.ts';
import type { MaintenanceRecorder } from './maintenance-log.ts';

/**
 * The open maintenance alerts of the plant, as the operator API and the metrics see them. A monitor keeps alarming
 * while a device stays degraded; the book keeps one open alert per (device, kind), replaces it only when the severity
 * rises, and hands each new or escalated alert to the recorders (local log, later the chain).
 */
export class AlertBook {
  private readonly open = new Map<string, MaintenanceAlert>();

  constructor(private readonly recorders: readonly MaintenanceRecorder[] = []) {}

  /** Returns true when the alert is new or more severe than the open one (and was recorded). */
  raise(alert: MaintenanceAlert): boolean {
    const key = `${alert.deviceId}\u0000${alert.kind}`;
    const current = this.open.get(key);
    if (current && SEVERITY_RANK[current.severity] >= SEVERITY_RANK[alert.severity]) return false;
    for (const recorder of this.recorders) recorder.record(alert); // a refused record throws before the book changes
    this.open.set(key, alert);
    return true;
  }

  raiseAll(alerts: readonly MaintenanceAlert[]): MaintenanceAlert[] {
    return alerts.filter((a) => this.raise(a));
  }

  /** Closes an alert after a repair; the device's monitor should be reset (relearn normal) at the same time. */
  acknowledge(deviceId: string, kind: AlertKind): boolean {
    return this.open.delete(`${deviceId}\u0000${kind}`);
  }

  /** Open alerts, most severe and then newest first. */
  list(filter: { deviceId?: string; minSeverity?: AlertSeverity } = {}): MaintenanceAlert[] {
    const minRank = SEVERITY_RANK[filter.minSeverity ?? 'info'];
    return [...this.open.values()]
      .filter(
        (a) =>
          (filter.deviceId === undefined || a.deviceId === filter.deviceId) && SEVERITY_RANK[a.severity] >= minRank,
      )
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.raisedAtMs - a.raisedAtMs);
  }

  /** For a gauge such as gridcoop_maintenance_alerts{severity}. */
  countsBySeverity(): Record<AlertSeverity, number> {
    const counts: Record<AlertSeverity, number> = { info: 0, warning: 0, critical: 0 };
    for (const alert of this.open.values()) counts[alert.severity] += 1;
    return counts;
  }
}
