import { z } from 'zod';
import type { DeviceModel } from './device-model.ts';

/**
 * A bitcoin miner as a flexible load, after the control surface of mining firmware (Braiins OS, LuxOS, pyasic):
 * a power target in a range, fast pause/resume with ramp times, hashrate that follows power, a temperature, and
 * minimum on and off times that protect the hardware from being cycled too often.
 */
export const minerConfigSchema = z
  .object({
    id: z.string().min(1),
    minPowerW: z.number().finite().positive(),
    maxPowerW: z.number().finite().positive(),
    /** The target at start; defaults to maxPowerW. */
    powerTargetW: z.number().finite().positive().optional(),
    /** How fast the power follows a new target while running (firmware re-tunes chips slowly). */
    powerTargetRampWPerS: z.number().finite().positive().default(100),
    /** Time to ramp from the target down to 0 W after a pause. */
    pauseRampS: z.number().finite().nonnegative().default(5),
    /** Time to ramp from 0 W up to the target after a resume. */
    resumeRampS: z.number().finite().nonnegative().default(15),
    hashrateThsPerKw: z.number().finite().positive().default(30),
    minOnS: z.number().finite().nonnegative().default(60),
    minOffS: z.number().finite().nonnegative().default(60),
    ambientC: z.number().finite().default(25),
    /** Steady-state temperature rise per kW drawn, with healthy cooling. */
    temperatureRiseCPerKw: z.number().finite().nonnegative().default(15),
    /** First-order thermal time constant of the hashboards and heatsinks. */
    thermalTimeConstantS: z.number().finite().positive().default(120),
    /** Above this the firmware's thermal protection trips the miner into FAULT. */
    overheatC: z.number().finite().default(95),
    initialState: z.enum(['running', 'paused']).default('running'),
    /** Simulation time the model starts at (epoch ms). */
    startMs: z.number().finite(),
  })
  .refine((c) => c.minPowerW <= c.maxPowerW, { message: 'minPowerW must not exceed maxPowerW', path: ['minPowerW'] })
  .refine((c) => c.powerTargetW === undefined || (c.powerTargetW >= c.minPowerW && c.powerTargetW <= c.maxPowerW), {
    message: 'powerTargetW must lie within minPowerW..maxPowerW',
    path: ['powerTargetW'],
  });

export type MinerConfig = z.input<typeof minerConfigSchema>;
type ResolvedMinerConfig = z.output<typeof minerConfigSchema>;

export type MinerState = 'running' | 'paused' | 'ramping-up' | 'ramping-down' | 'fault';
export type MinerCommand = 'pause' | 'resume';
export type MinerRefusalReason = 'min-on-time' | 'min-off-time' | 'fault';

export class MinerConfigError extends Error {
  override readonly name = 'MinerConfigError';
  constructor(
    readonly minerId: string,
    readonly issues: string[],
  ) {
    super(`miner ${minerId}: invalid config: ${issues.join('; ')}`);
  }
}

/** A pause or resume the miner refuses; `timeLeftS` says when it would be accepted (0 when it never will by itself). */
export class MinerCommandRefusedError extends Error {
  override readonly name = 'MinerCommandRefusedError';
  constructor(
    readonly minerId: string,
    readonly command: MinerCommand,
    readonly reason: MinerRefusalReason,
    readonly timeLeftS: number,
  ) {
    super(
      reason === 'fault'
        ? `miner ${minerId}: ${command} refused: the miner is in FAULT`
        : `miner ${minerId}: ${command} refused: minimum ${reason === 'min-on-time' ? 'on' : 'off'} time not reached, ${timeLeftS.toFixed(1)} s left`,
    );
  }
}

export class MinerPowerTargetError extends RangeError {
  override readonly name = 'MinerPowerTargetError';
  constructor(
    readonly minerId: string,
    readonly requestedW: number,
    readonly minPowerW: number,
    readonly maxPowerW: number,
  ) {
    super(`miner ${minerId}: power target ${requestedW} W is outside ${minPowerW}..${maxPowerW} W`);
  }
}

/** Physics integrate in sub-steps no longer than this, so a long jump of the clock still ramps and heats correctly. */
const MAX_STEP_MS = 1000;

