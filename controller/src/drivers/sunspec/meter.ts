import type { Meter, MeterReading } from '../../natures/meter.ts';
import { DeviceError } from '../../natures/device-error.ts';
import type { ModbusEndpoint } from '../modbus/modbus-endpoint.ts';
import { measured, RANGE } from './physical-range.ts';
import { SunSpecDevice, guardedDriver } from './sunspec-device.ts';
import type { SunSpecDriverOptions } from './sunspec-driver-options.ts';

/** Integer+SF AC meters: three-phase wye first, then split-phase, single-phase, delta. */
const METER_MODELS = [203, 202, 201, 204] as const;

/**
 * A SunSpec AC meter (201-204) at the connection point as a Meter. SunSpec meters count W positive when power
 * flows from the grid into the site, which is the Meter nature's "import positive".
 */
export function sunSpecMeter(deviceId: string, endpoint: ModbusEndpoint, options: SunSpecDriverOptions = {}): Meter {
  const device = new SunSpecDevice(deviceId, endpoint, options, [METER_MODELS]);
  const client = device.client;

  async function read(): Promise<MeterReading> {
    device.requireConnected();
    const model = await client.readModel(client.firstOf(METER_MODELS)!.id);
    const v = model;
    // 204 (delta) has no neutral, so no phase-to-neutral voltage: use line-to-line there. A PhV the meter does not
    // know stays unknown rather than turning into a line-to-line value 1.7 times higher.
    const phaseVoltage = v.value('PhV');
    return {
      powerW: measured(v.value('W'), RANGE.powerW[0], RANGE.powerW[1]),
      energyImportedWh: measured(v.value('TotWhImp'), RANGE.energyWh[0], RANGE.energyWh[1]),
      energyExportedWh: measured(v.value('TotWhExp'), RANGE.energyWh[0], RANGE.energyWh[1]),
      frequencyHz: measured(v.value('Hz'), RANGE.frequencyHz[0], RANGE.frequencyHz[1]),
      voltageV: measured(
        phaseVoltage !== undefined ? phaseVoltage : v.value('PPV'),
        RANGE.voltageV[0],
        RANGE.voltageV[1],
      ),
    };
  }

  return guardedDriver(device, 'meter', read, async (setpoint: never): Promise<void> => {
    throw new DeviceError(deviceId, 'write-rejected', `a meter takes no setpoints (got ${JSON.stringify(setpoint)})`);
  });
}
