import type { ForecastScores } from './forecast-scores.ts';
import { ForecastError, type Forecast, type Forecaster } from './forecaster.ts';
import type { HistoryStore } from './history-store.ts';
import { HOUR_MS, HourlySeries } from './hourly-series.ts';
import type { FeatureSet } from './feature-set.ts';
import { ModelFileError, forecasterFromModelFile, loadModelFile, saveModelFile, toModelFile } from './model-file.ts';
import type { NeuralForecaster } from './neural-forecaster.ts';
import {
  defaultTrainingOptions,
  trainNeuralForecaster,
  TrainingError,
  type NeuralTrainingOptions,
} from './neural-training.ts';
import { SeasonalNaiveForecaster } from './seasonal-naive.ts';
import { RECENT_ERROR_DAYS } from './rolling-band-calibration.ts';
import { trainInWorker, type TrainingRequest } from './train-in-worker.ts';
import type { WeatherFeed, WeatherFeedStatus } from './weather/weather-feed.ts';

const DAY_MS = 86_400_000;

/**
 * Keeps one series' forecaster fresh for the planner: retrains from the history store on a schedule, saves each
 * model as a versioned file, and answers with seasonal naive whenever the neural model is missing, failed to train,
 * scored worse than seasonal naive on its latest validation window, or cannot forecast this horizon. Every answer
 * says which forecaster made it, and the reason for the last fallback is kept for the API.
 */
export interface ForecastServiceOptions {
  seriesName: string;
  store: HistoryStore;
  featureSet: FeatureSet;
  /** Where the current model file lives; it is loaded at start when present. */
  modelPath: string | null;
  /** How much history a retrain uses. */
  trainingDays: number;
  retrainEveryMs: number;
  training?: Partial<NeuralTrainingOptions>;
  /**
   * A weather forecast and the feature set that uses it (temperature for load, cloud cover for PV): a second model
   * is trained on the feed's past hours and answers whenever the feed is fresh and covers the forecast; otherwise
   * the calendar model (featureSet) answers and the status says why. `training` overrides the training options of
   * that model (the load service sets `temperatureError`: see forecast-services.ts).
   */
  weather?: { feed: WeatherFeed; featureSet: FeatureSet; training?: Partial<NeuralTrainingOptions> };
  /** Clamp at 0: true for PV; a site's net load behind a PV meter may be negative (default: PV only). */
  nonNegative?: boolean;
  now: () => number;
}

export interface ModelStatus {
  /** 'neural' means the model training chose: the net alone or a blend of it with seasonal naive (see netWeight). */
  active: 'neural' | 'seasonal-naive';
  /** The net's share in the forecasts (0 when seasonal naive answers). */
  netWeight: number;
  reason: string;
  lastTrainedAtMs: number | null;
  validation: { model: ForecastScores; seasonalNaive: ForecastScores; chosen?: ForecastScores } | null;
  /** Why the last forecast request was answered by a fallback (the calendar model, seasonal naive), if it was. */
  lastFallback: { atMs: number; reason: string } | null;
  /** The weather model, when a weather feed is configured. */
  weather: { active: boolean; reason: string; feed: WeatherFeedStatus } | null;
}

export class ForecastService {
  private neural: Forecaster | null = null;
  private netWeight = 0;
  private validation: ModelStatus['validation'] = null;
  private lastTrainedAtMs: number | null = null;
  private reason = 'no model trained yet';
  private lastFallback: ModelStatus['lastFallback'] = null;
  private readonly fallback: SeasonalNaiveForecaster;
  private weatherModel: Forecaster | null = null;
  private weatherReason = 'no weather model trained yet';

  constructor(private readonly options: ForecastServiceOptions) {
    this.fallback = SeasonalNaiveForecaster.weekly(options.featureSet.options.timeZone);
  }

  /** Loads the saved model if there is one; a bad file is reported and left alone (seasonal naive until retrain). */
  start(): void {
    const path = this.options.modelPath;
    if (!path) return;
    try {
      const file = loadModelFile(path);
      this.adopt(forecasterFromModelFile(file, path), file.scores, file.createdAtMs);
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      this.reason = error.message;
    }
  }