export class MinerModel implements DeviceModel {
  readonly id: string;
  readonly config: Readonly<ResolvedMinerConfig>;
  private currentState: MinerState;
  private currentPowerW: number;
  private targetW: number;
  private tempC: number;
  private consumedWh = 0;
  private lastMs: number;
  /** When the current on period (resume) or off period (pause) began: min on/off times count from these. */
  private onSinceMs: number;
  private offSinceMs: number;
  private coolingLossFraction = 0;
  private injectedFault = false;
  private thermalTrip = false;

  constructor(config: MinerConfig) {
    const parsed = minerConfigSchema.safeParse(config);
    if (!parsed.success) {
      throw new MinerConfigError(
        typeof config?.id === 'string' ? config.id : '(no id)',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`),
      );
    }
    this.config = parsed.data;
    this.id = parsed.data.id;
    this.targetW = parsed.data.powerTargetW ?? parsed.data.maxPowerW;
    this.lastMs = parsed.data.startMs;
    this.currentState = parsed.data.initialState;
    this.currentPowerW = this.currentState === 'running' ? this.targetW : 0;
    // A miner that starts running has been running long enough to be at its steady temperature and past min on/off.
    this.tempC = this.steadyTemperatureC(this.currentPowerW);
    this.onSinceMs = parsed.data.startMs - parsed.data.minOnS * 1000;
    this.offSinceMs = parsed.data.startMs - parsed.data.minOffS * 1000;
  }

  get state(): MinerState {
    return this.currentState;
  }
  /** Power drawn, positive. */
  get powerW(): number {
    return this.currentPowerW;
  }
  /** A load: negative at the terminals. */
  get acPowerW(): number {
    return -this.currentPowerW;
  }
  get powerTargetW(): number {
    return this.targetW;
  }
  get minPowerW(): number {
    return this.config.minPowerW;
  }
  get maxPowerW(): number {
    return this.config.maxPowerW;
  }
  get hashrateThs(): number {
    return (this.currentPowerW / 1000) * this.config.hashrateThsPerKw;
  }
  get temperatureC(): number {
    return this.tempC;
  }
  /** Lifetime energy drawn. */
  get energyConsumedWh(): number {
    return this.consumedWh;
  }
  /** Why the miner is in FAULT, if it is. */
  get faultCause(): 'injected' | 'overheat' | null {
    if (this.injectedFault) return 'injected';
    if (this.thermalTrip) return 'overheat';
    return null;
  }
  /** Simulation time the physics stand at. */
  get timeMs(): number {
    return this.lastMs;
  }

  /** Ramps down to 0 W. Refused before the minimum on time has passed since the last resume. */
  pause(nowMs: number): void {
    this.advanceTo(nowMs);
    if (this.currentState === 'fault') throw new MinerCommandRefusedError(this.id, 'pause', 'fault', 0);
    if (this.currentState === 'paused' || this.currentState === 'ramping-down') return;
    const leftMs = this.onSinceMs + this.config.minOnS * 1000 - this.lastMs;
    if (leftMs > 0) throw new MinerCommandRefusedError(this.id, 'pause', 'min-on-time', leftMs / 1000);
    this.currentState = 'ramping-down';
    this.offSinceMs = this.lastMs;
    if (this.currentPowerW === 0) this.currentState = 'paused';
  }

  /** Ramps up to the power target. Refused before the minimum off time has passed since the last pause. */
  resume(nowMs: number): void {
    this.advanceTo(nowMs);
    if (this.currentState === 'fault') throw new MinerCommandRefusedError(this.id, 'resume', 'fault', 0);
    if (this.currentState === 'running' || this.currentState === 'ramping-up') return;
    const leftMs = this.offSinceMs + this.config.minOffS * 1000 - this.lastMs;
    if (leftMs > 0) throw new MinerCommandRefusedError(this.id, 'resume', 'min-off-time', leftMs / 1000);
    this.currentState = 'ramping-up';
    this.onSinceMs = this.lastMs;
  }

  /** Sets the target the miner runs at (and resumes to). A bad value throws and leaves the target unchanged. */
  setPowerTarget(powerW: number): void {
    if (
      typeof powerW !== 'number' ||
      !Number.isFinite(powerW) ||
      powerW < this.config.minPowerW ||
      powerW > this.config.maxPowerW
    ) {
      throw new MinerPowerTargetError(this.id, powerW, this.config.minPowerW, this.config.maxPowerW);
    }
    this.targetW = powerW;
  }

  /** Worn fans or clogged filters: a fraction of the cooling is lost, so the same power runs hotter. */
  degrade(d: { coolingLossFraction?: number }): void {
    if (d.coolingLossFraction === undefined) return;
    const loss = d.coolingLossFraction;
    if (!Number.isFinite(loss) || loss < 0 || loss >= 1) {
      throw new RangeError(`miner ${this.id}: coolingLossFraction ${loss} must be in [0, 1)`);
    }
    this.coolingLossFraction = loss;
  }

  /**
   * Injects or clears a FAULT (the device's own failure, not a protocol one). Clearing also acknowledges a thermal
   * trip; the miner then stays paused until resumed, like real firmware after a protection stop.
   */
  setFault(on: boolean): void {
    if (on) {
      this.injectedFault = true;
      this.enterFault();
      return;
    }
    this.injectedFault = false;
    this.thermalTrip = false;
    if (this.currentState === 'fault') {
      this.currentState = 'paused';
      // The protection stop counts as the start of an off period.
      this.offSinceMs = this.lastMs;
    }
  }

  advanceTo(nowMs: number): void {
    while (this.lastMs < nowMs) {
      const stepMs = Math.min(MAX_STEP_MS, nowMs - this.lastMs);
      this.step(stepMs / 1000);
      this.lastMs += stepMs;
    }
  }

  private step(dtS: number): void {
    const startPowerW = this.currentPowerW;
    const { goalW, rateWPerS } = this.rampGoal();
    // Power moves linearly toward its goal; the energy of the step is the exact area under that ramp.
    const distanceW = goalW - startPowerW;
    const reachS = rateWPerS === Infinity ? 0 : Math.abs(distanceW) / rateWPerS;
    let energyWs: number;
    if (reachS > dtS) {
      const endPowerW = startPowerW + Math.sign(distanceW) * rateWPerS * dtS;
      energyWs = ((startPowerW + endPowerW) / 2) * dtS;
      this.currentPowerW = endPowerW;
    } else {
      energyWs = ((startPowerW + goalW) / 2) * reachS + goalW * (dtS - reachS);
      this.currentPowerW = goalW;
      if (this.currentState === 'ramping-up') this.currentState = 'running';
      if (this.currentState === 'ramping-down') this.currentState = 'paused';
    }
    this.consumedWh += energyWs / 3600;

    // First-order thermal model, solved exactly over the step with the step's mean power.
    const meanPowerW = energyWs / dtS;
    const decay = Math.exp(-dtS / this.config.thermalTimeConstantS);
    this.tempC = this.steadyTemperatureC(meanPowerW) + (this.tempC - this.steadyTemperatureC(meanPowerW)) * decay;
    if (this.tempC >= this.config.overheatC && this.currentState !== 'fault') {
      this.thermalTrip = true;
      this.enterFault();
    }
  }

  private rampGoal(): { goalW: number; rateWPerS: number } {
    const ratePerS = (rampS: number): number => (rampS === 0 ? Infinity : this.targetW / rampS);
    switch (this.currentState) {
      case 'running':
        return { goalW: this.targetW, rateWPerS: this.config.powerTargetRampWPerS };
      case 'ramping-up':
        return { goalW: this.targetW, rateWPerS: ratePerS(this.config.resumeRampS) };
      case 'ramping-down':
        return { goalW: 0, rateWPerS: ratePerS(this.config.pauseRampS) };
      case 'paused':
      case 'fault':
        return { goalW: 0, rateWPerS: Infinity };
    }
  }

  private steadyTemperatureC(powerW: number): number {
    return (
      this.config.ambientC + (this.config.temperatureRiseCPerKw * (powerW / 1000)) / (1 - this.coolingLossFraction)
    );
  }

  /** A protection stop: hashing stops at once, so the power drops without a ramp. */
  private enterFault(): void {
    this.currentState = 'fault';
    this.currentPowerW = 0;
  }
}
