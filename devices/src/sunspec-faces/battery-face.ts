import type { FaultSwitch } from '../faults/fault.ts';
import { followDeviceFault } from '../faults/follow-device-fault.ts';
import { ModbusException, ModbusExceptionCode } from '../modbus/modbus-exception.ts';
import type { BatteryModel, BatteryState } from '../models/battery.ts';
import { loadModelDef, ModelBlock, type PointDef } from '@gridcoop/sunspec';
import { commonBlock, type DeviceIdentity } from './common-block.ts';
import { applyReadingFault, type MeasurementPoint } from './reading-faults.ts';
import { setUnityReactiveRatings } from './nameplate-reactive.ts';
import { scaleFactorFor } from './scale-factor.ts';
import type { SunSpecFace } from './sunspec-register-bank.ts';

/** Model 124 `ChaSt` values (FAULT has none there: it shows as OFF, with 701 InvSt FAULT and 713 Sta ERROR). */
export const STORAGE_CHA_ST: Record<BatteryState, number> = {
  OFF: 1,
  EMPTY: 2,
  DISCHARGING: 3,
  CHARGING: 4,
  FULL: 5,
  HOLDING: 6,
  FAULT: 1,
};

/** Model 802 SetOp and SetInvState values. */
const SET_OP_CONNECT = 1;
const SET_OP_DISCONNECT = 2;
const INVERTER_STARTED = 3;

/** Model 802 State: FAULT 99, DISCONNECTED 1 after SetOp DISCONNECT, STANDBY 4 when the inverter is not started. */
function bankState(state: BatteryState, setOp: number, invState: number): number {
  if (state === 'FAULT') return 99;
  if (setOp !== SET_OP_CONNECT) return 1;
  if (invState !== INVERTER_STARTED) return 4;
  return 3;
}

/** StorCtl_Mod bits. */
export const STOR_CTL_CHARGE = 1;
export const STOR_CTL_DISCHARGE = 2;

const NOMINAL_PHASE_V = 230;
const BATTERY_V = 400;
const UINT16_IMPOSSIBLE = 0xfffe;
const INT16_IMPOSSIBLE = 0x7fff;

export interface BatteryFaceOptions {
  model: BatteryModel;
  faults: FaultSwitch;
  identity: DeviceIdentity;
  advance: () => number;
}

/**
 * A battery inverter's SunSpec face: models 1, 120 (nameplate), 701 (AC measurement: W discharge positive,
 * TotWhInj = energy out, TotWhAbs = energy in, InvSt), 124 (storage controls and state), 713 (SoC, SoH) and 802
 * (battery bank: SoC, SoH, State with FAULT 99, the battery's Hb and the controller's CtrlHb, SoCRsvMin; its W and A
 * are DC, discharge positive like 701).
 * 124's StorCtl_Mod (bit 0 charge, bit 1 discharge) with InWRte / OutWRte in % of WChaMax and InOutWRte_RvrtTms drive
 * the battery's setpoint; StorCtl_Mod 0 holds. Both bits at once is ambiguous and refused.
 */
export class BatteryFace implements SunSpecFace {
  readonly blocks: ModelBlock[];
  readonly writablePoints = new Map<number, ReadonlySet<string>>([
    [
      124,
      new Set([
        'StorCtl_Mod',
        'MinRsvPct',
        'OutWRte',
        'InWRte',
        'InOutWRte_WinTms',
        'InOutWRte_RvrtTms',
        'InOutWRte_RmpTms',
        'ChaGriSet',
      ]),
    ],
    [802, new Set(['SoCRsvMin', 'CtrlHb', 'SetOp', 'SetInvState'])],
  ]);
  private readonly ac: ModelBlock;
  private readonly storage: ModelBlock;
  private readonly capacity: ModelBlock;
  private readonly acPoints: MeasurementPoint[];
  private readonly storagePoints: MeasurementPoint[];
  private readonly capacityPoints: MeasurementPoint[];
  private readonly bank: ModelBlock;
  private readonly bankPoints: MeasurementPoint[];
  private readonly startMs: number;
  private lastSetpointWriteMs = -Infinity;
  /** WChaMax: the reference of InWRte and OutWRte. */
  private readonly referenceW: number;

