import { CusumDriftDetector } from './cusum-drift-detector.ts';
import { roundEvidence as round, severityForDrift, type MaintenanceAlert } from './maintenance-alert.ts';

/**
 * Learns how each PV inverter normally performs against what it should produce, day by day, and alerts when it
 * falls behind: a lost string, soiling, a failing optimiser. "Should produce" is its peers' specific yield (the
 * median kWh per kW of the other inverters of the site, which saw the same sky) when there are at least two peers,
 * else the irradiance profile (rated power x capacity factor). The daily ratio actual / expected is the health
 * indicator; each inverter's own normal ratio is learnt first (a shaded one is normal at 0.9), then a CUSUM watches
 * for a drop. Days with little sun are skipped: their ratios are mostly noise.
 */
export interface PvReading {
  deviceId: string;
  ratedPowerW: number;
  acPowerW: number;
}

export interface PvMonitorOptions {
  /** Length of one sample (the monitor integrates power x sampleMs). */
  sampleMs: number;
  /** Days learnt as normal before watching. */
  baselineDays?: number;
  /** Days whose expected yield is below this many full-power hours are skipped. */
  minExpectedFullLoadHours?: number;
  /** Drop of the ratio (fraction of normal) for a warning and for critical. */
  thresholds?: { warning: number; critical: number };
  /** Day boundaries in UTC ms offset (e.g. +10 h for a Melbourne site, so a day is a local day). */
  utcOffsetMs?: number;
}

interface DayTotals {
  energyWh: Map<string, number>;
  ratedW: Map<string, number>;
  profileWhPerW: number;
}

const DAY_MS = 86_400_000;

export class PvPerformanceMonitor {
  private dayIndex: number | null = null;
  private day: DayTotals = emptyDay();
  private readonly detectors = new Map<string, CusumDriftDetector>();
  private readonly options: Required<PvMonitorOptions>;

  constructor(options: PvMonitorOptions) {
    this.options = {
      baselineDays: 7,
      minExpectedFullLoadHours: 0.5,
      thresholds: { warning: 0.05, critical: 0.15 },
      utcOffsetMs: 0,
      ...options,
    };
  }

  /**
   * One sample of every inverter at `timeMs`; `capacityFactor` is the irradiance profile now (0..1) or null when
   * the site has no irradiance reference. Returns the alerts of a day that this sample closed.
   */
  observe(timeMs: number, readings: readonly PvReading[], capacityFactor: number | null): MaintenanceAlert[] {
    const index = Math.floor((timeMs + this.options.utcOffsetMs) / DAY_MS);
    let alerts: MaintenanceAlert[] = [];
    if (this.dayIndex !== null && index !== this.dayIndex) {
      alerts = this.closeDay(timeMs);
      this.day = emptyDay();
    }
    this.dayIndex = index;
    const hours = this.options.sampleMs / 3_600_000;
    for (const r of readings) {
      if (!Number.isFinite(r.acPowerW) || !(r.ratedPowerW > 0)) continue; // unknown reading: the day's ratio uses what is known
      this.day.energyWh.set(r.deviceId, (this.day.energyWh.get(r.deviceId) ?? 0) + Math.max(0, r.acPowerW) * hours);
      this.day.ratedW.set(r.deviceId, r.ratedPowerW);
    }
    if (capacityFactor !== null && Number.isFinite(capacityFactor))
      this.day.profileWhPerW += Math.max(0, capacityFactor) * hours;
    return alerts;
  }

  /** After a repair: the inverter's normal ratio is learnt again from the next days. */
  reset(deviceId: string): void {
    this.detectors.delete(deviceId);
  }

  private closeDay(nowMs: number): MaintenanceAlert[] {
    const yields = new Map<string, number>();
    for (const [id, energy] of this.day.energyWh) yields.set(id, energy / (this.day.ratedW.get(id) as number));
    const alerts: MaintenanceAlert[] = [];
    for (const [id, specificYield] of yields) {
      const peers = [...yields].filter(([other]) => other !== id).map(([, y]) => y);
      const usePeers = peers.length >= 2;
      const expected = usePeers ? median(peers) : this.day.profileWhPerW;
      if (!(expected >= this.options.minExpectedFullLoadHours)) continue;
      const ratio = specificYield / expected;
      let detector = this.detectors.get(id);
      if (!detector) {
        detector = new CusumDriftDetector({
          direction: 'down',
          baselineCount: this.options.baselineDays,
          minSigmaFraction: 0.01,
        });
        this.detectors.set(id, detector);
      }
      const state = detector.observe(ratio);
      if (!state.alarm) continue;
      const severity = severityForDrift(state.relativeShift, this.options.thresholds);
      alerts.push({
        deviceId: id,
        kind: 'pv-underperformance',
        severity,
        evidence: {
          dayRatio: round(ratio),
          normalRatio: round(state.baselineMean),
          normalRatioSigma: round(state.baselineSigma),
          shortfallPct: round(100 * state.relativeShift),
          cusum: round(state.statistic),
          specificYieldKwhPerKw: round(specificYield),
          expectedKwhPerKw: round(expected),
        },
        suggestedAction:
          severity === 'critical'
            ? `inspect ${id}: output is ${(100 * state.relativeShift).toFixed(0)} % below normal against ${usePeers ? 'its peers' : 'the irradiance profile'}; check for a failed string, fuse or optimiser`
            : `check ${id} for soiling, shading or a degraded string: output is ${(100 * state.relativeShift).toFixed(1)} % below normal`,
        raisedAtMs: nowMs,
      });
    }
    return alerts;
  }
}

function emptyDay(): DayTotals {
  return { energyWh: new Map(), ratedW: new Map(), profileWhPerW: 0 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
