import { DeviceError } from '../../natures/device-error.ts';
import type { Battery, BatteryReading, BatterySetpoint, BatteryState } from '../../natures/battery.ts';
import type { ModbusEndpoint } from '../modbus/modbus-endpoint.ts';
import { measured, measuredPower, RANGE } from './physical-range.ts';
import { checkReversion, SunSpecDevice, guardedDriver } from './sunspec-device.ts';
import type { SunSpecDriverOptions } from './sunspec-driver-options.ts';
import type { SunSpecModelReading } from './sunspec-client.ts';

const STORAGE_MODEL = 124;
const NAMEPLATE_MODEL = 120;
/** AC measurement: 701 (W discharge positive, TotWhInj out, TotWhAbs in), else the 10x inverter models. */
const AC_MODELS = [701, 103, 102, 101] as const;
const OPTIONAL_MODELS = [713, 802] as const;

/** StorCtl_Mod bits (model 124): bit 0 charge, bit 1 discharge; 0 holds. */
const STOR_CTL_HOLD = 0;
const STOR_CTL_CHARGE = 1;
const STOR_CTL_DISCHARGE = 2;
const UINT16_MAX_S = 0xffff;

/** 124/802 ChaSt. */
const CHA_ST: Record<number, BatteryState> = {
  1: 'off',
  2: 'empty',
  3: 'discharging',
  4: 'charging',
  5: 'full',
  6: 'holding',
  7: 'standby', // TESTING: not available to the controller
};

function isFaulted(models: Map<number, SunSpecModelReading>): boolean {
  return (
    models.get(701)?.value('InvSt') === 6 || // 701 InvSt FAULT
    models.get(103)?.value('St') === 7 ||
    models.get(713)?.value('Sta') === 2 || // 713 Sta ERROR
    models.get(802)?.value('State') === 99 // 802 State FAULT
  );
}

function firstNumber(...values: Array<number | string | null | undefined>): number | null {
  for (const value of values) if (typeof value === 'number') return value;
  return null;
}

/**
 * A SunSpec storage system as a Battery: model 124 for control and charge state, 120 for ratings, 701 (or 10x) for
 * AC power and energy counters, 713/802 where present for state of charge and FAULT. The setpoint is written as
 * InWRte/OutWRte in % of WChaMax with InOutWRte_RvrtTms, then StorCtl_Mod as the enable, and refreshed while
 * connected so that the battery falls back to idle by itself if the controller stops.
 */
