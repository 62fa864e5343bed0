import { rampTowards } from '../sim/ramp.ts';
import { forEachSubStep } from '../sim/sub-steps.ts';
import type { DeviceModel } from './device-model.ts';

/** SunSpec storage charge states (model 124 `ChaSt`) plus FAULT (model 802 `State` 99). */
export type BatteryState = 'OFF' | 'EMPTY' | 'DISCHARGING' | 'CHARGING' | 'FULL' | 'HOLDING' | 'FAULT';

export interface BatteryConfig {
  id: string;
  capacityWh: number;
  maxChargeW: number;
  maxDischargeW: number;
  initialSocPct?: number;
  /** AC to AC round-trip efficiency (0..1]; each way loses its square root. */
  roundTripEfficiency?: number;
  /** The battery refuses to discharge below this state of charge, whatever it is told. */
  minReservePct?: number;
  /** Fastest change of AC power, W per second. */
  rampWPerS?: number;
  /** Lifetime counters to start a simulated device with. */
  initialEnergyInWh?: number;
  initialEnergyOutWh?: number;
}

export interface BatterySetpointCommand {
  /** AC power, discharge positive, charge negative; 0 holds. */
  powerW: number;
  /** Back to idle (0 W) if not refreshed within this time; 0 = holds until changed. */
  reversionMs: number;
}

/** A command or degradation outside what the battery accepts; says which battery and which value. */
export class BatteryCommandError extends RangeError {
  constructor(
    readonly deviceId: string,
    detail: string,
  ) {
    super(`battery ${deviceId}: ${detail}`);
    this.name = 'BatteryCommandError';
  }
}

const FULL_PCT = 100;

/**
 * A stationary battery with its inverter: follows a power setpoint within its charge and discharge limits and ramp,
 * keeps its own minimum reserve, loses energy each way (sqrt of the round-trip efficiency), falls back to idle when the
 * setpoint is not refreshed, and counts the AC energy it took in and gave out.
 */
export class BatteryModel implements DeviceModel {
  readonly id: string;
  readonly maxChargeW: number;
  readonly maxDischargeW: number;
  readonly rampWPerS: number;
  private readonly nominalCapacityWh: number;
  private readonly nominalRoundTrip: number;
  private reservePct: number;

  private lastMs: number | undefined;
  private storedWh: number;
  private capacityFade = 0;
  private efficiencyLoss = 0;
  private outputW = 0;
  private targetW = 0;
  private reversionAtMs: number | undefined;
  private revertedAt: number | undefined;
  private faulted = false;
  private running = true;
  private inWh: number;
  private outWh: number;

  constructor(config: BatteryConfig) {
    const fail = (detail: string): never => {
      throw new BatteryCommandError(config.id, detail);
    };
    if (!(config.capacityWh > 0)) fail(`capacity ${config.capacityWh} Wh must be > 0`);
    if (!(config.maxChargeW > 0)) fail(`max charge ${config.maxChargeW} W must be > 0`);
    if (!(config.maxDischargeW > 0)) fail(`max discharge ${config.maxDischargeW} W must be > 0`);
    const rte = config.roundTripEfficiency ?? 0.9;
    if (!(rte > 0 && rte <= 1)) fail(`round-trip efficiency ${rte} must be in (0, 1]`);
    const reserve = config.minReservePct ?? 10;
    if (!(reserve >= 0 && reserve < FULL_PCT)) fail(`reserve ${reserve} % must be in 0..100`);
    const soc = config.initialSocPct ?? 50;
    if (!(soc >= 0 && soc <= FULL_PCT)) fail(`state of charge ${soc} % must be in 0..100`);
    this.id = config.id;
    this.nominalCapacityWh = config.capacityWh;
    this.maxChargeW = config.maxChargeW;
    this.maxDischargeW = config.maxDischargeW;
    this.nominalRoundTrip = rte;
    this.reservePct = reserve;
    this.rampWPerS = config.rampWPerS ?? Math.max(config.maxChargeW, config.maxDischargeW) / 2;
    this.storedWh = (soc / FULL_PCT) * config.capacityWh;
    this.inWh = config.initialEnergyInWh ?? 0;
    this.outWh = config.initialEnergyOutWh ?? 0;
  }

  get acPowerW(): number {
    return this.outputW;
  }
  /** Usable capacity now, after fade. */
  get capacityWh(): number {
    return this.nominalCapacityWh * (1 - this.capacityFade);
  }
  get ratedCapacityWh(): number {
    return this.nominalCapacityWh;
  }
  get storedEnergyWh(): number {
    return this.storedWh;
  }
  get socPct(): number {
    return (this.storedWh / this.capacityWh) * FULL_PCT;
  }
  /** State of health: usable capacity as % of rated. */
  get sohPct(): number {
    return (1 - this.capacityFade) * FULL_PCT;
  }
  get minReservePct(): number {
    return this.reservePct;
  }
  get roundTripEfficiency(): number {
    return this.nominalRoundTrip * (1 - this.efficiencyLoss);
  }
  /** The setpoint the battery is ramping towards (0 after reversion). */
  get setpointW(): number {
    return this.targetW;
  }
  /** When the setpoint last fell back to idle by itself for want of a refresh. */
  get lastReversionMs(): number | undefined {
    return this.revertedAt;
  }
  get energyInWh(): number {
    return this.inWh;
  }
  get energyOutWh(): number {
    return this.outWh;
  }

  /** Whether the inverter is started (SunSpec 802 SetOp CONNECT and SetInvState STARTED); stopped, it gives 0 W. */
  get isRunning(): boolean {
    return this.running;
  }

