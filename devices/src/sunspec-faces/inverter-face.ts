import type { FaultSwitch } from '../faults/fault.ts';
import { followDeviceFault } from '../faults/follow-device-fault.ts';
import { ModbusException, ModbusExceptionCode } from '../modbus/modbus-exception.ts';
import type { PvInverterModel, PvInverterState } from '../models/pv-inverter.ts';
import { loadModelDef, ModelBlock, type PointDef } from '@gridcoop/sunspec';
import { commonBlock, type DeviceIdentity } from './common-block.ts';
import { applyReadingFault, type MeasurementPoint } from './reading-faults.ts';
import { setUnityReactiveRatings } from './nameplate-reactive.ts';
import { scaleFactorFor } from './scale-factor.ts';
import type { SunSpecFace } from './sunspec-register-bank.ts';

/** Model 103 `St` values. */
export const INVERTER_ST: Record<PvInverterState, number> = {
  OFF: 1,
  SLEEPING: 2,
  STARTING: 3,
  MPPT: 4,
  THROTTLED: 5,
  FAULT: 7,
  STANDBY: 8,
};

const NOMINAL_PHASE_V = 230;
const DC_VOLTAGE_V = 600;
const INVERTER_EFFICIENCY = 0.97;
const UINT16_IMPOSSIBLE = 0xfffe;
const INT16_IMPOSSIBLE = 0x7fff;

export interface InverterFaceOptions {
  model: PvInverterModel;
  faults: FaultSwitch;
  identity: DeviceIdentity;
  /** Advances the whole plant to the clock's now and returns it (ms). */
  advance: () => number;
}

/**
 * A three-phase PV inverter's SunSpec face: models 1, 103 (measurements), 120 (nameplate), 123 (immediate controls).
 * 123's WMaxLimPct + WMaxLim_Ena + WMaxLimPct_RvrtTms (+ _RmpTms) drive the model's power limit; Conn connects it.
 */
export class InverterFace implements SunSpecFace {
  readonly blocks: ModelBlock[];
  readonly writablePoints = new Map<number, ReadonlySet<string>>([
    [1, new Set<string>()],
    [
      123,
      new Set([
        'Conn',
        'Conn_WinTms',
        'Conn_RvrtTms',
        'WMaxLimPct',
        'WMaxLimPct_WinTms',
        'WMaxLimPct_RvrtTms',
        'WMaxLimPct_RmpTms',
        'WMaxLim_Ena',
      ]),
    ],
  ]);
  private readonly measurements: ModelBlock;
  private readonly controls: ModelBlock;
  private readonly measurementPoints: MeasurementPoint[];
  private lastLimitWriteMs = -Infinity;

  constructor(private readonly options: InverterFaceOptions) {
    const { model } = options;
    const wSf = scaleFactorFor(model.ratedPowerW);
    const nameplate = new ModelBlock(loadModelDef(120));
    nameplate.set('DERTyp', 4);
    nameplate.set('WRtg_SF', wSf);
    nameplate.set('WRtg', model.ratedPowerW);
    nameplate.set('VARtg_SF', wSf);
    nameplate.set('VARtg', model.ratedPowerW);
    // Current scale factors follow the rating, so a MW inverter's amps fit their int16 registers.
    nameplate.set('ARtg_SF', scaleFactorFor(model.ratedPowerW / (3 * NOMINAL_PHASE_V), -1));
    nameplate.set('ARtg', model.ratedPowerW / (3 * NOMINAL_PHASE_V));
    setUnityReactiveRatings(nameplate, wSf);

    this.measurements = new ModelBlock(loadModelDef(103));
    for (const [sf, value] of [
      ['A_SF', scaleFactorFor(model.ratedPowerW / NOMINAL_PHASE_V, -2)],
      ['V_SF', -1],
      ['W_SF', wSf],
      ['Hz_SF', -2],
      ['VA_SF', wSf],
      ['VAr_SF', wSf],
      ['PF_SF', 0],
      ['WH_SF', 0],
      ['DCA_SF', scaleFactorFor((1.1 * model.ratedPowerW) / DC_VOLTAGE_V, -2)],
      ['DCV_SF', -1],
      ['DCW_SF', wSf],
      ['Tmp_SF', -1],
    ] as const) {
      this.measurements.set(sf, value);
    }
    this.measurementPoints = [
      ...[
        'A',
        'AphA',
        'AphB',
        'AphC',
        'PhVphA',
        'PhVphB',
        'PhVphC',
        'PPVphAB',
        'PPVphBC',
        'PPVphCA',
        'Hz',
        'DCA',
        'DCV',
      ].map((name) => ({ name, impossibleRaw: UINT16_IMPOSSIBLE })),
      ...['W', 'VA', 'VAr', 'PF', 'DCW', 'TmpCab'].map((name) => ({ name, impossibleRaw: INT16_IMPOSSIBLE })),
      { name: 'WH', impossibleRaw: 0 },
    ];

    this.controls = new ModelBlock(loadModelDef(123));
    this.controls.set('WMaxLimPct_SF', -1);
    this.controls.set('Conn', 1);
    this.controls.set('Conn_WinTms', 0);
    this.controls.set('Conn_RvrtTms', 0);
    this.controls.set('WMaxLimPct', 100);
    this.controls.set('WMaxLimPct_WinTms', 0);
    this.controls.set('WMaxLimPct_RvrtTms', 0);
    this.controls.set('WMaxLimPct_RmpTms', 0);
    this.controls.set('WMaxLim_Ena', 0);
    // Fixed power factor control exists (mandatory in 123) but stays off: the simulator runs at unity.
    this.controls.set('OutPFSet_SF', -3);
    this.controls.set('OutPFSet', 1);
    this.controls.set('OutPFSet_Ena', 0);
    this.controls.set('VArPct_Ena', 0);

    this.blocks = [commonBlock(options.identity), this.measurements, nameplate, this.controls];
    followDeviceFault(options.faults, model, options.advance);
  }

