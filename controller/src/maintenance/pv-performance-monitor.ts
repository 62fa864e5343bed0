import { CusumDriftDetector } from './cusum-drift-detector.ts';
import { roundEvidence as round, severityForDrift, type MaintenanceAlert } from './maintenance-alert.ts';

/**
 * Learns how each PV inverter normally performs against what it should produce, day by day, and alerts when it
 * falls behind: a lost string, soiling, a failing optimiser. "Should produce" is its peers' specific yield (the
 * median kWh per kW of the other inverters of the site, which saw the same sky) when there are at least two peers,
 * else the irradiance profile (rated power x capacity factor). The daily ratio actual / expected is the health
 * indicator; each inverter's own normal ratio is learnt first (a shaded one is normal at 0.9), then a CUSUM watches
 * for a drop. Days with little sun are skipped: their ratios are mostly noise. Both sides of the ratio count only the
 * samples the inverter reported (a missed sample or a two-hour link outage is not a loss of output), and the peers'
 * reference is their median specific power at each of those samples.
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

/** One inverter's day: its specific yield (Wh per W rated) next to each reference, over the same samples. */
interface DeviceDay {
  ownWithPeersWhPerW: number;
  peersWhPerW: number;
  ownWithProfileWhPerW: number;
  profileWhPerW: number;
}

type DayTotals = Map<string, DeviceDay>;

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
    // unknown readings: neither the inverter nor its reference counts this sample
    const known = readings.filter((r) => Number.isFinite(r.acPowerW) && r.ratedPowerW > 0);
    const specific = known.map((r) => Math.max(0, r.acPowerW) / r.ratedPowerW);
    const profile = capacityFactor !== null && Number.isFinite(capacityFactor) ? Math.max(0, capacityFactor) : null;
    known.forEach((r, i) => {
      const own = specific[i] as number;
      let device = this.day.get(r.deviceId);
      if (!device) {
        device = { ownWithPeersWhPerW: 0, peersWhPerW: 0, ownWithProfileWhPerW: 0, profileWhPerW: 0 };
        this.day.set(r.deviceId, device);
      }
      if (known.length >= 3) {
        device.ownWithPeersWhPerW += own * hours;
        device.peersWhPerW += median(specific.filter((_, j) => j !== i)) * hours;
      }
      if (profile !== null) {
        device.ownWithProfileWhPerW += own * hours;
        device.profileWhPerW += profile * hours;
      }
    });
    return alerts;
  }

  /** After a repair: the inverter's normal ratio is learnt again from the next days. */
  reset(deviceId: string): void {
    this.detectors.delete(deviceId);
  }

  private closeDay(nowMs: number): MaintenanceAlert[] {
    const alerts: MaintenanceAlert[] = [];
    for (const [id, day] of this.day) {
      // Peers when they saw enough of the day with this inverter, else the irradiance profile.
      const usePeers = day.peersWhPerW >= this.options.minExpectedFullLoadHours;
      const expected = usePeers ? day.peersWhPerW : day.profileWhPerW;
      if (!(expected >= this.options.minExpectedFullLoadHours)) continue;
      const specificYield = usePeers ? day.ownWithPeersWhPerW : day.ownWithProfileWhPerW;
      const ratio = specificYield / expected;
      let detector = this.detectors.get(id);
      if (!detector) {
        detector = new CusumDriftDetector({
          direction: 'down',
          baselineCount: this.options.baselineDays,
          minSigmaFraction: 0.01,
          minShiftFraction: this.options.thresholds.warning,
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
  return new Map();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
