import type { FleetObservation } from './fleet-observation.ts';

/** The figures behind one zone's multiplier, over the advisor's window. Energies in Wh. */
export interface ZoneEvidence {
  zone: string;
  /** Latest forecast: energy the zone's sites are expected to draw above its import (congestion) limit. */
  forecastDeficitWh: number;
  /** Energy the zone stayed over its import (congestion) limit because its sites had no lowering left. */
  peakShortfallWh: number;
  peakShortfallCycles: number;
  /** Cycles in which every online site of the zone was asked for all the lowering it had. */
  loweringExhaustedCycles: number;
  /** Surplus the zone could not export past its export limit (curtailed PV), from its baseline. */
  curtailedSurplusWh: number;
  observedCycles: number;
  meanOnlineSites: number;
  /** Peak-shortfall W per cycle where it happened, for the chart: [atMs, W]. */
  shortfallSeries: [number, number][];
}

const SERIES_LIMIT = 2_000;

/**
 * Accumulates, per zone, the evidence that the network needs capacity there: forecast deficits against the zone's
 * congestion limit, peaks the fleet could not shave because the zone had no flexibility left, and surplus curtailed
 * at its export limit.
 */
export class ZoneEvidenceBook {
  readonly #zones = new Map<string, ZoneEvidence & { onlineSum: number }>();
  #fromMs: number | null = null;
  #fleetPeakShortfallWh = 0;
  #lastMs: number | null = null;

  observe(observation: FleetObservation): void {
    const dtS = this.#lastMs === null ? 0 : Math.max(0, (observation.atMs - this.#lastMs) / 1000);
    this.#fromMs ??= observation.atMs;
    this.#lastMs = observation.atMs;
    // A fleet-wide peak the fleet could not shave is not evidence about any one zone (more flexibility anywhere
    // would help): it is kept as fleet evidence. A zone's own evidence is the congestion it could not relieve.
    if (observation.shortfallW !== null && observation.shortfallW < 0)
      this.#fleetPeakShortfallWh += (-observation.shortfallW * dtS) / 3600;
    for (const zone of observation.zones) {
      const evidence = this.#zone(zone.zone);
      evidence.observedCycles += 1;
      evidence.onlineSum += zone.onlineSites;
      evidence.meanOnlineSites = evidence.onlineSum / evidence.observedCycles;
      evidence.forecastDeficitWh =
        zone.importLimitW === null
          ? 0
          : zone.forecast.reduce(
              (sum, step) => sum + (Math.max(0, step.baselineW - zone.importLimitW!) * step.durationS) / 3600,
              0,
            );
      if (zone.loweringExhausted) evidence.loweringExhaustedCycles += 1;
      const attributed = zone.importViolationW;
      if (attributed > 0) {
        evidence.peakShortfallWh += (attributed * dtS) / 3600;
        evidence.peakShortfallCycles += 1;
        if (evidence.shortfallSeries.length < SERIES_LIMIT)
          evidence.shortfallSeries.push([observation.atMs, attributed]);
      }
      if (zone.exportLimitW !== null)
        evidence.curtailedSurplusWh += (Math.max(0, -zone.baselineW - zone.exportLimitW) * dtS) / 3600;
    }
  }

  zones(): ZoneEvidence[] {
    return [...this.#zones.values()]
      .map(({ onlineSum: _onlineSum, ...evidence }) => ({
        ...evidence,
        shortfallSeries: [...evidence.shortfallSeries],
      }))
      .sort((a, b) => a.zone.localeCompare(b.zone));
  }

  /** Energy of the peaks the whole fleet could not shave (it lacked lowering), Wh. */
  get fleetPeakShortfallWh(): number {
    return this.#fleetPeakShortfallWh;
  }

  window(): { fromMs: number | null; toMs: number | null } {
    return { fromMs: this.#fromMs, toMs: this.#lastMs };
  }

  #zone(zone: string): ZoneEvidence & { onlineSum: number } {
    let evidence = this.#zones.get(zone);
    if (!evidence) {
      evidence = {
        zone,
        forecastDeficitWh: 0,
        peakShortfallWh: 0,
        peakShortfallCycles: 0,
        loweringExhaustedCycles: 0,
        curtailedSurplusWh: 0,
        observedCycles: 0,
        meanOnlineSites: 0,
        shortfallSeries: [],
        onlineSum: 0,
      };
      this.#zones.set(zone, evidence);
    }
    return evidence;
  }
}
