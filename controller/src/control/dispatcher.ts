import { clampToRange } from './allowed-range.ts';
import type { ControlInputs } from './control-inputs.ts';
import { controllableDevices, minerPowerRangeW, pvRatedPowerW } from './controllable-devices.ts';
import type { PvInverterReading } from '../natures/index.ts';
import { pvAvailableW } from './grid-limits-controller.ts';
import { pvRecoveryProbeW } from './pv-recovery.ts';
import type { RangeBook } from './range-book.ts';
import { shareTowardsEqualSoc } from './battery-fleet-share.ts';
import { shareWithinRanges } from './share-within-ranges.ts';

/** The outcome of one cycle's dispatch, all in the range convention (generation positive). */
export interface Dispatch {
  /** The connection-point power aimed at, import positive. */
  gridTargetW: number;
  /** Per controllable device: PV cap W, battery W (discharge +), miner W (consumption as a negative number). */
  powersW: Record<string, number>;
  /** The surplus offered to each miner (all miners of the plant), for its on/off switch. */
  minerOfferW: Record<string, number>;
  /** Power the batteries could not supply: the plant imports this much more than its target. */
  shortfallW: number;
  /** PV power held back by caps. */
  curtailedW: number;
}

/** A PV inverter producing right at its power limit may be held back by it: the sun may offer more. */
function isHeldAtCap(reading: PvInverterReading, ratedW: number): boolean {
  if (reading.powerLimitPct === null || reading.powerLimitPct >= 99.95 || reading.powerW === null) return false;
  return reading.powerW >= (reading.powerLimitPct / 100) * ratedW - 0.01 * ratedW;
}

const clamp = (valueW: number, loW: number, hiW: number): number => Math.min(hiW, Math.max(loW, valueW));

/**
 * Turns the narrowed ranges into one setpoint per device: a greedy pass in a fixed order, not an optimiser, because
 * after the controllers have narrowed everything the remaining choice is one-dimensional (how much of the surplus
 * or deficit each kind of device takes) and a greedy order states the rules plainly and always gives the same
 * answer for the same inputs. The order:
 *  1. PV runs uncurtailed (at its allowed cap); surplus S = expected PV - uncontrolled load (averaged).
 *  2. Grid target: the operator's (the connection point range is then one value), else the policy's export share
 *     of the surplus (0 when there is none), always inside the caps, and a small probe margin inside a binding
 *     export cap so that PV held at its cap has room to show more sun.
 *  3. Surplus to absorb A = S + grid target is split between batteries and miners by the policy's split; what one
 *     cannot take goes to the other, then to more export (down to the export cap), and only then is PV curtailed
 *     (never below its floor). PV caps are set to the most the connection point can take at this cycle's load and
 *     setpoints, so a sudden sun surge cannot push export past the cap before the next cycle.
 *  4. A deficit is covered first by turning miners down to their least consumption (they are the fast flexible
 *     load), then by discharging batteries; what is left is the shortfall (miners are told the plant is short).
 * Batteries share towards equal state of charge, weighted by capacity (battery-fleet-share.ts); PV and miners share
 * in proportion to their room within their ranges.
 * Balancing uses measured power (uncontrolled load = grid + measured device output), so it closes the loop on what
 * the meter sees, like OpenEMS's "grid + battery - target", with the load averaged against oscillation.
 */