  /** True when the schedule says a retrain is due. */
  retrainDue(): boolean {
    return this.lastTrainedAtMs === null || this.options.now() - this.lastTrainedAtMs >= this.options.retrainEveryMs;
  }

  /**
   * The schedule: retrains when due, else does nothing. Training is synchronous CPU work (seconds for a site's
   * months of hourly history, a minute for two years of a grid): the running controller uses `retrainInWorker`.
   */
  maybeRetrain(): ModelStatus | null {
    return this.retrainDue() ? this.retrain() : null;
  }

  /** Retrains on the last `trainingDays` of history up to the last full hour; keeps the old model on failure. */
  retrain(): ModelStatus {
    const request = this.trainingRequest();
    try {
      const { forecaster, report } = trainNeuralForecaster(
        new HourlySeries(request.series),
        this.options.featureSet,
        request.window,
        request.training,
        request.nonNegative,
      );
      const model = toModelFile(forecaster, report, request.training, request.createdAtMs);
      if (this.options.modelPath) saveModelFile(this.options.modelPath, model);
      this.adopt(forecaster, report.validation, request.createdAtMs);
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      this.trainingFailed(request.createdAtMs, error.message);
    }
    const weather = this.weatherTrainingRequest();
    if (weather) {
      try {
        const { forecaster } = trainNeuralForecaster(
          new HourlySeries(weather.series),
          this.options.weather?.featureSet as FeatureSet,
          weather.window,
          weather.training,
          weather.nonNegative,
        );
        this.adoptWeather(forecaster);
      } catch (error) {
        if (!(error instanceof TrainingError)) throw error;
        this.weatherReason = `weather model: retrain failed: ${error.message}`;
      }
    }
    return this.status();
  }

  /** The same retrain in a worker thread: the control cycle keeps running while brain.js trains. */
  async retrainInWorker(): Promise<ModelStatus> {
    const request = this.trainingRequest();
    const outcome = await trainInWorker(request);
    if (!outcome.ok) {
      this.trainingFailed(request.createdAtMs, outcome.message);
      return this.status();
    }
    if (this.options.modelPath) saveModelFile(this.options.modelPath, outcome.model);
    this.adopt(forecasterFromModelFile(outcome.model), outcome.model.scores, request.createdAtMs);
    const weather = this.weatherTrainingRequest();
    if (weather) {
      const trained = await trainInWorker(weather);
      if (trained.ok) this.adoptWeather(forecasterFromModelFile(trained.model));
      else this.weatherReason = `weather model: retrain failed: ${trained.message}`;
    }
    return this.status();
  }

  /** The calendar request with the feed's weather merged in and the weather feature set; null without a feed. */
  private weatherTrainingRequest(): TrainingRequest | null {
    const weather = this.options.weather;
    if (!weather) return null;
    const request = this.trainingRequest();
    return {
      ...request,
      series: weather.feed.withWeather(new HourlySeries(request.series)).toData(),
      featureSet: { kind: weather.featureSet.kind, options: weather.featureSet.options },
      training: { ...request.training, ...weather.training },
    };
  }

  private adoptWeather(forecaster: NeuralForecaster): void {
    const { netWeight, summary } = forecaster.state.selection;
    if (netWeight > 0) {
      const chosen = forecaster.chosen();
      const name = `${forecaster.name} ${chosen.name}`;
      this.weatherModel = {
        name,
        forecast: (history, fromMs, steps, stepMs) => ({
          ...chosen.forecast(history, fromMs, steps, stepMs),
          source: name,
        }),
      };
      this.weatherReason = `${name} active when the weather feed covers the forecast: ${summary}`;
    } else {
      this.weatherModel = null;
      this.weatherReason = `weather model not used: ${summary}`;
    }
  }