  constructor(private readonly options: BatteryFaceOptions) {
    const { model } = options;
    const maxW = Math.max(model.maxChargeW, model.maxDischargeW);
    const wSf = scaleFactorFor(maxW);
    const whSf = scaleFactorFor(model.ratedCapacityWh);
    // Currents and amp-hours grow with the battery's size too: their scale factors follow it, so a MW battery's
    // registers hold its values (a fixed 0.1 A step overflows int16 above ~1 MW).
    const acASf = scaleFactorFor(maxW / (3 * NOMINAL_PHASE_V), -1);
    const dcASf = scaleFactorFor(maxW / Math.sqrt(model.roundTripEfficiency) / BATTERY_V, -1);
    const ahSf = scaleFactorFor(model.ratedCapacityWh / BATTERY_V, -1);
    this.referenceW = model.maxChargeW;

    const nameplate = new ModelBlock(loadModelDef(120));
    nameplate.set('DERTyp', 82);
    for (const sf of ['WRtg_SF', 'VARtg_SF', 'MaxChaRte_SF', 'MaxDisChaRte_SF']) nameplate.set(sf, wSf);
    nameplate.set('WRtg', maxW);
    nameplate.set('VARtg', maxW);
    nameplate.set('MaxChaRte', model.maxChargeW);
    nameplate.set('MaxDisChaRte', model.maxDischargeW);
    nameplate.set('WHRtg_SF', whSf);
    nameplate.set('WHRtg', model.ratedCapacityWh);
    nameplate.set('AhrRtg_SF', whSf);
    nameplate.set('AhrRtg', model.ratedCapacityWh / BATTERY_V);
    nameplate.set('ARtg_SF', acASf);
    nameplate.set('ARtg', maxW / (3 * NOMINAL_PHASE_V));
    setUnityReactiveRatings(nameplate, wSf);

    this.ac = new ModelBlock(loadModelDef(701));
    for (const [sf, v] of [
      ['W_SF', wSf],
      ['VA_SF', wSf],
      ['Var_SF', wSf],
      ['PF_SF', -2],
      ['A_SF', acASf],
      ['V_SF', -1],
      ['Hz_SF', -2],
      ['TotWh_SF', 0],
      ['Tmp_SF', -1],
    ] as const)
      this.ac.set(sf, v);
    this.ac.set('ACType', 2);
    this.acPoints = [
      ...['W', 'VA', 'Var', 'A', 'TmpCab'].map((name) => ({ name, impossibleRaw: INT16_IMPOSSIBLE })),
      ...['LNV', 'LLV'].map((name) => ({ name, impossibleRaw: UINT16_IMPOSSIBLE })),
      { name: 'Hz', impossibleRaw: 0xfffffffe },
    ];

    this.storage = new ModelBlock(loadModelDef(124));
    this.storage.set('WChaMax_SF', wSf);
    this.storage.set('WChaMax', model.maxChargeW);
    this.storage.set('WChaDisChaGra_SF', 0);
    this.storage.set('WChaGra', Math.min(100, (100 * model.rampWPerS) / model.maxChargeW));
    this.storage.set('WDisChaGra', Math.min(100, (100 * model.rampWPerS) / model.maxChargeW));
    for (const sf of ['MinRsvPct_SF', 'ChaState_SF', 'InBatV_SF', 'InOutWRte_SF']) this.storage.set(sf, -1);
    this.storage.set('StorAval_SF', ahSf);
    this.storage.setRaw('StorCtl_Mod', 0);
    this.storage.set('MinRsvPct', model.minReservePct);
    this.storage.set('OutWRte', 0);
    this.storage.set('InWRte', 0);
    this.storage.set('InOutWRte_WinTms', 0);
    this.storage.set('InOutWRte_RvrtTms', 0);
    this.storage.set('InOutWRte_RmpTms', 0);
    this.storage.set('ChaGriSet', 1);
    this.storagePoints = [
      ...['ChaState', 'StorAval', 'InBatV'].map((name) => ({ name, impossibleRaw: UINT16_IMPOSSIBLE })),
    ];

    this.capacity = new ModelBlock(loadModelDef(713));
    this.capacity.set('WH_SF', whSf);
    this.capacity.set('Pct_SF', -1);
    this.capacityPoints = ['WHRtg', 'WHAvail', 'SoC', 'SoH'].map((name) => ({
      name,
      impossibleRaw: UINT16_IMPOSSIBLE,
    }));

    this.bank = new ModelBlock(loadModelDef(802));
    for (const [sf, v] of [
      ['AHRtg_SF', whSf],
      ['WHRtg_SF', whSf],
      ['WChaDisChaMax_SF', wSf],
      ['DisChaRte_SF', 0],
      ['SoC_SF', -1],
      ['DoD_SF', -1],
      ['SoH_SF', -1],
      ['V_SF', -1],
      ['CellV_SF', -3],
      ['A_SF', dcASf],
      ['AMax_SF', dcASf],
      ['W_SF', wSf],
    ] as const) {
      this.bank.set(sf, v);
    }
    this.bank.set('AHRtg', model.ratedCapacityWh / BATTERY_V);
    this.bank.set('WHRtg', model.ratedCapacityWh);
    this.bank.set('WChaRteMax', model.maxChargeW);
    this.bank.set('WDisChaRteMax', model.maxDischargeW);
    this.bank.set('SoCMax', 100);
    this.bank.set('SoCMin', 0);
    this.bank.set('LocRemCtl', 0);
    this.bank.set('Typ', 4);
    this.bank.set('CtrlHb', 0);
    this.bank.set('AlmRst', 0);
    for (const events of ['Evt1', 'Evt2', 'EvtVnd1', 'EvtVnd2']) this.bank.setRaw(events, 0);
    this.bank.setRaw('SetOp', SET_OP_CONNECT);
    this.bank.setRaw('SetInvState', INVERTER_STARTED);
    this.bankPoints = [
      ...['SoC', 'SoH', 'V'].map((name) => ({ name, impossibleRaw: UINT16_IMPOSSIBLE })),
      ...['W', 'A'].map((name) => ({ name, impossibleRaw: INT16_IMPOSSIBLE })),
    ];
    this.startMs = options.advance();

    this.blocks = [commonBlock(options.identity), nameplate, this.ac, this.storage, this.capacity, this.bank];
    followDeviceFault(options.faults, model, options.advance);
  }

