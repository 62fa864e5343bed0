import type { CapacityFactorProfile } from '../profiles/pv-capacity-factor.ts';
import { rampTowards } from '../sim/ramp.ts';
import { forEachSubStep } from '../sim/sub-steps.ts';
import type { DeviceModel } from './device-model.ts';

/** SunSpec inverter operating states (model 103 `St`) this model can be in. */
export type PvInverterState = 'OFF' | 'SLEEPING' | 'STARTING' | 'MPPT' | 'THROTTLED' | 'FAULT' | 'STANDBY';

export interface PvInverterConfig {
  id: string;
  ratedPowerW: number;
  /** Capacity factor (0..1) over simulation time; the plant passes the Victorian PV profile. */
  profile: CapacityFactorProfile;
  /** Losses of the DC strings (soiling, mismatch, wiring) as a fraction of the array's output. */
  stringLossFraction?: number;
  /** How fast the power limit in force follows a new limit when no ramp time is given, in % of rating per second. */
  limitRampPctPerS?: number;
  /** Time from first light (or from a cleared fault) to feeding in, during which the state is STARTING. */
  startingMs?: number;
  /** Capacity factor under which the inverter sleeps (night). */
  sleepBelowCapacityFactor?: number;
  /** Lifetime energy the inverter has already produced, to start a simulated device with a plausible counter. */
  initialEnergyWh?: number;
}

export interface PvPowerLimitCommand {
  /** Limit in % of rated power, 0..100. 0 sends the inverter to STANDBY, as several real ones do. */
  limitPct: number;
  /** Back to 100 % if not refreshed within this time; 0 = the limit holds until changed (SunSpec RvrtTms 0). */
  reversionMs: number;
  /** Time to move from the limit in force to the new one; omitted = the configured ramp rate. */
  rampMs?: number;
}

/** A command or degradation outside what the device accepts; says which device and which value. */
export class PvInverterCommandError extends RangeError {
  constructor(
    readonly deviceId: string,
    detail: string,
  ) {
    super(`PV inverter ${deviceId}: ${detail}`);
    this.name = 'PvInverterCommandError';
  }
}

/**
 * A grid-tied PV inverter: output = rating x capacity factor x (1 - string loss), capped by a power limit in % that
 * ramps, reverts to 100 % when not refreshed, and integrates a lifetime energy counter.
 */
export class PvInverterModel implements DeviceModel {
  readonly id: string;
  readonly ratedPowerW: number;
  private readonly profile: CapacityFactorProfile;
  private readonly defaultRampPctPerS: number;
  private readonly startingMs: number;
  private readonly sleepBelow: number;

  private lastMs: number | undefined;
  private stringLoss: number;
  private outputW = 0;
  private energy: number;
  private faulted = false;
  private connected = true;
  private startingUntilMs: number | undefined;
  private sleeping = true;

  private limitEnabled = false;
  private targetLimitPct = 100;
  private limitInForcePct = 100;
  private rampPctPerS: number;
  private reversionAtMs: number | undefined;
  private revertedAt: number | undefined;

  constructor(config: PvInverterConfig) {
    if (!(config.ratedPowerW > 0))
      throw new PvInverterCommandError(config.id, `rated power ${config.ratedPowerW} W must be > 0`);
    this.id = config.id;
    this.ratedPowerW = config.ratedPowerW;
    this.profile = config.profile;
    this.stringLoss = config.stringLossFraction ?? 0.03;
    this.defaultRampPctPerS = config.limitRampPctPerS ?? 10;
    this.rampPctPerS = this.defaultRampPctPerS;
    this.startingMs = config.startingMs ?? 60_000;
    this.sleepBelow = config.sleepBelowCapacityFactor ?? 0.002;
    this.energy = config.initialEnergyWh ?? 0;
  }

  get acPowerW(): number {
    return this.outputW;
  }
  get lifetimeEnergyWh(): number {
    return this.energy;
  }
  get stringLossFraction(): number {
    return this.stringLoss;
  }
  /** The limit the inverter is ramping towards (100 when no limit is enabled). */
  get powerLimitPct(): number {
    return this.limitEnabled ? this.targetLimitPct : 100;
  }
  /** The limit actually capping output right now, part-way through a ramp. */
  get powerLimitInForcePct(): number {
    return this.limitInForcePct;
  }
  get powerLimitEnabled(): boolean {
    return this.limitEnabled;
  }
  /** When the limit last reverted by itself for want of a refresh (a face shows the control as disabled after it). */
  get lastReversionMs(): number | undefined {
    return this.revertedAt;
  }
  get isConnected(): boolean {
    return this.connected;
  }
  /** What the array could deliver now without a limit, W. */
  get availablePowerW(): number {
    return this.lastMs === undefined ? 0 : this.availableAt(this.lastMs);
  }

  get state(): PvInverterState {
    if (this.faulted) return 'FAULT';
    if (!this.connected) return 'OFF';
    if (this.limitEnabled && this.targetLimitPct === 0 && this.limitInForcePct === 0) return 'STANDBY';
    if (this.sleeping) return 'SLEEPING';
    if (this.startingUntilMs !== undefined) return 'STARTING';
    if (this.lastMs !== undefined && this.outputW < this.availableAt(this.lastMs) - 1e-6) return 'THROTTLED';
    return 'MPPT';
  }

