import type { FaultSwitch } from '../faults/fault.ts';
import { followDeviceFault } from '../faults/follow-device-fault.ts';
import type { GridMeterModel } from '../models/grid-meter.ts';
import { loadModelDef, ModelBlock } from '@gridcoop/sunspec';
import { commonBlock, type DeviceIdentity } from './common-block.ts';
import { applyReadingFault, type MeasurementPoint } from './reading-faults.ts';
import { scaleFactorFor } from './scale-factor.ts';
import type { SunSpecFace } from './sunspec-register-bank.ts';

const INT16_IMPOSSIBLE = 0x7fff;
/** Below the grid meter model's deepest sag (5% under 230 V, less its wander). */
const LOWEST_PHASE_V = 200;
const HOURS_PER_YEAR = 8760;

/** The finest power-of-ten Wh step at which a year at `maxPowerW` fits an acc32 counter. */
function energyScaleFactorFor(maxPowerW: number): number {
  let sf = 0;
  while ((maxPowerW * HOURS_PER_YEAR) / 10 ** sf >= 2 ** 32) sf += 1;
  return sf;
}
/** Model 203 Evt bit raised while the meter is in fault. */
const EVT_POWER_FAILURE = 1 << 2;

export interface MeterFaceOptions {
  model: GridMeterModel;
  faults: FaultSwitch;
  identity: DeviceIdentity;
  /** Largest power the connection can carry, to choose W_SF. */
  maxPowerW: number;
  advance: () => number;
}

/**
 * The grid meter's SunSpec face: models 1 and 203 (three-phase wye). W import positive, TotWhImp / TotWhExp from the
 * meter's counters. A meter in fault ('device-fault') raises Evt power-failure and reads its measurements as
 * "not implemented", while its counters keep their values. Takes no writes.
 */
export class MeterFace implements SunSpecFace {
  readonly blocks: ModelBlock[];
  readonly writablePoints = new Map<number, ReadonlySet<string>>();
  private readonly meter: ModelBlock;
  private readonly measurementPoints: MeasurementPoint[];
  private readonly energySf: number;

  constructor(private readonly options: MeterFaceOptions) {
    // The acc32 counters must hold at least a year at the connection's full power before they roll over: a MW site
    // counts in 10 Wh (or coarser) steps, as real MW meters count in kWh.
    this.energySf = energyScaleFactorFor(options.maxPowerW);
    const wSf = scaleFactorFor(options.maxPowerW);
    this.meter = new ModelBlock(loadModelDef(203));
    for (const [sf, v] of [
      // Total current at full power on a sagging feeder: the site's size sets the step, as it sets W_SF.
      ['A_SF', scaleFactorFor(options.maxPowerW / LOWEST_PHASE_V, -1)],
      ['V_SF', -1],
      ['Hz_SF', -2],
      ['W_SF', wSf],
      ['VA_SF', wSf],
      ['VAR_SF', wSf],
      ['PF_SF', -1],
      ['TotWh_SF', this.energySf],
    ] as const)
      this.meter.set(sf, v);
    this.measurementPoints = [
      'A',
      'AphA',
      'AphB',
      'AphC',
      'PhV',
      'PhVphA',
      'PhVphB',
      'PhVphC',
      'PPV',
      'Hz',
      'W',
      'WphA',
      'WphB',
      'WphC',
      'VA',
      'VAR',
      'PF',
    ].map((name) => ({
      name,
      impossibleRaw: INT16_IMPOSSIBLE,
    }));
    this.blocks = [commonBlock(options.identity), this.meter];
    followDeviceFault(options.faults, options.model, options.advance);
  }

  refresh(): void {
    this.options.advance();
    const { model } = this.options;
    const m = this.meter;
    const powerW = model.powerW;
    const voltageV = model.voltageV;
    const phaseW = powerW / 3;
    const phaseA = phaseW / voltageV;
    m.set('A', phaseA * 3);
    for (const p of ['AphA', 'AphB', 'AphC']) m.set(p, phaseA);
    for (const p of ['PhV', 'PhVphA', 'PhVphB', 'PhVphC']) m.set(p, voltageV);
    for (const p of ['PPV', 'PhVphAB', 'PhVphBC', 'PhVphCA']) m.set(p, voltageV * Math.sqrt(3));
    m.set('Hz', model.frequencyHz);
    m.set('W', powerW);
    for (const p of ['WphA', 'WphB', 'WphC']) m.set(p, phaseW);
    m.set('VA', Math.abs(powerW));
    m.set('VAR', 0);
    m.set('PF', 100);
    const whPerStep = 10 ** this.energySf;
    m.setRaw('TotWhImp', Math.floor(model.energyImportedWh / whPerStep) % 2 ** 32);
    m.setRaw('TotWhExp', Math.floor(model.energyExportedWh / whPerStep) % 2 ** 32);
    m.setRaw('Evt', model.isFaulted ? EVT_POWER_FAILURE : 0);
    const fault = this.options.faults.current.kind;
    applyReadingFault(m, model.isFaulted ? 'sentinels' : fault, this.measurementPoints);
  }

  applyWrite(): void {
    // No point is writable (writablePoints is empty), so the bank refuses every write before it gets here.
  }
}