  refresh(): void {
    const nowMs = this.options.advance();
    const { model } = this.options;
    const fault = this.options.faults.current.kind;
    const powerW = model.acPowerW;
    const state = model.state;

    const ac = this.ac;
    ac.set('St', state === 'FAULT' ? 0 : 1);
    ac.set('InvSt', state === 'FAULT' ? 6 : powerW === 0 ? 7 : 3);
    ac.set('ConnSt', state === 'FAULT' ? 0 : 1);
    ac.set('W', powerW);
    ac.set('VA', Math.abs(powerW));
    ac.set('Var', 0);
    ac.set('PF', 1);
    ac.set('A', Math.abs(powerW) / (3 * NOMINAL_PHASE_V));
    ac.set('LNV', NOMINAL_PHASE_V);
    ac.set('LLV', NOMINAL_PHASE_V * Math.sqrt(3));
    ac.set('Hz', 50);
    ac.setRaw('TotWhInj', BigInt(Math.floor(model.energyOutWh)));
    ac.setRaw('TotWhAbs', BigInt(Math.floor(model.energyInWh)));
    ac.set('TmpCab', 25 + (10 * Math.abs(powerW)) / model.maxDischargeW);
    applyReadingFault(ac, fault, this.acPoints);

    const storage = this.storage;
    const reserveWh = (model.minReservePct / 100) * model.capacityWh;
    storage.set('MinRsvPct', model.minReservePct);
    storage.set('ChaState', model.socPct);
    storage.set('StorAval', Math.max(0, model.storedEnergyWh - reserveWh) / BATTERY_V);
    storage.set('InBatV', BATTERY_V);
    storage.set('ChaSt', STORAGE_CHA_ST[state]);
    const revertedAt = model.lastReversionMs;
    if (revertedAt !== undefined && revertedAt > this.lastSetpointWriteMs) {
      // The setpoint fell back to idle by itself: show the control as released.
      storage.setRaw('StorCtl_Mod', 0);
      storage.set('OutWRte', 0);
      storage.set('InWRte', 0);
    }
    applyReadingFault(storage, fault, this.storagePoints);

    const capacity = this.capacity;
    capacity.set('WHRtg', model.ratedCapacityWh);
    capacity.set('WHAvail', Math.max(0, model.storedEnergyWh - reserveWh));
    capacity.set('SoC', model.socPct);
    capacity.set('SoH', model.sohPct);
    capacity.set('Sta', state === 'FAULT' ? 2 : 0);
    applyReadingFault(capacity, fault, this.capacityPoints);

    const bank = this.bank;
    const dcW =
      powerW > 0 ? powerW / Math.sqrt(model.roundTripEfficiency) : powerW * Math.sqrt(model.roundTripEfficiency);
    bank.set('SoCRsvMin', model.minReservePct);
    bank.set('SoC', model.socPct);
    bank.set('SoH', model.sohPct);
    bank.set('ChaSt', STORAGE_CHA_ST[state]);
    bank.set('State', bankState(state, Number(bank.getRaw('SetOp')), Number(bank.getRaw('SetInvState'))));
    bank.set('Hb', Math.floor((nowMs - this.startMs) / 1000) % 0xffff);
    bank.set('V', BATTERY_V);
    bank.set('W', dcW);
    bank.set('A', dcW / BATTERY_V);
    applyReadingFault(bank, fault, this.bankPoints);
  }

