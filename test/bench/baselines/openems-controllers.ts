/**
 * The balancing benchmark's baseline: OpenEMS Edge's own controllers, re-implemented from their source
 * (github.com/OpenEMS/openems, develop at 0e4ea88, April 2026) to run on the same plant, drivers and clock as the
 * GridCoop controller. Learned from, not copied: each function says which OpenEMS class it follows and where this
 * version departs from it.
 *
 * One cycle runs the controllers in the order of OpenEMS's default scheduler (Scheduler.AllAlphabetically: by
 * component id), all reading the same process image taken at the start of the cycle:
 *   ctrlBalancing0                   Controller.Symmetric.Balancing (io.openems.edge.controller.ess.balancing)
 *   ctrlIoHeatingElement0            Controller.IO.HeatingElement, driving the miners as its three "phases"
 *   ctrlPeakShaving0                 Controller.Symmetric.PeakShaving (io.openems.edge.controller.symmetric.peakshaving)
 *   ctrlPvInverterSellToGridLimit0   Controller.PvInverter.SellToGridLimit, on a PvInverter.Cluster of all inverters
 * The ESS is an Ess.Cluster of every battery with the ESS Power component's PID filter enabled (its default).
 */

/** The process image one OpenEMS cycle works on (sign conventions as OpenEMS: grid import +, ESS discharge +). */
export interface OpenEmsInputs {
  nowMs: number;
  /** Grid meter ActivePower: buy-from-grid positive. */
  gridW: number;
  /** The schedule's grid target for this cycle, written to ctrlBalancing0's SetGridActivePower channel. */
  targetGridW: number;
  batteries: ReadonlyArray<{
    powerW: number;
    socPct: number;
    maxChargeW: number;
    maxDischargeW: number;
    minReservePct: number;
  }>;
  pvInverters: ReadonlyArray<{ powerW: number; ratedPowerW: number }>;
}

export interface OpenEmsOutputs {
  /** Per battery, discharge positive. */
  batteryW: number[];
  /** Per inverter, W. */
  pvLimitW: number[];
  /** Heating-element level 0..3: the first `minerLevel` miners run, the others are paused. */
  minerLevel: number;
  /** Which controller set the ESS this cycle (the first one to fix it wins, as in OpenEMS's Power component). */
  essSetBy: 'ctrlBalancing0' | null;
  /** Cycles in which ctrlPeakShaving0 asked for a different ESS power than the one already fixed (and was ignored). */
  peakShavingOverridden: boolean;
}

export interface OpenEmsParameters {
  /** Controller.Symmetric.PeakShaving peakShavingPower: grid purchase above this is shaved. */
  peakShavingPowerW: number;
  /** Controller.Symmetric.PeakShaving rechargePower: below this grid purchase the battery recharges. */
  rechargePowerW: number;
  /**
   * Controller.PvInverter.SellToGridLimit maximumSellToGridPower follows the schedule: -target + this margin, never
   * above the export cap. The margin lets the batteries take surplus PV before the PV is curtailed (with 0 the
   * limiter holds the grid at the target and the batteries are never asked to charge); during an import period the
   * PV is held back to keep the import.
   */
  sellToGridMarginW: number;
  exportCapW: number;
  /** Controller.IO.HeatingElement powerPerPhase (one miner at full power) and minimumSwitchingTime. */
  heatingPowerPerPhaseW: number;
  heatingMinimumSwitchingTimeS: number;
  /** ESS Power component PID filter (OpenEMS defaults 0.3 / 0.3 / 0.1). */
  pid: { p: number; i: number; d: number };
}

/** OpenEMS's defaults where it has them; the caps and the miners' ratings where the plant decides. */
export function defaultOpenEmsParameters(plant: {
  importCapW: number;
  exportCapW: number;
  minerMaxPowerW: number;
  minerMinOnOffS: number;
}): OpenEmsParameters {
  return {
    peakShavingPowerW: plant.importCapW,
    // Recharge only when the site would buy less than a third of the cap: a guess, as OpenEMS has no default; the
    // value is moot here because ctrlBalancing0 fixes the ESS first in every cycle.
    rechargePowerW: Math.round(plant.importCapW / 3),
    // Chosen on the development day 2013-12-01 among 0, 300, 1,000 and 3,000 W (RMS 2,750 / 919 / 778 / 1,134 W).
    sellToGridMarginW: 1_000,
    exportCapW: plant.exportCapW,
    heatingPowerPerPhaseW: plant.minerMaxPowerW,
    heatingMinimumSwitchingTimeS: plant.minerMinOnOffS,
    pid: { p: 0.3, i: 0.3, d: 0.1 },
  };
}