  private trainingRequest(): TrainingRequest {
    const nowMs = this.options.now();
    const toMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const fromMs = toMs - this.options.trainingDays * DAY_MS;
    const featureSet = this.options.featureSet;
    return {
      // 15 days before the window: the features look back two weeks.
      series: this.options.store.read(this.options.seriesName, fromMs - 15 * DAY_MS, toMs).toData(),
      featureSet: { kind: featureSet.kind, options: featureSet.options },
      window: { fromMs, toMs },
      training: { ...defaultTrainingOptions, ...this.options.training },
      nonNegative: this.options.nonNegative ?? featureSet.kind === 'pv',
      createdAtMs: nowMs,
    };
  }

  private trainingFailed(atMs: number, message: string): void {
    this.lastTrainedAtMs = atMs; // do not retry every cycle: wait for the schedule (more data by then)
    this.reason = `retrain failed: ${message}`;
  }

  private adopt(
    forecaster: NeuralForecaster,
    validation: NonNullable<ModelStatus['validation']>,
    trainedAtMs: number,
  ): void {
    this.lastTrainedAtMs = trainedAtMs;
    this.validation = validation;
    // Training chose on its validation window (mean absolute error, not MAPE: MAPE explodes on PV's dawn hours)
    // between the net, blends with seasonal naive and seasonal naive alone; the service follows that choice.
    const { netWeight, summary } = forecaster.state.selection;
    if (netWeight > 0) {
      this.neural = forecaster.chosen();
      this.netWeight = netWeight;
      this.reason = `${this.neural.name} active: ${summary}`;
    } else {
      this.neural = null;
      this.netWeight = 0;
      this.reason = `neural model not better than seasonal naive: ${summary}`;
    }
  }

  status(): ModelStatus {
    return {
      active: this.neural ? 'neural' : 'seasonal-naive',
      netWeight: this.neural ? this.netWeight : 0,
      reason: this.reason,
      lastTrainedAtMs: this.lastTrainedAtMs,
      validation: this.validation,
      lastFallback: this.lastFallback,
      weather: this.options.weather
        ? {
            active: this.weatherModel !== null,
            reason: this.weatherReason,
            feed: this.options.weather.feed.status(),
          }
        : null,
    };
  }

  /**
   * The planner's call. History comes from the store: enough days before `fromMs` for the features (15) of every
   * recent day the chosen model re-forecasts to choose its mix and calibrate its band (RECENT_ERROR_DAYS), plus known
   * exogenous inputs.
   */
  forecast(fromMs: number, steps: number, stepMs: number): Forecast {
    const history = this.options.store.read(
      this.options.seriesName,
      fromMs - (15 + RECENT_ERROR_DAYS) * DAY_MS,
      fromMs + steps * stepMs + DAY_MS,
    );
    return this.forecastFrom(history, fromMs, steps, stepMs);
  }

  forecastFrom(
    history: Parameters<Forecaster['forecast']>[0],
    fromMs: number,
    steps: number,
    stepMs: number,
  ): Forecast {
    const weather = this.options.weather;
    if (weather && this.weatherModel) {
      // The features read yesterday's weather and the whole target day's.
      const needs = weather.featureSet.kind === 'pv' ? 'cloudCover' : 'temperature';
      const why = weather.feed.unavailable(fromMs - 2 * DAY_MS, fromMs + steps * stepMs + DAY_MS, needs);
      if (why === null) {
        try {
          return this.weatherModel.forecast(weather.feed.withWeather(history), fromMs, steps, stepMs);
        } catch (error) {
          if (!(error instanceof ForecastError)) throw error;
          this.lastFallback = { atMs: this.options.now(), reason: `weather model: ${error.message}; calendar model` };
        }
      } else {
        this.lastFallback = { atMs: this.options.now(), reason: `${why}; calendar model` };
      }
    }
    if (this.neural) {
      try {
        return this.neural.forecast(history, fromMs, steps, stepMs);
      } catch (error) {
        if (!(error instanceof ForecastError)) throw error;
        this.lastFallback = { atMs: this.options.now(), reason: error.message };
      }
    }
    return this.fallback.forecast(history, fromMs, steps, stepMs);
  }
}
