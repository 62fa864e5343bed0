import type { Logger } from 'pino';
import type { ControllerConfig } from '../config/controller-config.ts';
import type { OperatorSetpoints } from '../control/operator-setpoints.ts';
import type { ControlCycle } from '../cycle/control-cycle.ts';
import type { Scheduler, TimerHandle } from '../cycle/scheduler.ts';
import type { ForecastService } from '../forecasting/forecast-service.ts';
import { ForecastError } from '../forecasting/forecaster.ts';
import { LocalCalendar } from '../forecasting/local-calendar.ts';
import type { BatteryReading } from '../natures/index.ts';
import { freshStartForecast } from '../forecasting-fallback/fresh-start-forecast.ts';
import type { PlanInput } from '../planner/plan-input.ts';
import type { Plan } from '../planner/plan.ts';
import type { Planner } from '../planner/planner.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import type { MeasuredHistory } from './measured-history.ts';

/** Which forecaster gave the planner its inputs, and why a fallback was used. */
export interface ForecastSources {
  load: string;
  pv: string;
  /** Why seasonal naive could not be used (too little history yet), or null. */
  fallbackReason: string | null;
}

/** One forecast's P10 and P90 per planning step (W): 80 % of the steps should fall between them. */
export interface ForecastBand {
  p10W: number[];
  p90W: number[];
}

/**
 * The bands of the forecasts the last plan was made from; null for a series whose forecast had no band (the
 * fresh-start fallbacks).
 */
export interface ForecastBands {
  startMs: number;
  stepMs: number;
  load: ForecastBand | null;
  pv: ForecastBand | null;
}

export interface PlanningState {
  plan: Plan | null;
  sources: ForecastSources | null;
  bands: ForecastBands | null;
  lastAttemptAtMs: number | null;
  /** Why the last attempt made no plan (the previous plan, if any, stays in force). */
  lastError: string | null;
}

export interface PlanningLoopDeps {
  config: ControllerConfig;
  plant: PlantSpec;
  planner: Planner;
  cycle: ControlCycle;
  operatorSetpoints: OperatorSetpoints;
  history: MeasuredHistory;
  /** One forecast service per series: a saved neural model when it beats seasonal naive, else seasonal naive. */
  forecasters: { load: ForecastService; pv: ForecastService };
  scheduler: Scheduler;
  logger: Logger;
}

/**
 * Plans the next horizon (default 24 h in 15-min steps) every `planner.everyMs` from the load and PV forecasts, the
 * policy in force, the operator's schedule and the batteries' state, and hands the plan to the cycle. Forecasts come
 * from the forecast services (neural when a better model is loaded, else weekly seasonal naive) on the measured
 * history; until a week of history exists they fall back to a clear-sky PV arc for the plant's location and
 * rating and a seasonal daily load shape, both scaled by the latest measurement (the API says so). A failed plan is logged; the previous plan stays in force.
 */
export class PlanningLoop {
  private timer: TimerHandle | null = null;
  private readonly calendar: LocalCalendar;
  private readonly state: PlanningState = {
    plan: null,
    sources: null,
    bands: null,
    lastAttemptAtMs: null,
    lastError: null,
  };

  constructor(private readonly deps: PlanningLoopDeps) {
    this.calendar = new LocalCalendar(deps.config.forecasting.timeZone);
  }

  get planning(): Readonly<PlanningState> {
    return this.state;
  }

  /** Plans at `firstDelayMs` (after the first cycles have read the batteries), then every planner.everyMs. */
  start(firstDelayMs: number): void {
    const schedule = (delayMs: number): void => {
      this.timer = this.deps.scheduler.setTimeout(() => {
        this.replan();
        schedule(this.deps.config.planner.everyMs);
      }, delayMs);
    };
    schedule(firstDelayMs);
  }

