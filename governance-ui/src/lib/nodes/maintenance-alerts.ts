import { controllerGet } from '../plant/controller-api.ts';

/** A predictive-maintenance alert as the controller's API serves it (controller/src/maintenance/maintenance-alert.ts). */
export interface DeviceAlert {
  deviceId: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical' | string;
  evidence: Record<string, number>;
  suggestedAction: string;
  raisedAtMs: number;
}

/**
 * The controller's current alerts for one device (GET {controllerUrl}/api/alerts, public). An unreachable controller
 * is a ControllerUnreachableError (a TypeError: the live query shows "not reachable, retrying").
 */
export async function alertsForDevice(controllerUrl: string, deviceId: string): Promise<DeviceAlert[]> {
  const alerts = await controllerGet<DeviceAlert[]>(controllerUrl, '/api/alerts');
  return alerts.filter((a) => a.deviceId === deviceId);
}

export const ALERT_KIND_WORDS: Record<string, string> = {
  'pv-underperformance': 'PV output below what the weather allows',
  'battery-capacity-fade': 'Battery capacity fading',
  'battery-efficiency-loss': 'Battery round-trip efficiency dropping',
  'miner-cooling-degraded': 'Miner cooling degraded',
  'miner-efficiency-loss': 'Miner efficiency dropping',
};