  applyWrite(candidate: ModelBlock, written: readonly PointDef[]): void {
    if (candidate.def.id === 802) return this.applyBankWrite(candidate);
    if (candidate.def.id !== 124) return;
    const { model } = this.options;
    const refuse = (detail: string): never => {
      throw new ModbusException(ModbusExceptionCode.IllegalDataValue, `battery ${model.id}: ${detail}`);
    };
    const mode = Number(candidate.getRaw('StorCtl_Mod'));
    const outPct = candidate.get('OutWRte');
    const inPct = candidate.get('InWRte');
    const reserve = candidate.get('MinRsvPct');
    const reversionS = candidate.get('InOutWRte_RvrtTms');
    const gridCharge = candidate.getRaw('ChaGriSet');
    if ((mode & ~(STOR_CTL_CHARGE | STOR_CTL_DISCHARGE)) !== 0)
      refuse(`StorCtl_Mod ${mode} sets bits other than charge (0) and discharge (1)`);
    if (mode === (STOR_CTL_CHARGE | STOR_CTL_DISCHARGE)) refuse('StorCtl_Mod asks to charge and discharge at once');
    if (typeof outPct !== 'number' || outPct < 0 || outPct > 100) refuse(`OutWRte ${String(outPct)} outside 0..100 %`);
    if (typeof inPct !== 'number' || inPct < 0 || inPct > 100) refuse(`InWRte ${String(inPct)} outside 0..100 %`);
    if (typeof reserve !== 'number' || reserve < 0 || reserve >= 100)
      refuse(`MinRsvPct ${String(reserve)} outside 0..100 %`);
    if (gridCharge !== 0 && gridCharge !== 1) refuse(`ChaGriSet ${gridCharge} is neither 0 (PV) nor 1 (grid)`);
    const dischargeW = ((outPct as number) / 100) * this.referenceW;
    const chargeW = ((inPct as number) / 100) * this.referenceW;
    const powerW = mode === STOR_CTL_DISCHARGE ? dischargeW : mode === STOR_CTL_CHARGE ? -chargeW : 0;
    if (powerW > model.maxDischargeW)
      refuse(
        `OutWRte ${String(outPct)} % of WChaMax is ${powerW} W, above the ${model.maxDischargeW} W discharge rating`,
      );

    const names = new Set(written.map((p) => p.name));
    const nowMs = this.options.advance();
    if (names.has('MinRsvPct')) model.setMinReservePct(reserve as number);
    const setpointTouched = [
      'StorCtl_Mod',
      'OutWRte',
      'InWRte',
      'InOutWRte_RvrtTms',
      'InOutWRte_WinTms',
      'InOutWRte_RmpTms',
    ].some((n) => names.has(n));
    if (!setpointTouched) return;
    model.setSetpoint({ powerW, reversionMs: typeof reversionS === 'number' ? reversionS * 1000 : 0 }, nowMs);
    this.lastSetpointWriteMs = nowMs;
  }

  /**
   * 802: SoCRsvMin is the same reserve as 124's MinRsvPct; CtrlHb is only kept, for the controller to read back;
   * SetOp (1 CONNECT, 2 DISCONNECT) and SetInvState (1 STOPPED, 2 STANDBY, 3 STARTED) start and stop the battery,
   * so a generic 802 client can: it runs only connected and started.
   */
  private applyBankWrite(candidate: ModelBlock): void {
    const { model } = this.options;
    const refuse = (detail: string): never => {
      throw new ModbusException(ModbusExceptionCode.IllegalDataValue, `battery ${model.id}: ${detail}`);
    };
    const reserve = candidate.get('SoCRsvMin');
    if (typeof reserve !== 'number' || reserve < 0 || reserve >= 100)
      refuse(`SoCRsvMin ${String(reserve)} outside 0..100 %`);
    const setOp = Number(candidate.getRaw('SetOp'));
    const invState = Number(candidate.getRaw('SetInvState'));
    if (setOp !== SET_OP_CONNECT && setOp !== SET_OP_DISCONNECT)
      refuse(`SetOp ${setOp} is neither 1 (CONNECT) nor 2 (DISCONNECT)`);
    if (invState < 1 || invState > 3) refuse(`SetInvState ${invState} is not 1 (STOPPED), 2 (STANDBY) or 3 (STARTED)`);
    model.setMinReservePct(reserve as number);
    model.setRunning(setOp === SET_OP_CONNECT && invState === INVERTER_STARTED, this.options.advance());
  }
}
