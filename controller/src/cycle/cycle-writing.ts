import type { DeviceCommand } from '../control/device-commands.ts';
import type { PlantDevice } from '../plant/plant-device.ts';
import type { DeviceFailure } from '../statecharts/device-supervisor.machine.ts';
import { failureOf } from './cycle-reading.ts';
import { isControllable, type ProcessImage } from './process-image.ts';
import type { Scheduler } from './scheduler.ts';
import { withDeadline } from './with-deadline.ts';

export interface WriteOutcome {
  deviceId: string;
  /** 'unchanged' = same as the last successful write, not sent again (the driver keeps it alive). */
  result: 'written' | 'unchanged' | 'failed';
  failure?: DeviceFailure;
}

/**
 * The writing side of the cycle: each command against its own deadline, and only when it differs from the last
 * successful write to that device (the driver keeps a written setpoint alive by itself). A device that is not
 * controllable this cycle is forgotten, so it gets its setpoint again when it comes back.
 */
export class SetpointWriter {
  private readonly devicesById: ReadonlyMap<string, PlantDevice>;
  private readonly lastWritten = new Map<string, string>();

  constructor(
    devices: readonly PlantDevice[],
    private readonly writeTimeoutMs: number,
    private readonly scheduler: Scheduler,
  ) {
    this.devicesById = new Map(devices.map((d) => [d.spec.id, d]));
  }

  forgetUncontrollable(image: ProcessImage): void {
    for (const [id, snapshot] of Object.entries(image.devices)) {
      if (!isControllable(snapshot)) this.lastWritten.delete(id);
    }
  }

  async write(command: DeviceCommand): Promise<WriteOutcome> {
    const key = JSON.stringify(command);
    if (this.lastWritten.get(command.deviceId) === key) return { deviceId: command.deviceId, result: 'unchanged' };
    const device = this.devicesById.get(command.deviceId);
    if (!device)
      return {
        deviceId: command.deviceId,
        result: 'failed',
        failure: { kind: 'unexpected', message: 'unknown device' },
      };
    const writeOne = (setpoint: unknown): Promise<void> =>
      withDeadline(
        () => (device.driver as { write(s: unknown): Promise<void> }).write(setpoint),
        this.writeTimeoutMs,
        this.scheduler,
        {
          deviceId: command.deviceId,
          action: 'write',
        },
      );
    try {
      if (command.kind === 'flexible-load') {
        for (const setpoint of command.setpoints) await writeOne(setpoint);
      } else {
        await writeOne(command.setpoint);
      }
      this.lastWritten.set(command.deviceId, key);
      return { deviceId: command.deviceId, result: 'written' };
    } catch (error) {
      this.lastWritten.delete(command.deviceId);
      return { deviceId: command.deviceId, result: 'failed', failure: failureOf(error) };
    }
  }
}