export function sunSpecBattery(
  deviceId: string,
  endpoint: ModbusEndpoint,
  options: SunSpecDriverOptions = {},
): Battery & { readonly lastRefreshError: DeviceError | undefined } {
  const device = new SunSpecDevice(deviceId, endpoint, options, [[STORAGE_MODEL]]);
  const client = device.client;

  const modelsToRead = (): number[] =>
    [STORAGE_MODEL, NAMEPLATE_MODEL, client.firstOf(AC_MODELS)?.id, ...OPTIONAL_MODELS].filter(
      (id): id is number => id !== undefined && client.find(id) !== undefined,
    );

  function ratings(models: Map<number, SunSpecModelReading>) {
    const nameplate = models.get(NAMEPLATE_MODEL);
    const storage = models.get(STORAGE_MODEL)!;
    const battery = models.get(802);
    const chargeReferenceW = measured(storage.value('WChaMax'), RANGE.ratingW[0], RANGE.ratingW[1]);
    return {
      chargeReferenceW,
      maxChargeW: measured(
        firstNumber(nameplate?.value('MaxChaRte'), battery?.value('WChaRteMax'), storage.value('WChaMax')),
        RANGE.ratingW[0],
        RANGE.ratingW[1],
      ),
      maxDischargeW: measured(
        firstNumber(nameplate?.value('MaxDisChaRte'), battery?.value('WDisChaRteMax'), storage.value('WChaMax')),
        RANGE.ratingW[0],
        RANGE.ratingW[1],
      ),
    };
  }

  async function read(): Promise<BatteryReading> {
    device.requireConnected();
    const models = await client.readModels(modelsToRead());
    const storage = models.get(STORAGE_MODEL)!;
    const nameplate = models.get(NAMEPLATE_MODEL);
    const capacity = models.get(713);
    const battery = models.get(802);
    const acId = client.firstOf(AC_MODELS)?.id;
    const ac = acId === undefined ? undefined : models.get(acId);
    const { maxChargeW, maxDischargeW } = ratings(models);
    const ratingW = maxChargeW === null || maxDischargeW === null ? null : Math.max(maxChargeW, maxDischargeW);
    const chaSt = firstNumber(storage.value('ChaSt'), battery?.value('ChaSt'));
    return {
      powerW: measuredPower(ac ? ac.value('W') : battery?.value('W'), ratingW),
      socPct: measured(
        firstNumber(storage.value('ChaState'), capacity?.value('SoC'), battery?.value('SoC')),
        RANGE.pct[0],
        RANGE.pct[1],
      ),
      capacityWh: measured(
        firstNumber(nameplate?.value('WHRtg'), capacity?.value('WHRtg'), battery?.value('WHRtg')),
        RANGE.capacityWh[0],
        RANGE.capacityWh[1],
      ),
      maxChargeW,
      maxDischargeW,
      minReservePct: measured(
        firstNumber(storage.value('MinRsvPct'), battery?.value('SoCRsvMin')),
        RANGE.pct[0],
        RANGE.pct[1],
      ),
      energyInWh: ac?.def.id === 701 ? measured(ac.value('TotWhAbs'), RANGE.energyWh[0], RANGE.energyWh[1]) : null,
      energyOutWh: ac?.def.id === 701 ? measured(ac.value('TotWhInj'), RANGE.energyWh[0], RANGE.energyWh[1]) : null,
      state: isFaulted(models) ? 'fault' : chaSt === null ? 'unknown' : (CHA_ST[chaSt] ?? 'unknown'),
    };
  }

  async function sendSetpoint(powerW: number, reversionS: number): Promise<void> {
    const models = await client.readModels(modelsToRead());
    if (isFaulted(models)) {
      throw new DeviceError(deviceId, 'device-fault', `the battery reports FAULT; setpoint ${powerW} W not written`);
    }
    const { chargeReferenceW, maxChargeW, maxDischargeW } = ratings(models);
    if (chargeReferenceW === null) {
      throw new DeviceError(
        deviceId,
        'bad-value',
        `model 124 WChaMax is unknown, so no rate in % can be computed; setpoint ${powerW} W not written`,
      );
    }
    const limitW = powerW > 0 ? maxDischargeW : maxChargeW;
    if (limitW !== null && Math.abs(powerW) > limitW) {
      throw new DeviceError(
        deviceId,
        'write-rejected',
        `setpoint ${powerW} W is beyond the battery's ${powerW > 0 ? 'discharge' : 'charge'} rating ${limitW} W; nothing written`,
      );
    }
    const ratePct = (Math.abs(powerW) / chargeReferenceW) * 100;
    if (ratePct > 100) {
      throw new DeviceError(
        deviceId,
        'write-rejected',
        `setpoint ${powerW} W is ${ratePct.toFixed(1)} % of WChaMax ${chargeReferenceW} W, over 100 %; nothing written`,
      );
    }
    const mode = powerW > 0 ? STOR_CTL_DISCHARGE : powerW < 0 ? STOR_CTL_CHARGE : STOR_CTL_HOLD;
    const storage = models.get(STORAGE_MODEL)!;
    // Rates and reversion first, then the enable: the battery never runs a new mode with an old rate or no timeout.
    await client.writePoints(storage, [
      ['OutWRte', mode === STOR_CTL_DISCHARGE ? ratePct : 0],
      ['InWRte', mode === STOR_CTL_CHARGE ? ratePct : 0],
      ['InOutWRte_RvrtTms', reversionS],
    ]);
    await client.writePoints(storage, [['StorCtl_Mod', mode]]);
  }

  async function write(setpoint: BatterySetpoint): Promise<void> {
    device.requireConnected();
    const { powerW, reversionS } = setpoint;
    if (!Number.isFinite(powerW))
      throw new DeviceError(deviceId, 'write-rejected', `setpoint ${powerW} W is not a number; nothing written`);
    checkReversion(deviceId, reversionS, UINT16_MAX_S);
    await device.sendAndKeepFresh(reversionS, () => sendSetpoint(powerW, reversionS));
  }

  return guardedDriver(device, 'battery', read, write);
}
