import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';
import type { CycleReport } from '../cycle/control-cycle.ts';
import type { BatteryReading } from '../natures/index.ts';
import { countersOf } from './energy-counters.ts';

/**
 * What a grid operator watches besides the cycle's own series: each device's measured power (generation positive;
 * a miner's consumption negative; the meter's is the connection point's, import positive), batteries' state of
 * charge, the devices' lifetime energy counters, the time of the last cycle, ticks the cadence lost, and the event
 * loop's lag (a stalled loop is the one thing the cycle's own timing cannot see). A device without a fresh reading
 * has no power or SoC series (absent, not a stale number).
 */
export class PlantMetrics {
  private readonly power: Gauge;
  private readonly soc: Gauge;
  private readonly energy: Gauge;
  private readonly lastCycle: Gauge;
  private readonly droppedTicks: Gauge;
  private readonly lag: Gauge;
  private readonly loopDelay: IntervalHistogram;

  constructor(registry: Registry, droppedTicks: () => number) {
    const registers = [registry];
    this.power = new Gauge({
      name: 'gridcoop_device_power_watts',
      help: 'Measured power per device, generation positive (miner consumption negative; the grid meter: import positive)',
      labelNames: ['device'],
      registers,
    });
    this.soc = new Gauge({
      name: 'gridcoop_battery_soc_percent',
      help: 'State of charge per battery',
      labelNames: ['device'],
      registers,
    });
    this.energy = new Gauge({
      // Joules, Prometheus's base unit (promtool refuses "hours"): a dashboard shows kWh as value / 3.6e6.
      name: 'gridcoop_device_energy_joules',
      help: "Each device's lifetime energy counter as it reports it, in J (produced, consumed, charged, discharged, imported, exported)",
      labelNames: ['device', 'counter'],
      registers,
    });
    this.lastCycle = new Gauge({
      name: 'gridcoop_last_cycle_timestamp_seconds',
      help: 'When the last control cycle ran (unix seconds, controller clock)',
      registers,
    });
    this.droppedTicks = new Gauge({
      name: 'gridcoop_cycle_dropped_ticks',
      help: 'Ticks of the cadence that never came because the loop was late (stalled event loop), since start',
      registers,
      collect() {
        this.set(droppedTicks());
      },
    });
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
    const loopDelay = this.loopDelay;
    this.lag = new Gauge({
      name: 'gridcoop_event_loop_lag_seconds',
      // Not "quantile": Prometheus keeps that label for summaries, and promtool refuses it on a gauge.
      help: 'Event-loop delay since the previous scrape: the longest (stat="max") and the 99th percentile (stat="p99")',
      labelNames: ['stat'],
      registers,
      collect() {
        // The histogram's values are in ns; with no samples yet, min is huge and max 0.
        this.set({ stat: 'max' }, loopDelay.max / 1e9);
        this.set({ stat: 'p99' }, loopDelay.count > 0 ? loopDelay.percentile(99) / 1e9 : 0);
        loopDelay.reset();
      },
    });
  }

  observe(report: CycleReport, gridMeterId: string): void {
    this.lastCycle.set(report.atMs / 1000);
    this.power.reset();
    this.soc.reset();
    for (const [device, snapshot] of Object.entries(report.image.devices)) {
      const reading = snapshot.reading;
      if (!reading) continue;
      for (const { counts, valueWh } of countersOf(snapshot.kind, reading))
        if (valueWh !== null) this.energy.set({ device, counter: counts }, valueWh * 3600);
      if (!snapshot.fresh) continue;
      const w = (reading as { powerW: number | null }).powerW;
      if (w !== null) this.power.set({ device }, snapshot.kind === 'flexible-load' && device !== gridMeterId ? -w : w);
      if (snapshot.kind === 'battery') {
        const soc = (reading as BatteryReading).socPct;
        if (soc !== null) this.soc.set({ device }, soc);
      }
    }
  }

  close(): void {
    this.loopDelay.disable();
  }
}
