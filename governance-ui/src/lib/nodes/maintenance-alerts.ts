/** A predictive-maintenance alert as the controller's API serves it (controller/src/maintenance/maintenance-alert.ts). */
export interface DeviceAlert {
  deviceId: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical' | string;
  evidence: Record<string, number>;
  suggestedAction: string;
  raisedAtMs: number;
}

export class ControllerUnreachableError extends TypeError {
  override name = 'ControllerUnreachableError';
}

/** The controller's current alerts for one device (GET {controllerUrl}/api/alerts, public). */
export async function alertsForDevice(controllerUrl: string, deviceId: string): Promise<DeviceAlert[]> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/alerts', controllerUrl), { signal: AbortSignal.timeout(8_000) });
  } catch (error) {
    // a TypeError: the live query shows "not reachable, retrying"
    throw new ControllerUnreachableError(
      `the controller (${controllerUrl}) is not reachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!res.ok) throw new Error(`the controller answered ${res.status} for its alerts`);
  const alerts = (await res.json()) as DeviceAlert[];
  return alerts.filter((a) => a.deviceId === deviceId);
}

export const ALERT_KIND_WORDS: Record<string, string> = {
  'pv-underperformance': 'PV output below what the weather allows',
  'battery-capacity-fade': 'Battery capacity fading',
  'battery-efficiency-loss': 'Battery round-trip efficiency dropping',
  'miner-cooling-degraded': 'Miner cooling degraded',
  'miner-efficiency-loss': 'Miner efficiency dropping',
};
