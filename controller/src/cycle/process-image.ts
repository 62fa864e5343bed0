import type { BatteryReading, FlexibleLoadReading, MeterReading, PvInverterReading } from '../natures/index.ts';
import type { DeviceFailure } from '../statecharts/device-supervisor.machine.ts';
import type { DeviceSupervisorState } from '../statecharts/device-supervisor.machine.ts';

interface SnapshotBase {
  id: string;
  /** The device supervisor's state after this cycle's read. */
  health: DeviceSupervisorState;
  /** True when `reading` was read in this cycle; false when it is an older reading held over (or none). */
  fresh: boolean;
  /** When `reading` was taken (scheduler epoch ms), null if never. */
  readAtMs: number | null;
  /** Why the last read or connect failed, while the device is unhealthy. */
  failure: DeviceFailure | null;
}

export type DeviceSnapshot =
  | (SnapshotBase & { kind: 'pv-inverter'; reading: PvInverterReading | null })
  | (SnapshotBase & { kind: 'battery'; reading: BatteryReading | null })
  | (SnapshotBase & { kind: 'flexible-load'; reading: FlexibleLoadReading | null })
  | (SnapshotBase & { kind: 'meter'; reading: MeterReading | null });

/**
 * Everything the controllers see in one cycle, read once at the start and deep-frozen (OpenEMS's process image):
 * no value changes while controllers run, so every controller of a cycle decides on the same facts.
 */
export interface ProcessImage {
  readonly cycleIndex: number;
  /** Scheduler time at the start of the cycle (epoch ms). */
  readonly atMs: number;
  readonly devices: Readonly<Record<string, Readonly<DeviceSnapshot>>>;
}

/**
 * A snapshot whose reading can be acted on this cycle: fresh, in service, and with a known power. A device whose
 * power reads unknown (a sentinel, a Bad status) is not commanded: balancing needs its output, and without it the
 * device is better counted as part of the load the grid meter sees.
 */
export function isControllable(snapshot: Readonly<DeviceSnapshot>): boolean {
  if (!snapshot.fresh || snapshot.reading === null) return false;
  if (snapshot.health !== 'online' && snapshot.health !== 'stale') return false;
  return snapshot.kind === 'meter' || snapshot.reading.powerW !== null;
}
