import { CusumDriftDetector } from './cusum-drift-detector.ts';
import { roundEvidence as round, severityForDrift, type MaintenanceAlert } from './maintenance-alert.ts';

/**
 * Learns a battery's usable capacity and round-trip efficiency from its own charge/discharge cycles and alerts when
 * either fades. From a charge of dSocC points taking Ein (AC, Wh) followed by a discharge of dSocD points giving
 * Eout, with capacity C and one-way efficiency sqrt(eta):
 *   Ein * sqrt(eta) = C * dSocC / 100   and   Eout / sqrt(eta) = C * dSocD / 100, so
 *   C = 100 * sqrt(Ein * Eout / (dSocC * dSocD))   and   eta = (Eout / dSocD) / (Ein / dSocC),
 * which needs no efficiency assumed for the capacity nor a capacity assumed for the efficiency.
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

/** SoC must move this far against the current direction before a turn is believed (ripple and rounding). */
const TURN_HYSTERESIS_PCT = 0.5;

export class BatteryHealthMonitor {
  private direction: 'charging' | 'discharging' | null = null;
  private segmentStart: TurningPoint | null = null;
  private extreme: TurningPoint | null = null;
  private lastCharge: { dSocPct: number; energyWh: number } | null = null;
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
      baselineCycles: 3,
      minSwingPct: 30,
      capacityThresholds: { warning: 0.05, critical: 0.2 },
      efficiencyThresholds: { warning: 0.03, critical: 0.1 },
      ...options,
    };
    this.capacity = new CusumDriftDetector({
      direction: 'down',
      baselineCount: this.options.baselineCycles,
      minSigmaFraction: 0.005,
    });
    this.efficiency = new CusumDriftDetector({
      direction: 'down',
      baselineCount: this.options.baselineCycles,
      minSigmaFraction: 0.005,
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
      this.lastCharge = { dSocPct: swing, energyWh: end.energyInWh - start.energyInWh };
      return [];
    }
    const charge = this.lastCharge;
    this.lastCharge = null;
    const dischargeWh = end.energyOutWh - start.energyOutWh;
    if (!charge || !(charge.energyWh > 0) || !(dischargeWh > 0)) return [];
    const capacityWh = 100 * Math.sqrt((charge.energyWh * dischargeWh) / (charge.dSocPct * swing));
    const roundTrip = dischargeWh / swing / (charge.energyWh / charge.dSocPct);
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