  refresh(): void {
    this.options.advance();
    const { model } = this.options;
    const m = this.measurements;
    const powerW = model.acPowerW;
    const phaseA = powerW / (3 * NOMINAL_PHASE_V);
    m.set('A', phaseA * 3);
    for (const p of ['AphA', 'AphB', 'AphC']) m.set(p, phaseA);
    for (const p of ['PhVphA', 'PhVphB', 'PhVphC']) m.set(p, NOMINAL_PHASE_V);
    for (const p of ['PPVphAB', 'PPVphBC', 'PPVphCA']) m.set(p, NOMINAL_PHASE_V * Math.sqrt(3));
    m.set('W', powerW);
    m.set('VA', powerW);
    m.set('VAr', 0);
    m.set('PF', 100);
    m.set('Hz', 50);
    m.setRaw('WH', Math.floor(model.lifetimeEnergyWh) % 2 ** 32);
    const dcW = powerW / INVERTER_EFFICIENCY;
    m.set('DCW', dcW);
    m.set('DCV', powerW > 0 ? DC_VOLTAGE_V : 0);
    m.set('DCA', powerW > 0 ? dcW / DC_VOLTAGE_V : 0);
    m.set('TmpCab', 25 + (20 * powerW) / model.ratedPowerW);
    m.set('St', INVERTER_ST[model.state]);
    m.setRaw('Evt1', model.state === 'FAULT' ? 1 << 15 : 0); // HW_TEST_FAILURE: the closest standard event to an internal trip
    applyReadingFault(m, this.options.faults.current.kind, this.measurementPoints);

    // A limit that reverted by itself shows as disabled, so a controller reading back sees what the device does.
    const revertedAt = model.lastReversionMs;
    if (revertedAt !== undefined && revertedAt > this.lastLimitWriteMs) {
      this.controls.set('WMaxLim_Ena', 0);
      this.controls.set('WMaxLimPct', 100);
    }
    this.controls.set('Conn', model.isConnected ? 1 : 0);
  }

  applyWrite(candidate: ModelBlock, written: readonly PointDef[]): void {
    if (candidate.def.id !== 123) return;
    const refuse = (detail: string): never => {
      throw new ModbusException(ModbusExceptionCode.IllegalDataValue, `inverter ${this.options.model.id}: ${detail}`);
    };
    const pct = candidate.get('WMaxLimPct');
    const enabled = candidate.getRaw('WMaxLim_Ena');
    const conn = candidate.getRaw('Conn');
    const reversionS = candidate.get('WMaxLimPct_RvrtTms');
    const rampS = candidate.get('WMaxLimPct_RmpTms');
    if (typeof pct !== 'number' || pct < 0 || pct > 100) refuse(`WMaxLimPct ${String(pct)} outside 0..100 %`);
    if (enabled !== 0 && enabled !== 1) refuse(`WMaxLim_Ena ${enabled} is neither 0 (disabled) nor 1 (enabled)`);
    if (conn !== 0 && conn !== 1) refuse(`Conn ${conn} is neither 0 (disconnect) nor 1 (connect)`);
    const names = new Set(written.map((p) => p.name));
    const nowMs = this.options.advance();
    const { model } = this.options;
    if (names.has('Conn')) model.setConnected(conn === 1, nowMs);
    const limitTouched = [...names].some((n) => n.startsWith('WMaxLim'));
    if (!limitTouched) return;
    if (enabled === 1) {
      model.setPowerLimit(
        {
          limitPct: pct as number,
          reversionMs: typeof reversionS === 'number' ? reversionS * 1000 : 0,
          ...(typeof rampS === 'number' && rampS > 0 ? { rampMs: rampS * 1000 } : {}),
        },
        nowMs,
      );
    } else model.clearPowerLimit(nowMs);
    this.lastLimitWriteMs = nowMs;
  }
}
