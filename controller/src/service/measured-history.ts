import { HOUR_MS } from '../forecasting/hourly-series.ts';
import type { HistoryStore } from '../forecasting/history-store.ts';
import type { SitePowers } from './site-powers.ts';

/** Series names in the history store; the forecasters read the same names. */
export const SITE_LOAD_SERIES = 'site-load';
export const PV_SERIES = 'pv';

/** Average measured power over one planning step. */
export interface MeasuredStep {
  startMs: number;
  siteLoadW: number;
  pvW: number;
  samples: number;
}

class Averager {
  startMs: number | null = null;
  loadSumW = 0;
  pvSumW = 0;
  samples = 0;
  reset(startMs: number): void {
    this.startMs = startMs;
    this.loadSumW = 0;
    this.pvSumW = 0;
    this.samples = 0;
  }
}

/**
 * What the plant actually did, averaged per planning step (kept for "forecast vs actual") and per hour (written to
 * the history store the forecasters learn from). Cycles without a meter reading are left out of the averages.
 */
export class MeasuredHistory {
  private readonly step = new Averager();
  private readonly hour = new Averager();
  private readonly steps: MeasuredStep[] = [];

  constructor(
    private readonly store: HistoryStore,
    private readonly stepMs: number,
    private readonly keepSteps = 2 * 96,
  ) {}

  observe(atMs: number, powers: SitePowers): void {
    if (powers.siteLoadW === null) return;
    const stepStart = Math.floor(atMs / this.stepMs) * this.stepMs;
    if (this.step.startMs !== stepStart) {
      if (this.step.startMs !== null && this.step.samples > 0) {
        this.steps.push({
          startMs: this.step.startMs,
          siteLoadW: this.step.loadSumW / this.step.samples,
          pvW: this.step.pvSumW / this.step.samples,
          samples: this.step.samples,
        });
        if (this.steps.length > this.keepSteps) this.steps.shift();
      }
      this.step.reset(stepStart);
    }
    const hourStart = Math.floor(atMs / HOUR_MS) * HOUR_MS;
    if (this.hour.startMs !== hourStart) {
      if (this.hour.startMs !== null && this.hour.samples > 0) {
        const hourStartMs = this.hour.startMs;
        this.store.append(SITE_LOAD_SERIES, [{ hourStartMs, value: this.hour.loadSumW / this.hour.samples }]);
        this.store.append(PV_SERIES, [{ hourStartMs, value: this.hour.pvSumW / this.hour.samples }]);
      }
      this.hour.reset(hourStart);
    }
    for (const averager of [this.step, this.hour]) {
      averager.loadSumW += powers.siteLoadW;
      averager.pvSumW += powers.pvW;
      averager.samples += 1;
    }
  }

  /** Completed steps, oldest first. */
  completedSteps(): readonly MeasuredStep[] {
    return this.steps;
  }

  /** The step in progress (partial average), or the last completed one. */
  latest(): MeasuredStep | null {
    if (this.step.startMs !== null && this.step.samples > 0) {
      return {
        startMs: this.step.startMs,
        siteLoadW: this.step.loadSumW / this.step.samples,
        pvW: this.step.pvSumW / this.step.samples,
        samples: this.step.samples,
      };
    }
    return this.steps[this.steps.length - 1] ?? null;
  }
}