export function dispatchSetpoints(inputs: ControlInputs, book: RangeBook): Dispatch {
  const devices = controllableDevices(inputs);
  const pvs = devices.filter((d) => d.kind === 'pv-inverter');
  const batteries = devices.filter((d) => d.kind === 'battery');
  const miners = devices.filter((d) => d.kind === 'flexible-load');
  const smoothedLoadW = inputs.estimates.uncontrolledLoadSmoothedW;
  const loadNowW = inputs.estimates.uncontrolledLoadNowW;
  const gridRange = book.gridRange();
  const split = inputs.policy.surplus_split;

  const pvRanges = pvs.map((d) => {
    const range = book.range(d.spec.id);
    return { id: d.spec.id, capLoW: range.minW, capHiW: range.maxW, expectedW: Math.min(pvAvailableW(d), range.maxW) };
  });
  const expectedPvW = pvRanges.reduce((sum, r) => sum + r.expectedW, 0);
  const preferredGridW = expectedPvW > smoothedLoadW ? -(split.export_pct / 100) * (expectedPvW - smoothedLoadW) : 0;
  let gridTargetW = clampToRange(gridRange, preferredGridW);
  const pointTarget = gridRange.minW === gridRange.maxW;
  const marginW = inputs.tuning.pvProbeMarginW;
  const pvHeldAtCap = pvs.some((d) => d.kind === 'pv-inverter' && isHeldAtCap(d.reading, pvRatedPowerW(d)));
  if (pvHeldAtCap && !pointTarget && gridTargetW <= gridRange.minW) {
    gridTargetW = Math.min(gridRange.maxW, gridRange.minW + marginW);
  }
  // Balance on the averaged load, but never so far from this cycle's load that the caps would slip: with this
  // cycle's load the grid must land inside the connection point's range.
  const loadW = clamp(smoothedLoadW, loadNowW + gridTargetW - gridRange.maxW, loadNowW + gridTargetW - gridRange.minW);
  const surplusW = expectedPvW - loadW;

  const batteryRanges = batteries.map((d) => ({
    id: d.spec.id,
    loW: book.range(d.spec.id).minW,
    hiW: book.range(d.spec.id).maxW,
    socPct: d.kind === 'battery' ? d.reading.socPct : null,
    capacityWh: d.kind === 'battery' ? d.spec.capacityWh : 0,
  }));
  const minerRanges = miners.map((d) => ({
    id: d.spec.id,
    loW: book.range(d.spec.id).minW,
    hiW: book.range(d.spec.id).maxW,
  }));
  // Absorption = power taken in (charge, consumption), the opposite sign of the range convention.
  const batteryAbsorbLoW = -batteryRanges.reduce((sum, r) => sum + r.hiW, 0);
  const batteryAbsorbHiW = -batteryRanges.reduce((sum, r) => sum + r.loW, 0);
  const minerAbsorbLoW = -minerRanges.reduce((sum, r) => sum + r.hiW, 0);
  const minerAbsorbHiW = -minerRanges.reduce((sum, r) => sum + r.loW, 0);

  const absorbW = surplusW + gridTargetW;
  let batteryAbsorbW: number;
  let minerAbsorbW: number;
  let minerBudgetW: number;
  let shortfallW = 0;
  let curtailedW = 0;
  if (absorbW >= 0) {
    const sharesPct = split.battery_pct + split.miners_pct;
    const batteryShareW = sharesPct > 0 ? (absorbW * split.battery_pct) / sharesPct : absorbW;
    batteryAbsorbW = clamp(batteryShareW, batteryAbsorbLoW, batteryAbsorbHiW);
    minerBudgetW = absorbW - batteryAbsorbW;
    minerAbsorbW = clamp(minerBudgetW, minerAbsorbLoW, minerAbsorbHiW);
    let restW = absorbW - batteryAbsorbW - minerAbsorbW;
    // The batteries take what the miners could not, or give back what the miners had to take beyond their share.
    const rebalancedW = clamp(batteryAbsorbW + restW, batteryAbsorbLoW, batteryAbsorbHiW);
    restW -= rebalancedW - batteryAbsorbW;
    batteryAbsorbW = rebalancedW;
    if (restW > 0) {
      const extraExportW = Math.min(restW, Math.max(0, gridTargetW - gridRange.minW));
      gridTargetW -= extraExportW;
      restW -= extraExportW;
    }
    if (restW > 0) curtailedW = restW;
    else shortfallW = Math.max(0, -restW);
  } else {
    minerAbsorbW = clamp(0, minerAbsorbLoW, minerAbsorbHiW);
    // PV held back by a curtailment that is no longer needed covers the deficit before the batteries, as far as it
    // has shown it can (pvRecoveryProbeW) and its caps may rise this cycle: the batteries discharge that much less
    // and the PV caps below rise by as much (they are set from the battery setpoints). Otherwise the batteries would
    // cover the deficit and PV would creep back by the probe margin per cycle.
    const pvRecoverableW = pvRanges.reduce((sum, r) => sum + Math.max(0, r.capHiW - r.expectedW), 0);
    const pvRecoveryW = Math.min(pvRecoverableW, pvRecoveryProbeW(inputs, pvs), Math.max(0, minerAbsorbW - absorbW));
    batteryAbsorbW = clamp(absorbW - minerAbsorbW + pvRecoveryW, batteryAbsorbLoW, batteryAbsorbHiW);
    shortfallW = Math.max(0, batteryAbsorbW + minerAbsorbW - absorbW - pvRecoveryW);
    // Miners run on surplus, not on the battery: in a deficit nothing is on offer for them.
    minerBudgetW = absorbW;
  }

  const powersW: Record<string, number> = {};
  shareTowardsEqualSoc(-batteryAbsorbW, batteryRanges, inputs.tuning.batterySocBalancingS).forEach(
    (w, i) => (powersW[batteryRanges[i]!.id] = w),
  );
  shareWithinRanges(-minerAbsorbW, minerRanges).forEach((w, i) => (powersW[minerRanges[i]!.id] = w));
  // PV caps: the most PV the connection point can take at this cycle's load and this cycle's battery and miner
  // setpoints. Below it nothing is curtailed; it stops a sudden sun surge (or a curtailed inverter let loose) from
  // pushing export past the cap before the next cycle can react. It is only lowered below what PV produces when the
  // absorbers are full (curtailedW) or this cycle's load says so.
  const exportCapW = inputs.plant.exportCapW;
  const exportAllowedW = pointTarget
    ? Math.min(exportCapW, -gridRange.minW + marginW)
    : Math.min(exportCapW, -gridRange.minW);
  const exportSafePvW = loadNowW + exportAllowedW + batteryAbsorbW + minerAbsorbW;
  const targetPvW = Math.min(exportSafePvW, expectedPvW - curtailedW);
  if (targetPvW < expectedPvW) {
    const outputRanges = pvRanges.map((r) => ({ loW: Math.min(r.capLoW, r.expectedW), hiW: r.expectedW }));
    const reachableW = outputRanges.reduce((sum, r) => sum + r.loW, 0);
    const cappedPvW = Math.max(reachableW, targetPvW);
    curtailedW = expectedPvW - cappedPvW;
    shareWithinRanges(cappedPvW, outputRanges).forEach((w, i) => {
      const r = pvRanges[i]!;
      powersW[r.id] = Math.max(r.capLoW, w);
    });
  } else {
    const headroomRanges = pvRanges.map((r) => ({ loW: Math.max(r.capLoW, r.expectedW), hiW: r.capHiW }));
    shareWithinRanges(exportSafePvW, headroomRanges).forEach((w, i) => (powersW[pvRanges[i]!.id] = w));
  }

  const minerOfferW: Record<string, number> = {};
  let offerLeftW = minerBudgetW;
  const controllableMiners = new Map(miners.map((d) => [d.spec.id, d]));
  for (const spec of inputs.plant.devices) {
    if (spec.kind !== 'flexible-load') continue;
    minerOfferW[spec.id] = offerLeftW;
    const device = controllableMiners.get(spec.id);
    const maxW = device && device.kind === 'flexible-load' ? minerPowerRangeW(device).maxW : spec.maxPowerW;
    offerLeftW -= clamp(offerLeftW, 0, maxW);
  }

  return { gridTargetW, powersW, minerOfferW, shortfallW, curtailedW };
}