  setPowerLimit(command: PvPowerLimitCommand, nowMs: number): void {
    const { limitPct, reversionMs, rampMs } = command;
    if (!(limitPct >= 0 && limitPct <= 100))
      throw new PvInverterCommandError(this.id, `power limit ${limitPct} % is outside 0..100 %`);
    if (!(reversionMs >= 0)) throw new PvInverterCommandError(this.id, `reversion time ${reversionMs} ms must be >= 0`);
    if (rampMs !== undefined && !(rampMs >= 0))
      throw new PvInverterCommandError(this.id, `ramp time ${rampMs} ms must be >= 0`);
    this.advanceTo(nowMs);
    this.limitEnabled = true;
    this.targetLimitPct = limitPct;
    this.rampPctPerS = rampRate(this.limitInForcePct, limitPct, rampMs, this.defaultRampPctPerS);
    this.reversionAtMs = reversionMs > 0 ? nowMs + reversionMs : undefined;
  }

  /** Lifts the limit (WMaxLim_Ena = disabled): output ramps back to 100 %. */
  clearPowerLimit(nowMs: number): void {
    this.advanceTo(nowMs);
    this.revert();
  }

  /** Connects or disconnects the inverter from the grid (SunSpec Conn); disconnected it is OFF and feeds nothing. */
  setConnected(connected: boolean, nowMs: number): void {
    this.advanceTo(nowMs);
    if (connected && !this.connected) this.startingUntilMs = nowMs + this.startingMs;
    this.connected = connected;
  }

  /** Ages the strings, for predictive-maintenance tests: output drops by the fraction given. */
  degrade(degradation: { stringLossFraction: number }): void {
    const loss = degradation.stringLossFraction;
    if (!(loss >= 0 && loss < 1)) throw new PvInverterCommandError(this.id, `string loss ${loss} must be in 0..1`);
    this.stringLoss = loss;
  }

  /** Trips (or clears) an internal fault: output stops at once; after clearing, the inverter starts again. */
  setFault(on: boolean): void {
    if (this.faulted && !on && this.lastMs !== undefined) this.startingUntilMs = this.lastMs + this.startingMs;
    this.faulted = on;
    if (on) this.outputW = 0;
  }

  advanceTo(nowMs: number): void {
    if (this.lastMs === undefined) {
      this.lastMs = nowMs;
      this.sleeping = this.profile(nowMs) < this.sleepBelow;
      if (!this.sleeping && !this.faulted) this.outputW = this.powerAt(nowMs);
      return;
    }
    if (nowMs <= this.lastMs) return;
    const breakpoints: number[] = [];
    if (this.reversionAtMs !== undefined) breakpoints.push(this.reversionAtMs);
    if (this.startingUntilMs !== undefined) breakpoints.push(this.startingUntilMs);
    forEachSubStep(this.lastMs, nowMs, breakpoints, (startMs, endMs) => this.step(startMs, endMs));
    this.lastMs = nowMs;
  }

  private step(startMs: number, endMs: number): void {
    const dtS = (endMs - startMs) / 1000;
    if (this.reversionAtMs !== undefined && startMs >= this.reversionAtMs) {
      this.revertedAt = this.reversionAtMs;
      this.revert();
    }
    const target = this.limitEnabled ? this.targetLimitPct : 100;
    this.limitInForcePct = rampTowards(this.limitInForcePct, target, this.rampPctPerS * dtS);

    const cf = this.profile(endMs);
    const wasSleeping = this.sleeping;
    this.sleeping = cf < this.sleepBelow;
    if (wasSleeping && !this.sleeping) this.startingUntilMs = endMs + this.startingMs;
    if (this.startingUntilMs !== undefined && endMs >= this.startingUntilMs) this.startingUntilMs = undefined;

    const feeding = !this.faulted && this.connected && !this.sleeping && this.startingUntilMs === undefined;
    this.outputW = feeding ? this.powerAt(endMs) : 0;
    this.energy += (this.outputW * dtS) / 3600;
  }

  private revert(): void {
    this.limitEnabled = false;
    this.targetLimitPct = 100;
    this.rampPctPerS = this.defaultRampPctPerS;
    this.reversionAtMs = undefined;
  }

  private availableAt(ms: number): number {
    return this.ratedPowerW * Math.max(0, this.profile(ms)) * (1 - this.stringLoss);
  }

  private powerAt(ms: number): number {
    return Math.min(this.availableAt(ms), (this.ratedPowerW * this.limitInForcePct) / 100);
  }
}

/** %/s needed to cover the distance in `rampMs`, or the default rate; a 0 ms ramp is a step. */
function rampRate(fromPct: number, toPct: number, rampMs: number | undefined, defaultPctPerS: number): number {
  if (rampMs === undefined) return defaultPctPerS;
  if (rampMs === 0) return Number.POSITIVE_INFINITY;
  return Math.max(Math.abs(toPct - fromPct) / (rampMs / 1000), 1e-9);
}
