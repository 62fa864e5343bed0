import type { Logger } from 'pino';
import type { ProcessImage } from '../cycle/process-image.ts';
import { AlertBook } from '../maintenance/alert-book.ts';
import { BatteryHealthMonitor } from '../maintenance/battery-health-monitor.ts';
import type { MaintenanceAlert } from '../maintenance/maintenance-alert.ts';
import type { MaintenanceRecorder } from '../maintenance/maintenance-log.ts';
import { MinerHealthMonitor } from '../maintenance/miner-health-monitor.ts';
import { PvPerformanceMonitor } from '../maintenance/pv-performance-monitor.ts';
import type { BatteryReading, FlexibleLoadReading, PvInverterReading } from '../natures/index.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';

/** Miners trip on their own thermal protection around here; the monitor projects against it. */
const MINER_OVERHEAT_C = 85;

/**
 * Feeds every fresh reading to the predictive-maintenance monitors (PV against its peers, battery capacity and
 * efficiency from its cycles, miner cooling and J/TH) and keeps their alerts in one AlertBook for the API and
 * metrics. Each new or escalated alert is logged with its device.
 */
export class MaintenanceWatch {
  readonly alerts: AlertBook;
  private readonly pv: PvPerformanceMonitor;
  private readonly batteries = new Map<string, BatteryHealthMonitor>();
  private readonly miners = new Map<string, MinerHealthMonitor>();

  constructor(plant: PlantSpec, sampleMs: number, logger: Logger, recorders: readonly MaintenanceRecorder[] = []) {
    this.alerts = new AlertBook([
      {
        record: (alert: MaintenanceAlert) =>
          logger.warn({ deviceId: alert.deviceId, alert }, `maintenance alert: ${alert.kind} (${alert.severity})`),
      },
      ...recorders,
    ]);
    this.pv = new PvPerformanceMonitor({ sampleMs });
    for (const spec of plant.devices) {
      if (spec.kind === 'battery')
        this.batteries.set(spec.id, new BatteryHealthMonitor({ deviceId: spec.id, ratedCapacityWh: spec.capacityWh }));
      if (spec.kind === 'flexible-load')
        this.miners.set(
          spec.id,
          new MinerHealthMonitor({ deviceId: spec.id, maxPowerW: spec.maxPowerW, overheatC: MINER_OVERHEAT_C }),
        );
    }
  }

  observe(image: ProcessImage, plant: PlantSpec): void {
    const pvReadings = [];
    for (const spec of plant.devices) {
      const snapshot = image.devices[spec.id];
      if (!snapshot?.fresh || snapshot.reading === null) continue;
      if (spec.kind === 'pv-inverter') {
        const reading = snapshot.reading as PvInverterReading;
        pvReadings.push({
          deviceId: spec.id,
          ratedPowerW: reading.ratedPowerW ?? spec.ratedPowerW,
          acPowerW: reading.powerW ?? Number.NaN,
        });
      } else if (spec.kind === 'battery') {
        const reading = snapshot.reading as BatteryReading;
        this.alerts.raiseAll(
          this.batteries.get(spec.id)!.observe({
            timeMs: image.atMs,
            socPct: reading.socPct ?? Number.NaN,
            energyInWh: reading.energyInWh ?? Number.NaN,
            energyOutWh: reading.energyOutWh ?? Number.NaN,
          }),
        );
      } else if (spec.kind === 'flexible-load') {
        const reading = snapshot.reading as FlexibleLoadReading;
        this.alerts.raiseAll(
          this.miners.get(spec.id)!.observe({
            timeMs: image.atMs,
            powerW: reading.powerW ?? Number.NaN,
            hashrateThs: reading.hashrateThs ?? Number.NaN,
            temperatureC: reading.temperatureC ?? Number.NaN,
          }),
        );
      }
    }
    this.alerts.raiseAll(this.pv.observe(image.atMs, pvReadings, null));
  }
}