  stop(): void {
    if (this.timer !== null) this.deps.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Plans now. Returns the new plan, or null when no plan could be made (the reason is in `planning.lastError`). */
  replan(): Plan | null {
    const nowMs = this.deps.scheduler.now();
    this.state.lastAttemptAtMs = nowMs;
    try {
      const input = this.planInput(nowMs);
      const plan = this.deps.planner.plan(input, nowMs);
      this.state.plan = plan;
      this.state.lastError = null;
      this.deps.cycle.setPlan(plan);
      this.deps.logger.info(
        {
          steps: plan.steps.length,
          solverStatus: plan.solverStatus,
          capShortfallWh: plan.capShortfallWh,
          sources: this.state.sources,
        },
        'new plan',
      );
      return plan;
    } catch (error) {
      this.state.lastError = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn({ err: error }, 'planning failed; the previous plan stays in force');
      return null;
    }
  }

  private planInput(nowMs: number): PlanInput {
    const { config, plant } = this.deps;
    const stepMs = config.planner.stepMs;
    const steps = config.planner.horizonMs / stepMs;
    const startMs = Math.floor(nowMs / stepMs) * stepMs;
    const image = this.deps.cycle.lastReport?.image;
    if (!image) throw new Error('no process image yet: the first cycle has not run');

    const load = this.forecast('load', startMs, steps, stepMs);
    const pv = this.forecast('pv', startMs, steps, stepMs);
    this.state.sources = { load: load.source, pv: pv.source, fallbackReason: load.fallbackReason ?? pv.fallbackReason };
    this.state.bands = { startMs, stepMs, load: load.band, pv: pv.band };

    const batterySpecs = plant.devices.filter((d) => d.kind === 'battery');
    let battery: PlanInput['battery'] = null;
    if (batterySpecs.length > 0) {
      let capacityWh = 0;
      let storedWh = 0;
      for (const spec of batterySpecs) {
        const socPct = (image.devices[spec.id]?.reading as BatteryReading | null | undefined)?.socPct;
        if (socPct === null || socPct === undefined) continue; // an unknown battery is left out of the plan
        capacityWh += spec.capacityWh;
        storedWh += (spec.capacityWh * socPct) / 100;
      }
      if (capacityWh > 0) {
        const efficiencies = config.plant.devices.flatMap((d) =>
          d.nature === 'battery' ? [d.roundTripEfficiency] : [],
        );
        battery = {
          capacityWh,
          socPct: (100 * storedWh) / capacityWh,
          maxChargeW: batterySpecs.reduce((sum, b) => sum + b.maxChargeW, 0),
          maxDischargeW: batterySpecs.reduce((sum, b) => sum + b.maxDischargeW, 0),
          roundTripEfficiency: Math.min(...efficiencies),
          reservePct: Math.max(
            this.deps.cycle.policyInForce.policy.battery_reserve_pct,
            ...batterySpecs.map((b) => b.minReservePct),
          ),
          maxSocPct: Math.min(...batterySpecs.map((b) => b.maxSocPct)),
        };
      }
    }
    const minerSpecs = plant.devices.filter((d) => d.kind === 'flexible-load');
    const flexibility = this.deps.cycle.policyInForce.policy.miner_flexibility_pct / 100;
    const miners: PlanInput['miners'] =
      minerSpecs.length === 0
        ? null
        : {
            minW: 0,
            maxW: minerSpecs.reduce((sum, m) => sum + m.maxPowerW, 0) * flexibility,
            valuePerKWh: config.planner.minerValuePerKWh,
          };

    const stepStarts = Array.from({ length: steps }, (_, i) => startMs + i * stepMs);
    return {
      startMs,
      stepMs,
      loadW: load.values.map((v) => Math.max(0, v)),
      pvW: pv.values.map((v) => Math.max(0, v)),
      battery,
      miners,
      gridTargetW: stepStarts.map((t) => this.deps.operatorSetpoints.targetAt(t)?.gridW ?? null),
      importCapW: plant.importCapW,
      exportCapW: plant.exportCapW,
      importPricePerKWh: stepStarts.map((t) => this.priceAt(config.planner.importPricePerKWh, t)),
      exportPricePerKWh: stepStarts.map((t) => this.priceAt(config.planner.exportPricePerKWh, t)),
    };
  }

  private priceAt(prices: number | readonly number[], atMs: number): number {
    return typeof prices === 'number' ? prices : (prices[this.calendar.localTime(atMs).hour] ?? 0);
  }

  private forecast(
    series: 'load' | 'pv',
    fromMs: number,
    steps: number,
    stepMs: number,
  ): { values: number[]; band: ForecastBand | null; source: string; fallbackReason: string | null } {
    try {
      const forecast = this.deps.forecasters[series].forecast(fromMs, steps, stepMs);
      return {
        values: forecast.p50,
        band: { p10W: forecast.p10, p90W: forecast.p90 },
        source: forecast.source,
        fallbackReason: null,
      };
    } catch (error) {
      if (!(error instanceof ForecastError)) throw error;
      // Too little history even for seasonal naive (a new plant): a physically shaped forecast, scaled by the
      // latest measurement (the step in progress already holds this cycle's, once the meter was read). Holding the
      // latest value for 24 h would plan midday sun through the night and miners on it.
      const latest = this.deps.history.latest();
      const fallback = freshStartForecast(
        series,
        {
          location: this.deps.config.forecasting.location,
          pvRatedW: this.deps.plant.devices.reduce((sum, d) => sum + (d.kind === 'pv-inverter' ? d.ratedPowerW : 0), 0),
          timeZone: this.deps.config.forecasting.timeZone,
        },
        latest
          ? {
              atMs: (latest.startMs + Math.min(this.deps.scheduler.now(), latest.startMs + stepMs)) / 2,
              siteLoadW: latest.siteLoadW,
              pvW: latest.pvW,
            }
          : null,
        fromMs,
        steps,
        stepMs,
      );
      return { values: fallback.values, band: null, source: fallback.source, fallbackReason: error.message };
    }
  }
}
