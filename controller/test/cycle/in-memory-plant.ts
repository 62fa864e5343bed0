// Small in-memory devices implementing the natures, for the cycle's unit tests and its benchmark. They model just
// enough physics (PV availability, battery SoC, miner power, the grid meter's balance) to close the control loop;
// the simulated plant over real sockets lives in devices/.
import {
  DeviceError,
  type Battery,
  type BatteryReading,
  type BatterySetpoint,
  type DeviceErrorKind,
  type FlexibleLoad,
  type FlexibleLoadReading,
  type FlexibleLoadSetpoint,
  type Meter,
  type MeterReading,
  type PvInverter,
  type PvInverterReading,
  type PvInverterSetpoint,
} from '../../src/natures/index.ts';
import type { Scheduler } from '../../src/cycle/scheduler.ts';

/** How an in-memory device misbehaves: refuse/fail with a DeviceError kind, or never answer. */
export type InMemoryFault = { kind: DeviceErrorKind } | { kind: 'hang' } | null;

abstract class InMemoryDevice<Reading, Setpoint> {
  fault: InMemoryFault = null;
  connectFault: InMemoryFault = null;
  readonly connectAttemptsAtMs: number[] = [];
  readonly writes: Setpoint[] = [];
  reads = 0;
  connected = false;

  constructor(
    readonly deviceId: string,
    protected readonly scheduler: Scheduler,
  ) {}

  private misbehave(fault: InMemoryFault, action: string): Promise<never> | null {
    if (!fault) return null;
    if (fault.kind === 'hang') return new Promise<never>(() => undefined);
    return Promise.reject(new DeviceError(this.deviceId, fault.kind, `in-memory ${action} fault`));
  }

  connect(): Promise<void> {
    this.connectAttemptsAtMs.push(this.scheduler.now());
    const failing = this.misbehave(this.connectFault, 'connect');
    if (failing) return failing;
    this.connected = true;
    return Promise.resolve();
  }

  read(): Promise<Reading> {
    this.reads += 1;
    const failing = this.misbehave(this.fault, 'read');
    if (failing) return failing;
    if (!this.connected) return Promise.reject(new DeviceError(this.deviceId, 'not-connected', 'read before connect'));
    return Promise.resolve(this.reading());
  }

  write(setpoint: Setpoint): Promise<void> {
    const failing = this.misbehave(this.fault, 'write');
    if (failing) return failing;
    this.writes.push(setpoint);
    this.apply(setpoint);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }

  protected abstract reading(): Reading;
  protected abstract apply(setpoint: Setpoint): void;
  /** Net AC power at the terminals, generation positive. */
  abstract acPowerW(): number;
}

export class InMemoryPv extends InMemoryDevice<PvInverterReading, PvInverterSetpoint> implements PvInverter {
  readonly nature = 'pv-inverter' as const;
  availableW: number;
  limitPct = 100;
  /** What the inverter reports as its output instead of the truth (a decoding or metering fault); null = the truth. */
  reportedPowerW: number | null = null;
  /** The operating state it reports instead of its own (null = mppt or throttled by its limit). */
  reportedState: PvInverterReading['state'] | null = null;
  constructor(
    id: string,
    scheduler: Scheduler,
    readonly ratedPowerW: number,
    availableW = 0,
  ) {
    super(id, scheduler);
    this.availableW = availableW;
  }
  acPowerW(): number {
    return Math.min(this.availableW, (this.limitPct / 100) * this.ratedPowerW);
  }
  protected reading(): PvInverterReading {
    return {
      powerW: this.reportedPowerW ?? this.acPowerW(),
      ratedPowerW: this.ratedPowerW,
      powerLimitPct: this.limitPct,
      energyWh: 0,
      state: this.reportedState ?? (this.limitPct < 100 ? 'throttled' : 'mppt'),
    };
  }
  protected apply(setpoint: PvInverterSetpoint): void {
    if (!(setpoint.powerLimitPct > 0))
      throw new Error(`${this.deviceId}: a 0 % limit would put the inverter in standby`);
    this.limitPct = setpoint.powerLimitPct;
  }
}

