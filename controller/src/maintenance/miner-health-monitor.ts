import { CusumDriftDetector } from './cusum-drift-detector.ts';
import { roundEvidence as round, severityForDrift, type MaintenanceAlert } from './maintenance-alert.ts';

/**
 * Learns a miner's normal thermal resistance (temperature rise above ambient per kW drawn) and its energy per
 * terahash, and alerts when they drift: worn fans or clogged filters raise the first long before the firmware's
 * thermal protection trips; failing hashboards raise the second. Only steady samples count (power unchanged for
 * `settleMs`), because right after a power change the temperature still lags behind.
 * Critical when the learnt resistance says full power would reach the overheat limit: the miner will trip.
 */
export interface MinerReading {
  timeMs: number;
  powerW: number;
  hashrateThs: number;
  temperatureC: number;
  /** Inlet or room temperature; when unknown the monitor uses `defaultAmbientC`. */
  ambientC?: number | null;
}

export interface MinerMonitorOptions {
  deviceId: string;
  maxPowerW: number;
  overheatC: number;
  defaultAmbientC?: number;
  /** Time power must hold steady before a sample counts (several thermal time constants). */
  settleMs?: number;
  /** Steady samples learnt as normal before watching. */
  baselineSamples?: number;
  /** Relative rise of the thermal resistance for a warning (critical is the projected overheat). */
  resistanceThresholds?: { warning: number; critical: number };
  efficiencyThresholds?: { warning: number; critical: number };
  /** Samples below this power say nothing about cooling (paused, ramping). */
  minPowerW?: number;
}

/** Power within this fraction counts as unchanged. */
const STEADY_BAND = 0.02;

export class MinerHealthMonitor {
  private steadySinceMs: number | null = null;
  private steadyPowerW = 0;
  private readonly resistance: CusumDriftDetector;
  private readonly efficiency: CusumDriftDetector;
  private readonly options: Required<MinerMonitorOptions>;
  latest: { thermalResistanceCPerKw: number; joulesPerTh: number } = {
    thermalResistanceCPerKw: Number.NaN,
    joulesPerTh: Number.NaN,
  };

  constructor(options: MinerMonitorOptions) {
    this.options = {
      defaultAmbientC: 25,
      settleMs: 15 * 60_000,
      baselineSamples: 60,
      resistanceThresholds: { warning: 0.15, critical: Number.POSITIVE_INFINITY },
      efficiencyThresholds: { warning: 0.05, critical: 0.15 },
      minPowerW: options.maxPowerW * 0.2,
      ...options,
    };
    this.resistance = new CusumDriftDetector({
      direction: 'up',
      baselineCount: this.options.baselineSamples,
      minSigmaFraction: 0.01,
      minShiftFraction: this.options.resistanceThresholds.warning,
    });
    this.efficiency = new CusumDriftDetector({
      direction: 'up',
      baselineCount: this.options.baselineSamples,
      minSigmaFraction: 0.01,
      minShiftFraction: this.options.efficiencyThresholds.warning,
    });
  }

  /** After cleaning or a repair: normal is learnt again from the next steady samples. */
  reset(): void {
    this.resistance.reset();
    this.efficiency.reset();
  }

  observe(reading: MinerReading): MaintenanceAlert[] {
    const { timeMs, powerW, hashrateThs, temperatureC } = reading;
    if (![timeMs, powerW, hashrateThs, temperatureC].every(Number.isFinite)) return [];
    if (
      powerW < this.options.minPowerW ||
      this.steadySinceMs === null ||
      Math.abs(powerW - this.steadyPowerW) > STEADY_BAND * this.steadyPowerW
    ) {
      this.steadySinceMs = timeMs;
      this.steadyPowerW = powerW;
      return [];
    }
    if (timeMs - this.steadySinceMs < this.options.settleMs) return [];
    const ambientC = reading.ambientC ?? this.options.defaultAmbientC;
    const resistance = (temperatureC - ambientC) / (powerW / 1000);
    const joulesPerTh = hashrateThs > 0 ? powerW / hashrateThs : Number.NaN;
    this.latest = { thermalResistanceCPerKw: resistance, joulesPerTh };
    const alerts: MaintenanceAlert[] = [];
    const id = this.options.deviceId;

    const thermal = this.resistance.observe(resistance);
    if (thermal.alarm) {
      const projectedMaxC = ambientC + (resistance * this.options.maxPowerW) / 1000;
      const willTrip = projectedMaxC >= this.options.overheatC;
      const severity = willTrip
        ? 'critical'
        : severityForDrift(thermal.relativeShift, this.options.resistanceThresholds);
      alerts.push({
        deviceId: id,
        kind: 'miner-cooling-degraded',
        severity,
        evidence: {
          thermalResistanceCPerKw: round(resistance),
          normalThermalResistanceCPerKw: round(thermal.baselineMean),
          risePct: round(100 * thermal.relativeShift),
          temperatureC: round(temperatureC),
          powerW: round(powerW),
          projectedTemperatureAtMaxPowerC: round(projectedMaxC),
          overheatC: this.options.overheatC,
          cusum: round(thermal.statistic),
        },
        suggestedAction: willTrip
          ? `clean or replace ${id}'s fans and filters now, and cap its power below ${Math.floor(((this.options.overheatC - 5 - ambientC) / resistance) * 1000)} W until then: at full power it would reach ${projectedMaxC.toFixed(0)} °C and trip`
          : `check ${id}'s fans and air filters: it runs ${(100 * thermal.relativeShift).toFixed(0)} % hotter per kW than normal`,
        raisedAtMs: timeMs,
      });
    }
    const hashing = this.efficiency.observe(joulesPerTh);
    if (hashing.alarm) {
      const severity = severityForDrift(hashing.relativeShift, this.options.efficiencyThresholds);
      alerts.push({
        deviceId: id,
        kind: 'miner-efficiency-loss',
        severity,
        evidence: {
          joulesPerTh: round(joulesPerTh),
          normalJoulesPerTh: round(hashing.baselineMean),
          lossPct: round(100 * hashing.relativeShift),
          cusum: round(hashing.statistic),
        },
        suggestedAction: `check ${id}'s hashboards (a failing chip chain draws power without hashing): ${(100 * hashing.relativeShift).toFixed(1)} % more energy per terahash than normal`,
        raisedAtMs: timeMs,
      });
    }
    return alerts;
  }
}
