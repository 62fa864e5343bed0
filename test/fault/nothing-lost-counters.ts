import type { RunningPlant } from '@gridcoop/devices/plant/index';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import type { PvInverterModel } from '@gridcoop/devices/models/pv-inverter';

/** A node's lifetime counters as its device model holds them (the truth the meters are checked against). */
export interface ModelCounters {
  atMs: number;
  counterInWh: number;
  counterOutWh: number;
}

/** Asked for a time before the first or after the last reading: the log cannot say what the counters were. */
export class CounterLogRangeError extends Error {
  override readonly name = 'CounterLogRangeError';
  constructor(deviceId: string, atMs: number, fromMs: number, toMs: number) {
    super(`device ${deviceId}: no counter readings around ${atMs} (the log covers ${fromMs}..${toMs})`);
  }
}

function countersOfModel(plant: RunningPlant, deviceId: string, kind: 'pv' | 'battery'): Omit<ModelCounters, 'atMs'> {
  if (kind === 'pv') {
    const pv = plant.model(deviceId) as PvInverterModel;
    return { counterInWh: 0, counterOutWh: pv.lifetimeEnergyWh };
  }
  const battery = plant.model(deviceId) as BatteryModel;
  return { counterInWh: battery.energyInWh, counterOutWh: battery.energyOutWh };
}

/**
 * Reads every node's model counters often (in the test process, straight from the models), so the counter at any
 * interval boundary can be interpolated afterwards. The models only advance when asked, so each reading first
 * advances the plant to the clock's now.
 */
export class ModelCounterLog {
  private readonly log = new Map<string, ModelCounters[]>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly plant: RunningPlant,
    private readonly nodes: ReadonlyArray<{ deviceId: string; kind: 'pv' | 'battery' }>,
  ) {
    for (const node of nodes) this.log.set(node.deviceId, []);
  }

  start(everyRealMs: number): void {
    this.read();
    this.timer = setInterval(() => this.read(), everyRealMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.read();
  }

  read(): void {
    const atMs = this.plant.advance();
    for (const node of this.nodes)
      this.log.get(node.deviceId)!.push({ atMs, ...countersOfModel(this.plant, node.deviceId, node.kind) });
  }

  /** The model's counters at `atMs`, linear between the two readings around it. */
  at(deviceId: string, atMs: number): ModelCounters {
    const readings = this.log.get(deviceId) ?? [];
    const first = readings[0];
    const last = readings.at(-1);
    if (!first || !last || atMs < first.atMs || atMs > last.atMs)
      throw new CounterLogRangeError(deviceId, atMs, first?.atMs ?? Number.NaN, last?.atMs ?? Number.NaN);
    let i = 1;
    while (i < readings.length - 1 && readings[i]!.atMs < atMs) i++;
    const before = readings[Math.max(0, i - 1)]!;
    const after = readings[i] ?? before;
    const span = after.atMs - before.atMs;
    const f = span > 0 ? (atMs - before.atMs) / span : 0;
    const mix = (a: number, b: number) => a + (b - a) * f;
    return {
      atMs,
      counterInWh: mix(before.counterInWh, after.counterInWh),
      counterOutWh: mix(before.counterOutWh, after.counterOutWh),
    };
  }
}