/**
 * io.openems.edge.common.filter.PidFilter: output = p*error + i*sum(error) - d*(input - lastInput), with the
 * error sum held within 10x the larger limit, and the output within [low, high].
 */
export class PidFilter {
  private firstRun = true;
  private lastInput = 0;
  private errorSum = 0;

  constructor(private readonly gains: { p: number; i: number; d: number }) {}

  apply(input: number, target: number, low: number, high: number): number {
    const limit = (v: number): number => Math.max(low, Math.min(high, v));
    const limitedTarget = limit(target);
    const error = limitedTarget - input;
    if (error === 0) return limitedTarget;
    if (this.firstRun) {
      this.lastInput = input;
      this.firstRun = false;
    }
    const output = this.gains.p * error + this.gains.i * this.errorSum - this.gains.d * (input - this.lastInput);
    this.lastInput = input;
    const sumLimit = Math.max(Math.abs(low), Math.abs(high)) * 10;
    this.errorSum = Math.max(-sumLimit, Math.min(sumLimit, this.errorSum + error));
    return Math.round(limit(output));
  }
}

/** Controller.Symmetric.Balancing: the ESS power that brings the grid to the target. */
export function balancingPower(essW: number, gridW: number, targetGridW: number): number {
  return gridW + essW - targetGridW;
}

/** Controller.Symmetric.PeakShaving: shave above peakShavingPower, recharge below rechargePower, else hold (0). */
export function peakShavingPower(essW: number, gridW: number, p: OpenEmsParameters): number {
  const withoutEssW = gridW + essW;
  if (withoutEssW >= p.peakShavingPowerW) return withoutEssW - p.peakShavingPowerW;
  if (withoutEssW <= p.rechargePowerW) return withoutEssW - p.rechargePowerW;
  return 0;
}

/**
 * Controller.PvInverter.SellToGridLimit: limit = grid + production + maximumSellToGridPower, moving at most 20 % of
 * the last limit per cycle once both are above 100 W. Keeps its last limit between cycles.
 */
export class SellToGridLimit {
  static readonly MAX_ADJUSTMENT_RATE = 0.2;
  private lastSetLimitW = 0;

  next(gridW: number, pvW: number, maximumSellToGridPowerW: number): number {
    let limitW = gridW + pvW + maximumSellToGridPowerW;
    const last = this.lastSetLimitW;
    const rate = SellToGridLimit.MAX_ADJUSTMENT_RATE;
    if (Math.abs(last) > 100 && Math.abs(limitW) > 100 && Math.abs(last - limitW) > Math.abs(last) * rate) {
      limitW = last > limitW ? last - Math.trunc(Math.abs(last * rate)) : last + Math.trunc(Math.abs(last * rate));
    }
    this.lastSetLimitW = Math.round(limitW);
    return this.lastSetLimitW;
  }
}

/** PvInverter.Cluster: the limit split equally, what an inverter cannot take (above its maximum) going to the rest. */
export function distributePvLimit(limitW: number, ratedW: readonly number[]): number[] {
  const shares = ratedW.map(() => 0);
  let open = ratedW.map((_, i) => i);
  let left = Math.max(0, limitW);
  while (open.length > 0 && left > 0.5) {
    const each = left / open.length;
    const stillOpen: number[] = [];
    left = 0;
    for (const i of open) {
      const room = ratedW[i]! - shares[i]!;
      if (each >= room) {
        shares[i] = ratedW[i]!;
        left += each - room;
      } else {
        shares[i] = shares[i]! + each;
        stillOpen.push(i);
      }
    }
    open = stillOpen;
  }
  return shares.map((s) => Math.round(s));
}

/**
 * Ess.Cluster + ESS Power: one setpoint for all batteries, split in proportion to each battery's allowed power in
 * that direction (what the BMS allows: nothing below the reserve or at full), the remainder going to the others.
 * OpenEMS's solver (OPTIMIZE_BY_MOVING_TOWARDS_TARGET) is more elaborate; with batteries of equal C-rate its
 * result is this proportional split.
 */
