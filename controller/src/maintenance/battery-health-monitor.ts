import { CusumDriftDetector } from './cusum-drift-detector.ts';
import { roundEvidence as round, severityForDrift, type MaintenanceAlert } from './maintenance-alert.ts';

/**
 * Learns a battery's usable capacity and round-trip efficiency from its own charge/discharge cycles and alerts when
 * either fades. From a charge of dSocC points taking Ein (AC, Wh) followed by a discharge of dSocD points giving
 * Eout, with capacity C and one-way efficiency sqrt(eta):
 *   Ein * sqrt(eta) = C * dSocC / 100   and   Eout / sqrt(eta) = C * dSocD / 100, so
 *   C = 100 * sqrt(Ein * Eout / (dSocC * dSocD))   and   eta = (Eout / dSocD) / (Ein / dSocC),
 * which needs no efficiency assumed for the capacity nor a capacity assumed for the efficiency.
 * A half-cycle may carry some flow the other way (a cloud makes the battery cover the load for a moment in the middle
 * of its charge): that energy is moved to the segment's side with the last round-trip estimate (Ein - Eout / eta for
 * a charge, Eout - Ein * eta for a discharge) and the pair solved again, twice, which converges for small flows.
 */
export interface BatteryReading {
  timeMs: number;
  socPct: number;
  /** Lifetime AC energy counters (SunSpec/802 style), Wh. */
  energyInWh: number;
  energyOutWh: number;
}

export interface BatteryMonitorOptions {
  deviceId: string;
  ratedCapacityWh: number;
  /** Cycles learnt as normal before watching. */
  baselineCycles?: number;
  /** Half-cycles shallower than this (SoC points) are ignored: their estimates are too noisy. */
  minSwingPct?: number;
  capacityThresholds?: { warning: number; critical: number };
  efficiencyThresholds?: { warning: number; critical: number };
}

interface TurningPoint {
  socPct: number;
  energyInWh: number;
  energyOutWh: number;
}

/**
 * SoC must move this far against the current direction before a turn is believed. Real BMSs report whole percent
 * and their estimate wanders by about a percent when idle: with 0.5 % the flicker between a charge and a discharge
 * counted as two tiny half-cycles and threw the charge away (noisy-plant tests: 16 of 60 days' cycles used).
 */
const TURN_HYSTERESIS_PCT = 4;
/** Seasons and ageing move capacity and efficiency slowly: the normal follows them over about a month of cycles. */
const SLOW_DRIFT_CYCLES = 30;
/** Round-trip efficiency assumed for the first cycle's counter-flows, until one is measured. */
const FIRST_ROUND_TRIP_GUESS = 0.9;

export class BatteryHealthMonitor {
  private direction: 'charging' | 'discharging' | null = null;
  private segmentStart: TurningPoint | null = null;
  private extreme: TurningPoint | null = null;
  private lastCharge: { dSocPct: number; energyInWh: number; energyOutWh: number } | null = null;
  private readonly capacity: CusumDriftDetector;
  private readonly efficiency: CusumDriftDetector;
  private readonly options: Required<BatteryMonitorOptions>;
  /** The latest estimates, for the API and metrics. */
  latest: { capacityWh: number; roundTripEfficiency: number; cycles: number } = {
    capacityWh: Number.NaN,
    roundTripEfficiency: Number.NaN,
    cycles: 0,
  };

  constructor(options: BatteryMonitorOptions) {
    this.options = {
      baselineCycles: 7,
      minSwingPct: 30,
      capacityThresholds: { warning: 0.05, critical: 0.2 },
      efficiencyThresholds: { warning: 0.03, critical: 0.1 },
      ...options,
    };
    this.capacity = new CusumDriftDetector({
      direction: 'down',
      baselineCount: this.options.baselineCycles,
      minSigmaFraction: 0.005,
      minShiftFraction: this.options.capacityThresholds.warning,
      followSlowDriftCount: SLOW_DRIFT_CYCLES,
    });
    this.efficiency = new CusumDriftDetector({
      direction: 'down',
      baselineCount: this.options.baselineCycles,
      minSigmaFraction: 0.005,
      minShiftFraction: this.options.efficiencyThresholds.warning,
      followSlowDriftCount: SLOW_DRIFT_CYCLES,
    });
  }

  /** After a repair or module swap: capacity and efficiency are learnt again from the next cycles. */
  reset(): void {
    this.capacity.reset();
    this.efficiency.reset();
  }

