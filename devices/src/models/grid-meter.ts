import { forEachSubStep } from '../sim/sub-steps.ts';
import type { DeviceModel } from './device-model.ts';

export interface GridMeterConfig {
  id: string;
  /** Everything behind the connection point: site load, inverters, batteries, miners. */
  behindTheMeter: DeviceModel[];
  nominalFrequencyHz?: number;
  nominalVoltageV?: number;
  /**
   * The most the connection carries (W), default 100 kW. Voltage sags (or rises) with the power relative to it, so a
   * multi-MW site shows a few % as a small one does instead of a sag of hundreds of volts.
   */
  connectionCapacityW?: number;
  /** Counters to start with, so a simulated meter does not read as brand new. */
  initialImportWh?: number;
  initialExportWh?: number;
}

/**
 * The revenue meter at the grid connection point. It advances the devices behind it in lockstep sub-steps and
 * integrates the balance between them, so its counters are the true integral of what a controller would see:
 * power = load - generation = -(sum of acPowerW), import positive.
 */
export class GridMeterModel implements DeviceModel {
  readonly id: string;
  readonly nominalFrequencyHz: number;
  readonly nominalVoltageV: number;
  readonly connectionCapacityW: number;
  private readonly members: DeviceModel[];
  private lastMs: number | undefined;
  private importWh: number;
  private exportWh: number;
  private faulted = false;

  constructor(config: GridMeterConfig) {
    this.id = config.id;
    this.members = [...config.behindTheMeter];
    this.nominalFrequencyHz = config.nominalFrequencyHz ?? 50;
    this.nominalVoltageV = config.nominalVoltageV ?? 230;
    this.connectionCapacityW = config.connectionCapacityW ?? 100_000;
    this.importWh = config.initialImportWh ?? 0;
    this.exportWh = config.initialExportWh ?? 0;
  }

  /** The meter itself neither makes nor uses power worth counting. */
  get acPowerW(): number {
    return 0;
  }

  /** Import positive, export negative. */
  get powerW(): number {
    let sum = 0;
    for (const member of this.members) sum += member.acPowerW;
    return -sum;
  }
  get energyImportedWh(): number {
    return this.importWh;
  }
  get energyExportedWh(): number {
    return this.exportWh;
  }
  get isFaulted(): boolean {
    return this.faulted;
  }

  /**
   * Grid frequency: the nominal value with slow, small, deterministic wander (a few tens of mHz), as a stiff grid shows.
   * Derived from time alone so two reads at one instant agree.
   */
  get frequencyHz(): number {
    const t = (this.lastMs ?? 0) / 1000;
    return this.nominalFrequencyHz + 0.03 * Math.sin((2 * Math.PI * t) / 317) + 0.01 * Math.sin((2 * Math.PI * t) / 41);
  }

  /** Phase-to-neutral voltage: nominal, pushed up a little by export and down by import (a weak feeder). */
  get voltageV(): number {
    const t = (this.lastMs ?? 0) / 1000;
    // Up to 3% sag at full import (rise at full export), clamped to the ±5% a grid operator keeps to.
    const loading = Math.max(-1.5, Math.min(1.5, this.powerW / this.connectionCapacityW));
    return this.nominalVoltageV * (1 - 0.03 * loading) + 1.5 * Math.sin((2 * Math.PI * t) / 613);
  }

  /**
   * A meter fault (failed measurement or communication board): its face reports the event and unknown readings, while
   * the metrology keeps counting, as a certified meter's registers do.
   */
  setFault(on: boolean): void {
    this.faulted = on;
  }

  advanceTo(nowMs: number): void {
    if (this.lastMs === undefined) {
      for (const member of this.members) member.advanceTo(nowMs);
      this.lastMs = nowMs;
      return;
    }
    if (nowMs <= this.lastMs) return;
    forEachSubStep(this.lastMs, nowMs, [], (startMs, endMs) => {
      for (const member of this.members) member.advanceTo(endMs);
      const powerW = this.powerW;
      const wh = (Math.abs(powerW) * (endMs - startMs)) / 3_600_000;
      if (powerW > 0) this.importWh += wh;
      else this.exportWh += wh;
    });
    this.lastMs = nowMs;
  }
}