export function essAllowedRange(batteries: OpenEmsInputs['batteries']): {
  minW: number;
  maxW: number;
  each: Array<{ minW: number; maxW: number }>;
} {
  const each = batteries.map((b) => ({
    minW: b.socPct >= 100 ? 0 : -b.maxChargeW,
    maxW: b.socPct <= b.minReservePct ? 0 : b.maxDischargeW,
  }));
  return { minW: each.reduce((s, e) => s + e.minW, 0), maxW: each.reduce((s, e) => s + e.maxW, 0), each };
}

export function distributeEss(totalW: number, allowed: ReadonlyArray<{ minW: number; maxW: number }>): number[] {
  const bound = allowed.map((a) => (totalW >= 0 ? a.maxW : -a.minW));
  const sum = bound.reduce((s, b) => s + b, 0);
  if (sum === 0) return allowed.map(() => 0);
  return bound.map((b) => Math.round((totalW * b) / sum));
}

/** Controller.IO.HeatingElement (mode AUTOMATIC, work mode NONE, no consumption meter) on the miners. */
export class HeatingElementOnMiners {
  private level: number;
  private lastLevelChangeMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly params: OpenEmsParameters,
    initialLevel: number,
  ) {
    this.level = initialLevel;
  }

  /**
   * Excess power as OpenEMS computes it (-grid - ESS discharge + the element's own power), with one departure: the
   * grid's zero is the schedule's target, so "excess" is what the site could still draw while meeting the schedule.
   */
  next(nowMs: number, gridW: number, essW: number, targetGridW: number): number {
    const ownW = this.level * this.params.heatingPowerPerPhaseW;
    const excessW = targetGridW - gridW - Math.max(0, essW) + ownW;
    const perPhase = this.params.heatingPowerPerPhaseW;
    const wanted = excessW >= 3 * perPhase ? 3 : excessW >= 2 * perPhase ? 2 : excessW >= perPhase ? 1 : 0;
    if (wanted !== this.level && this.lastLevelChangeMs + this.params.heatingMinimumSwitchingTimeS * 1000 < nowMs) {
      this.level = wanted;
      this.lastLevelChangeMs = nowMs;
    }
    return this.level;
  }
}

/** The four controllers with their state, run once per cycle. */
export class OpenEmsEdge {
  private readonly pid: PidFilter;
  private readonly sellToGrid = new SellToGridLimit();
  private readonly heating: HeatingElementOnMiners;

  constructor(
    readonly params: OpenEmsParameters,
    initialMinerLevel: number,
  ) {
    this.pid = new PidFilter(params.pid);
    this.heating = new HeatingElementOnMiners(params, initialMinerLevel);
  }

  cycle(inputs: OpenEmsInputs): OpenEmsOutputs {
    const essW = inputs.batteries.reduce((s, b) => s + b.powerW, 0);
    const allowed = essAllowedRange(inputs.batteries);
    // ctrlBalancing0 -> setActivePowerEqualsWithFilter: the PID filter between the ESS's allowed bounds. When the
    // bounds are within 10 W of each other the ESS is already fixed and the call does nothing.
    let essSetW: number | null = null;
    let essSetBy: OpenEmsOutputs['essSetBy'] = null;
    if (allowed.maxW - allowed.minW >= 10) {
      essSetW = this.pid.apply(
        essW,
        balancingPower(essW, inputs.gridW, inputs.targetGridW),
        allowed.minW,
        allowed.maxW,
      );
      essSetBy = 'ctrlBalancing0';
    }
    const minerLevel = this.heating.next(inputs.nowMs, inputs.gridW, essW, inputs.targetGridW);
    // ctrlPeakShaving0: its setActivePowerEqualsWithFilter finds the ESS fixed and returns.
    const shavingW = peakShavingPower(essW, inputs.gridW, this.params);
    const peakShavingOverridden = essSetW !== null && Math.abs(shavingW - essSetW) >= 10;
    // With no room at all both calls return early and the ESS gets no setpoint: it holds.
    const pvW = inputs.pvInverters.reduce((s, p) => s + p.powerW, 0);
    const maximumSellToGridW = Math.min(this.params.exportCapW, -inputs.targetGridW + this.params.sellToGridMarginW);
    const limitW = this.sellToGrid.next(inputs.gridW, pvW, maximumSellToGridW);
    return {
      batteryW: distributeEss(essSetW ?? 0, allowed.each),
      pvLimitW: distributePvLimit(
        limitW,
        inputs.pvInverters.map((p) => p.ratedPowerW),
      ),
      minerLevel,
      essSetBy,
      peakShavingOverridden,
    };
  }
}