  observe(reading: BatteryReading): MaintenanceAlert[] {
    const point = { socPct: reading.socPct, energyInWh: reading.energyInWh, energyOutWh: reading.energyOutWh };
    if (![point.socPct, point.energyInWh, point.energyOutWh].every(Number.isFinite)) return [];
    if (!this.segmentStart || !this.extreme) {
      this.segmentStart = point;
      this.extreme = point;
      return [];
    }
    const rising = point.socPct > this.extreme.socPct;
    if (this.direction === null) {
      if (Math.abs(point.socPct - this.segmentStart.socPct) >= TURN_HYSTERESIS_PCT)
        this.direction = rising ? 'charging' : 'discharging';
      this.extreme = point;
      return [];
    }
    const continuing =
      (this.direction === 'charging' && point.socPct >= this.extreme.socPct) ||
      (this.direction === 'discharging' && point.socPct <= this.extreme.socPct);
    if (continuing) {
      this.extreme = point;
      return [];
    }
    if (Math.abs(point.socPct - this.extreme.socPct) < TURN_HYSTERESIS_PCT) return [];
    // A turn: the segment ended at the extreme.
    const alerts = this.closeSegment(this.segmentStart, this.extreme, reading.timeMs);
    this.segmentStart = this.extreme;
    this.extreme = point;
    this.direction = this.direction === 'charging' ? 'discharging' : 'charging';
    return alerts;
  }

  private closeSegment(start: TurningPoint, end: TurningPoint, nowMs: number): MaintenanceAlert[] {
    const swing = Math.abs(end.socPct - start.socPct);
    if (swing < this.options.minSwingPct) {
      if (this.direction === 'charging') this.lastCharge = null;
      return [];
    }
    if (this.direction === 'charging') {
      this.lastCharge = {
        dSocPct: swing,
        energyInWh: end.energyInWh - start.energyInWh,
        energyOutWh: end.energyOutWh - start.energyOutWh,
      };
      return [];
    }
    const charge = this.lastCharge;
    this.lastCharge = null;
    if (!charge) return [];
    const dischargeOutWh = end.energyOutWh - start.energyOutWh;
    const dischargeInWh = end.energyInWh - start.energyInWh;
    let roundTrip = Number.isFinite(this.latest.roundTripEfficiency)
      ? this.latest.roundTripEfficiency
      : FIRST_ROUND_TRIP_GUESS;
    let capacityWh = Number.NaN;
    for (let pass = 0; pass < 3; pass += 1) {
      const chargeWh = charge.energyInWh - charge.energyOutWh / roundTrip;
      const dischargeWh = dischargeOutWh - dischargeInWh * roundTrip;
      if (!(chargeWh > 0) || !(dischargeWh > 0)) return [];
      capacityWh = 100 * Math.sqrt((chargeWh * dischargeWh) / (charge.dSocPct * swing));
      roundTrip = dischargeWh / swing / (chargeWh / charge.dSocPct);
    }
    this.latest = { capacityWh, roundTripEfficiency: roundTrip, cycles: this.latest.cycles + 1 };
    const alerts: MaintenanceAlert[] = [];
    const id = this.options.deviceId;
    const capacityState = this.capacity.observe(capacityWh);
    if (capacityState.alarm) {
      const severity = severityForDrift(capacityState.relativeShift, this.options.capacityThresholds);
      const sohPct = (100 * capacityWh) / this.options.ratedCapacityWh;
      alerts.push({
        deviceId: id,
        kind: 'battery-capacity-fade',
        severity: sohPct < 70 ? 'critical' : severity,
        evidence: {
          usableCapacityWh: round(capacityWh),
          normalCapacityWh: round(capacityState.baselineMean),
          ratedCapacityWh: this.options.ratedCapacityWh,
          stateOfHealthPct: round(sohPct),
          fadePct: round(100 * capacityState.relativeShift),
          cusum: round(capacityState.statistic),
        },
        suggestedAction:
          severity === 'critical' || sohPct < 70
            ? `plan replacement of ${id}'s modules: usable capacity is ${sohPct.toFixed(0)} % of rated; check the warranty`
            : `check ${id}'s cell balance and BMS logs: usable capacity fell ${(100 * capacityState.relativeShift).toFixed(1)} % below its normal; the planner now uses ${capacityWh.toFixed(0)} Wh`,
        raisedAtMs: nowMs,
      });
    }
    const efficiencyState = this.efficiency.observe(roundTrip);
    if (efficiencyState.alarm) {
      const severity = severityForDrift(efficiencyState.relativeShift, this.options.efficiencyThresholds);
      alerts.push({
        deviceId: id,
        kind: 'battery-efficiency-loss',
        severity,
        evidence: {
          roundTripEfficiency: round(roundTrip),
          normalRoundTripEfficiency: round(efficiencyState.baselineMean),
          lossPct: round(100 * efficiencyState.relativeShift),
          cusum: round(efficiencyState.statistic),
        },
        suggestedAction: `inspect ${id}'s inverter and connections for heat or resistance: round-trip efficiency fell from ${(100 * efficiencyState.baselineMean).toFixed(1)} % to ${(100 * roundTrip).toFixed(1)} %`,
        raisedAtMs: nowMs,
      });
    }
    return alerts;
  }
}