export class InMemoryBattery extends InMemoryDevice<BatteryReading, BatterySetpoint> implements Battery {
  readonly nature = 'battery' as const;
  setpointW = 0;
  reportsFault = false;
  /** Reads its power as unknown (a sentinel), while still charging or discharging at its setpoint. */
  powerUnknown = false;
  /** Reads its state of charge as unknown (a sentinel or an impossible value). */
  socUnknown = false;
  private lastMs: number;
  constructor(
    id: string,
    scheduler: Scheduler,
    readonly capacityWh: number,
    public socPct: number,
    readonly maxPowerW: number,
    readonly minReservePct = 5,
  ) {
    super(id, scheduler);
    this.lastMs = scheduler.now();
  }
  /** Integrates the state of charge up to the scheduler's now. */
  integrate(): void {
    const now = this.scheduler.now();
    const hours = (now - this.lastMs) / 3_600_000;
    this.lastMs = now;
    this.socPct = Math.min(100, Math.max(0, this.socPct - (this.acPowerW() * hours * 100) / this.capacityWh));
  }
  acPowerW(): number {
    if (this.reportsFault) return 0;
    if (this.setpointW > 0 && this.socPct <= 0) return 0;
    if (this.setpointW < 0 && this.socPct >= 100) return 0;
    return this.setpointW;
  }
  protected reading(): BatteryReading {
    this.integrate();
    return {
      powerW: this.powerUnknown ? null : this.acPowerW(),
      socPct: this.socUnknown ? null : this.socPct,
      capacityWh: this.capacityWh,
      maxChargeW: this.maxPowerW,
      maxDischargeW: this.maxPowerW,
      minReservePct: this.minReservePct,
      energyInWh: 0,
      energyOutWh: 0,
      state: this.reportsFault ? 'fault' : 'standby',
    };
  }
  protected apply(setpoint: BatterySetpoint): void {
    this.integrate();
    this.setpointW = setpoint.powerW;
  }
}

export class InMemoryMiner extends InMemoryDevice<FlexibleLoadReading, FlexibleLoadSetpoint> implements FlexibleLoad {
  readonly nature = 'flexible-load' as const;
  running = false;
  powerTargetW: number;
  constructor(
    id: string,
    scheduler: Scheduler,
    readonly minPowerW: number,
    readonly maxPowerW: number,
  ) {
    super(id, scheduler);
    this.powerTargetW = maxPowerW;
  }
  acPowerW(): number {
    return this.running ? -this.powerTargetW : 0;
  }
  protected reading(): FlexibleLoadReading {
    return {
      powerW: -this.acPowerW(),
      powerTargetW: this.powerTargetW,
      minPowerW: this.minPowerW,
      maxPowerW: this.maxPowerW,
      hashrateThs: this.running ? this.powerTargetW / 30 : 0,
      temperatureC: 60,
      energyWh: 0,
      state: this.running ? 'running' : 'paused',
    };
  }
  protected apply(setpoint: FlexibleLoadSetpoint): void {
    if (setpoint.kind === 'pause') this.running = false;
    else if (setpoint.kind === 'resume') this.running = true;
    else this.powerTargetW = Math.min(this.maxPowerW, Math.max(this.minPowerW, setpoint.powerTargetW));
  }
}

export class InMemoryMeter extends InMemoryDevice<MeterReading, never> implements Meter {
  readonly nature = 'meter' as const;
  constructor(
    id: string,
    scheduler: Scheduler,
    private readonly gridPowerW: () => number,
  ) {
    super(id, scheduler);
  }
  acPowerW(): number {
    return 0;
  }
  protected reading(): MeterReading {
    return { powerW: this.gridPowerW(), energyImportedWh: 0, energyExportedWh: 0, frequencyHz: 50, voltageV: 230 };
  }
  protected apply(): void {}
}

/** A site: uncontrolled load plus the devices; the meter sees load - sum of device output (import positive). */
export class InMemorySite {
  loadW = 0;
  readonly meter: InMemoryMeter;
  private readonly others: { acPowerW(): number; integrate?(): void }[] = [];

  constructor(
    readonly scheduler: Scheduler,
    meterId = 'meter',
  ) {
    this.meter = new InMemoryMeter(meterId, scheduler, () => this.gridPowerW());
  }

  add<T extends { acPowerW(): number }>(device: T): T {
    this.others.push(device);
    return device;
  }

  gridPowerW(): number {
    for (const device of this.others) device.integrate?.();
    return this.loadW - this.others.reduce((sum, d) => sum + d.acPowerW(), 0);
  }
}
