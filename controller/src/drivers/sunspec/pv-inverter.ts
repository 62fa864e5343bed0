import { DeviceError } from '../../natures/device-error.ts';
import type { PvInverter, PvInverterReading, PvInverterSetpoint, PvInverterState } from '../../natures/pv-inverter.ts';
import type { ModbusEndpoint } from '../modbus/modbus-endpoint.ts';
import { measured, measuredPower, RANGE } from './physical-range.ts';
import { checkReversion, SunSpecDevice, guardedDriver } from './sunspec-device.ts';
import { DEFAULT_MIN_POWER_LIMIT_PCT, type SunSpecPvInverterOptions } from './sunspec-driver-options.ts';
import type { SunSpecModelReading } from './sunspec-client.ts';

/** Measurement models, most preferred first: the IEEE 1547 model, then the integer+SF and float inverter models. */
const MEASUREMENT_MODELS = [701, 103, 102, 101, 113, 112, 111] as const;
/** Control models: 704 (IEEE 1547) is preferred over 123 when a device has both. */
const CONTROL_MODELS = [704, 123] as const;
const NAMEPLATE_MODELS = [120, 702] as const;

/** Model 10x/11x St. */
const INVERTER_ST: Record<number, PvInverterState> = {
  1: 'off',
  2: 'sleeping',
  3: 'starting',
  4: 'mppt',
  5: 'throttled',
  6: 'shutting-down',
  7: 'fault',
  8: 'standby',
};
/** Model 701 InvSt (RUNNING is MPPT). */
const DER_INV_ST: Record<number, PvInverterState> = {
  0: 'off',
  1: 'sleeping',
  2: 'starting',
  3: 'mppt',
  4: 'throttled',
  5: 'shutting-down',
  6: 'fault',
  7: 'standby',
};

const UINT16_MAX_S = 0xffff;
const UINT32_MAX_S = 0xffffffff;

function stateOf(model: SunSpecModelReading): PvInverterState {
  const raw = model.def.id === 701 ? model.value('InvSt') : model.value('St');
  const table = model.def.id === 701 ? DER_INV_ST : INVERTER_ST;
  return typeof raw === 'number' ? (table[raw] ?? 'unknown') : 'unknown';
}

function limitPctOf(control: SunSpecModelReading | undefined): number | null {
  if (!control) return null;
  const enable = control.def.id === 704 ? control.value('WMaxLimPctEna') : control.value('WMaxLim_Ena');
  if (enable === 0) return 100;
  if (enable !== 1) return null;
  return measured(control.value('WMaxLimPct'), RANGE.pct[0], RANGE.pct[1]);
}

/**
 * A SunSpec PV inverter as a PvInverter: measurements from 701 or 101-103/111-113, rating from 120 (or 702),
 * power limit through 704 or 123, always with its enable point and a reversion time, refreshed while connected.
 */
export function sunSpecPvInverter(
  deviceId: string,
  endpoint: ModbusEndpoint,
  options: SunSpecPvInverterOptions = {},
): PvInverter & { readonly lastRefreshError: DeviceError | undefined } {
  const device = new SunSpecDevice(deviceId, endpoint, options, [MEASUREMENT_MODELS]);
  const client = device.client;
  const minLimitPct = options.minPowerLimitPct ?? DEFAULT_MIN_POWER_LIMIT_PCT;
  if (!(minLimitPct > 0 && minLimitPct <= 100)) {
    throw new DeviceError(deviceId, 'write-rejected', `minPowerLimitPct ${minLimitPct} must be in (0, 100]`);
  }

  const modelsToRead = (): number[] =>
    [client.firstOf(MEASUREMENT_MODELS), client.firstOf(NAMEPLATE_MODELS), client.firstOf(CONTROL_MODELS)]
      .filter((m) => m !== undefined)
      .map((m) => m.id);

  async function read(): Promise<PvInverterReading> {
    device.requireConnected();
    const models = await client.readModels(modelsToRead());
    const measurement = models.get(client.firstOf(MEASUREMENT_MODELS)!.id)!;
    const nameplateId = client.firstOf(NAMEPLATE_MODELS)?.id;
    const nameplate = nameplateId === undefined ? undefined : models.get(nameplateId);
    const controlId = client.firstOf(CONTROL_MODELS)?.id;
    const ratedPowerW = measured(
      nameplate?.def.id === 702 ? nameplate.value('WMaxRtg') : nameplate?.value('WRtg'),
      RANGE.ratingW[0],
      RANGE.ratingW[1],
    );
    const energy = measurement.def.id === 701 ? measurement.value('TotWhInj') : measurement.value('WH');
    return {
      powerW: measuredPower(measurement.value('W'), ratedPowerW),
      ratedPowerW,
      powerLimitPct: limitPctOf(controlId === undefined ? undefined : models.get(controlId)),
      energyWh: measured(energy, RANGE.energyWh[0], RANGE.energyWh[1]),
      state: stateOf(measurement),
    };
  }

  async function sendLimit(limitPct: number, reversionS: number): Promise<void> {
    const control = client.firstOf(CONTROL_MODELS);
    if (!control)
      throw new DeviceError(
        deviceId,
        'missing-model',
        'no power-limit control: the device has neither model 704 nor 123',
      );
    const measurementId = client.firstOf(MEASUREMENT_MODELS)!.id;
    const models = await client.readModels([measurementId, control.id]);
    if (stateOf(models.get(measurementId)!) === 'fault') {
      throw new DeviceError(
        deviceId,
        'device-fault',
        `the inverter reports FAULT (model ${measurementId}); power limit ${limitPct} % not written`,
      );
    }
    const current = models.get(control.id)!;
    if (control.id === 704) {
      await client.writePoints(current, [
        ['WMaxLimPctEna', 1],
        ['WMaxLimPct', limitPct],
        ['WMaxLimPctRvrt', 100],
        ['WMaxLimPctEnaRvrt', 0],
        ['WMaxLimPctRvrtTms', reversionS],
      ]);
    } else {
      await client.writePoints(current, [
        ['WMaxLimPct', limitPct],
        ['WMaxLimPct_RvrtTms', reversionS],
        ['WMaxLim_Ena', 1],
      ]);
    }
  }

  async function write(setpoint: PvInverterSetpoint): Promise<void> {
    device.requireConnected();
    const { powerLimitPct, reversionS } = setpoint;
    if (!Number.isFinite(powerLimitPct)) {
      throw new DeviceError(
        deviceId,
        'write-rejected',
        `power limit ${powerLimitPct} % is not a number; nothing written`,
      );
    }
    checkReversion(deviceId, reversionS, client.firstOf(CONTROL_MODELS)?.id === 704 ? UINT32_MAX_S : UINT16_MAX_S);
    // Never 0 %: several inverters go to standby on it and need a restart. A stop is a disconnect, not a limit.
    const limitPct = Math.min(100, Math.max(minLimitPct, powerLimitPct));
    await device.sendAndKeepFresh(reversionS, () => sendLimit(limitPct, reversionS));
  }

  return guardedDriver(device, 'pv-inverter', read, write);
}
