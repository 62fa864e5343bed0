import type { BatteryReading, FlexibleLoadReading, MeterReading, PvInverterReading } from '../natures/index.ts';
import type { PlantDevice } from '../plant/plant-device.ts';
import type { DeviceFailure, DeviceSupervisorState } from '../statecharts/device-supervisor.machine.ts';
import { keyPointsUnknownError } from './key-points.ts';
import { plausibleReading } from './plausible-reading.ts';
import type { DeviceSnapshot } from './process-image.ts';
import type { Scheduler } from './scheduler.ts';
import { withDeadline } from './with-deadline.ts';

/** The reading side of the cycle: one device read against its deadline, and what it adds to the process image. */

export type AnyReading = PvInverterReading | BatteryReading | FlexibleLoadReading | MeterReading;
export type ReadOutcome = { ok: true; reading: AnyReading } | { ok: false; error: unknown } | { ok: 'skipped' };

export function failureOf(error: unknown): DeviceFailure {
  const kind = (error as { kind?: unknown })?.kind;
  return {
    kind: typeof kind === 'string' ? (kind as DeviceFailure['kind']) : 'unexpected',
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Reads a device that is online or stale (others are skipped) against its deadline. Points the nature cannot show
 * in the state the device reports become unknown, like sentinels; a reading whose key points are all unknown fails.
 */
export function readDevice(
  device: PlantDevice,
  state: DeviceSupervisorState,
  readTimeoutMs: number,
  scheduler: Scheduler,
): Promise<ReadOutcome> {
  if (state !== 'online' && state !== 'stale') return Promise.resolve({ ok: 'skipped' });
  const driver = device.driver as { read(): Promise<AnyReading> };
  return withDeadline(() => driver.read(), readTimeoutMs, scheduler, {
    deviceId: device.spec.id,
    action: 'read',
  }).then(
    (raw): ReadOutcome => {
      const { reading, implausible } = plausibleReading(device.spec, raw);
      const unknown = keyPointsUnknownError(device.spec.id, device.spec.kind, reading, implausible);
      return unknown ? { ok: false, error: unknown } : { ok: true, reading };
    },
    (error: unknown): ReadOutcome => ({ ok: false, error }),
  );
}

/**
 * Keeps each device's last good reading, so the process image shows it (with its age) while the device is stale,
 * and makes each device's snapshot from this cycle's outcome and its supervisor's verdict.
 */
export class HeldReadings {
  private readonly last = new Map<string, { reading: AnyReading; atMs: number }>();

  snapshot(
    device: PlantDevice,
    outcome: ReadOutcome,
    atMs: number,
    supervision: { health: DeviceSupervisorState; lastFailure: DeviceFailure | null | undefined },
  ): DeviceSnapshot {
    const id = device.spec.id;
    if (outcome.ok === true) this.last.set(id, { reading: { ...outcome.reading }, atMs });
    const held = this.last.get(id);
    return {
      id,
      kind: device.spec.kind,
      health: supervision.health,
      fresh: outcome.ok === true,
      readAtMs: held?.atMs ?? null,
      reading: held?.reading ?? null,
      failure: outcome.ok === false ? failureOf(outcome.error) : supervision.lastFailure,
    } as DeviceSnapshot;
  }
}
