import { AlertBook } from './alert-book.ts';
import { BatteryHealthMonitor, type BatteryMonitorOptions, type BatteryReading } from './battery-health-monitor.ts';
import type { AlertKind, AlertSeverity, MaintenanceAlert } from './maintenance-alert.ts';
import type { MaintenanceRecorder } from './maintenance-log.ts';
import { MinerHealthMonitor, type MinerMonitorOptions, type MinerReading } from './miner-health-monitor.ts';
import { PvPerformanceMonitor, type PvMonitorOptions, type PvReading } from './pv-performance-monitor.ts';

/**
 * Predictive maintenance for a whole plant, as the controller uses it: it registers its devices, feeds each cycle's
 * (or each minute's) process image, and the operator API and metrics read `alerts()` and `countsBySeverity()`.
 * Acknowledging an alert after a repair makes that device's monitor learn its normal again.
 */
export class MaintenanceDeviceError extends Error {
  override readonly name = 'MaintenanceDeviceError';
}

export class PlantMaintenance {
  private readonly book: AlertBook;
  private readonly pv: PvPerformanceMonitor;
  private readonly batteries = new Map<string, BatteryHealthMonitor>();
  private readonly miners = new Map<string, MinerHealthMonitor>();

  constructor(options: { pv: PvMonitorOptions; recorders?: readonly MaintenanceRecorder[] }) {
    this.book = new AlertBook(options.recorders ?? []);
    this.pv = new PvPerformanceMonitor(options.pv);
  }

  registerBattery(options: BatteryMonitorOptions): void {
    this.refuseDuplicate(options.deviceId);
    this.batteries.set(options.deviceId, new BatteryHealthMonitor(options));
  }

  registerMiner(options: MinerMonitorOptions): void {
    this.refuseDuplicate(options.deviceId);
    this.miners.set(options.deviceId, new MinerHealthMonitor(options));
  }

  /** All PV inverters of the site at one instant; `capacityFactor` is the irradiance reference or null. */
  observePv(timeMs: number, readings: readonly PvReading[], capacityFactor: number | null): MaintenanceAlert[] {
    return this.book.raiseAll(this.pv.observe(timeMs, readings, capacityFactor));
  }

  observeBattery(deviceId: string, reading: BatteryReading): MaintenanceAlert[] {
    const monitor = this.batteries.get(deviceId);
    if (!monitor) throw new MaintenanceDeviceError(`battery ${deviceId} is not registered for maintenance monitoring`);
    return this.book.raiseAll(monitor.observe(reading));
  }

  observeMiner(deviceId: string, reading: MinerReading): MaintenanceAlert[] {
    const monitor = this.miners.get(deviceId);
    if (!monitor) throw new MaintenanceDeviceError(`miner ${deviceId} is not registered for maintenance monitoring`);
    return this.book.raiseAll(monitor.observe(reading));
  }

  alerts(filter: { deviceId?: string; minSeverity?: AlertSeverity } = {}): MaintenanceAlert[] {
    return this.book.list(filter);
  }

  countsBySeverity(): Record<AlertSeverity, number> {
    return this.book.countsBySeverity();
  }

  /** Closes the alert and resets the device's monitor: what it sees from now on is learnt as its new normal. */
  acknowledge(deviceId: string, kind: AlertKind): boolean {
    const closed = this.book.acknowledge(deviceId, kind);
    if (!closed) return false;
    if (kind === 'pv-underperformance') this.pv.reset(deviceId);
    else if (kind.startsWith('battery-')) this.batteries.get(deviceId)?.reset();
    else this.miners.get(deviceId)?.reset();
    return true;
  }

  private refuseDuplicate(deviceId: string): void {
    if (this.batteries.has(deviceId) || this.miners.has(deviceId)) {
      throw new MaintenanceDeviceError(`device ${deviceId} is already registered for maintenance monitoring`);
    }
  }
}