  get state(): BatteryState {
    if (this.faulted) return 'FAULT';
    if (!this.running) return 'OFF';
    if (this.outputW > 0) return 'DISCHARGING';
    if (this.outputW < 0) return 'CHARGING';
    if (this.socPct >= FULL_PCT - 1e-9) return 'FULL';
    if (this.socPct <= this.reservePct + 1e-9) return 'EMPTY';
    return 'HOLDING';
  }

  setSetpoint(command: BatterySetpointCommand, nowMs: number): void {
    const { powerW, reversionMs } = command;
    if (!Number.isFinite(powerW)) throw new BatteryCommandError(this.id, `setpoint ${powerW} W is not a number`);
    if (powerW > this.maxDischargeW)
      throw new BatteryCommandError(this.id, `discharge setpoint ${powerW} W exceeds max ${this.maxDischargeW} W`);
    if (-powerW > this.maxChargeW)
      throw new BatteryCommandError(this.id, `charge setpoint ${-powerW} W exceeds max ${this.maxChargeW} W`);
    if (!(reversionMs >= 0)) throw new BatteryCommandError(this.id, `reversion time ${reversionMs} ms must be >= 0`);
    this.advanceTo(nowMs);
    this.targetW = powerW;
    this.reversionAtMs = reversionMs > 0 ? nowMs + reversionMs : undefined;
  }

  /** Sets the reserve the battery keeps by itself (SunSpec MinRsvPct). */
  setMinReservePct(pct: number): void {
    if (!(pct >= 0 && pct < FULL_PCT)) throw new BatteryCommandError(this.id, `reserve ${pct} % must be in 0..100`);
    this.reservePct = pct;
  }

  /** Ages the battery for tests: capacity fades by a fraction of rated, round-trip efficiency drops by a fraction of itself. */
  degrade(degradation: { capacityFadeFraction?: number; efficiencyLoss?: number }): void {
    const { capacityFadeFraction, efficiencyLoss } = degradation;
    if (capacityFadeFraction !== undefined && !(capacityFadeFraction >= 0 && capacityFadeFraction < 1)) {
      throw new BatteryCommandError(this.id, `capacity fade ${capacityFadeFraction} must be in 0..1`);
    }
    if (efficiencyLoss !== undefined && !(efficiencyLoss >= 0 && efficiencyLoss < 1)) {
      throw new BatteryCommandError(this.id, `efficiency loss ${efficiencyLoss} must be in 0..1`);
    }
    if (capacityFadeFraction !== undefined) this.capacityFade = capacityFadeFraction;
    if (efficiencyLoss !== undefined) this.efficiencyLoss = efficiencyLoss;
    // Cells that lost capacity cannot hold more than it: the excess is gone, as in a real aged pack.
    this.storedWh = Math.min(this.storedWh, this.capacityWh);
  }

  /**
   * Stops or starts the inverter, as an operator's start/stop does: stopped, the contactor opens and the battery
   * gives 0 W whatever its setpoint; started again, it ramps from 0 W towards the setpoint it holds.
   */
  setRunning(on: boolean, nowMs: number): void {
    this.advanceTo(nowMs);
    this.running = on;
    if (!on) this.outputW = 0;
  }

  /** Trips (or clears) a fault: the contactor opens at once and the setpoint is dropped; after clearing it idles. */
  setFault(on: boolean): void {
    this.faulted = on;
    this.outputW = 0;
    this.targetW = 0;
    this.reversionAtMs = undefined;
  }

  advanceTo(nowMs: number): void {
    if (this.lastMs === undefined) {
      this.lastMs = nowMs;
      return;
    }
    if (nowMs <= this.lastMs) return;
    const breakpoints = this.reversionAtMs === undefined ? [] : [this.reversionAtMs];
    forEachSubStep(this.lastMs, nowMs, breakpoints, (startMs, endMs) => this.step(startMs, endMs));
    this.lastMs = nowMs;
  }

  private step(startMs: number, endMs: number): void {
    const dtS = (endMs - startMs) / 1000;
    if (this.reversionAtMs !== undefined && startMs >= this.reversionAtMs) {
      this.revertedAt = this.reversionAtMs;
      this.targetW = 0;
      this.reversionAtMs = undefined;
    }
    if (this.faulted || !this.running) {
      this.outputW = 0;
      return;
    }
    const ramped = rampTowards(this.outputW, this.targetW, this.rampWPerS * dtS);
    const powerW = this.clampToEnergy(ramped, dtS);
    const oneWay = Math.sqrt(this.roundTripEfficiency);
    const hours = dtS / 3600;
    if (powerW > 0) {
      this.storedWh -= (powerW / oneWay) * hours;
      this.outWh += powerW * hours;
    } else if (powerW < 0) {
      this.storedWh += -powerW * oneWay * hours;
      this.inWh += -powerW * hours;
    }
    // Rounding must never let the store cross its bounds.
    this.storedWh = Math.min(Math.max(this.storedWh, 0), this.capacityWh);
    this.outputW = powerW;
  }

  /** Caps power so that this step ends no lower than the reserve and no higher than full (the BMS's own limits). */
  private clampToEnergy(powerW: number, dtS: number): number {
    if (dtS <= 0) return powerW;
    const oneWay = Math.sqrt(this.roundTripEfficiency);
    const hours = dtS / 3600;
    if (powerW > 0) {
      const aboveReserveWh = Math.max(0, this.storedWh - (this.reservePct / FULL_PCT) * this.capacityWh);
      return Math.min(powerW, (aboveReserveWh * oneWay) / hours);
    }
    if (powerW < 0) {
      const roomWh = Math.max(0, this.capacityWh - this.storedWh);
      return -Math.min(-powerW, roomWh / oneWay / hours);
    }
    return 0;
  }
}
