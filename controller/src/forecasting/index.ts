/** The forecasting API the planner, the controller's operator API and its metrics use. */
export { ForecastError, type Forecast, type Forecaster } from './forecaster.ts';
export { ForecastService, type ForecastServiceOptions, type ModelStatus } from './forecast-service.ts';
export { ForecastTracker, ForecastTrackerError, type ForecastVsActualPoint } from './forecast-tracker.ts';
export type { ForecastScores } from './forecast-scores.ts';
export { HistoryError, InMemoryHistoryStore, type HistoryPoint, type HistoryStore } from './history-store.ts';
export { SqliteHistoryStore } from './sqlite-history-store.ts';
export { HOUR_MS, HourlySeries, SeriesError, type HourlySeriesData } from './hourly-series.ts';
export { LoadFeatures } from './load-features.ts';
export { PvFeatures } from './pv-features.ts';
export { SeasonalNaiveForecaster } from './seasonal-naive.ts';
export { NeuralForecaster } from './neural-forecaster.ts';
export {
  trainNeuralForecaster,
  TrainingError,
  defaultTrainingOptions,
  type NeuralTrainingOptions,
} from './neural-training.ts';
export {
  loadModelFile,
  saveModelFile,
  forecasterFromModelFile,
  ModelFileError,
  MODEL_SCHEMA_VERSION,
  type ModelFile,
} from './model-file.ts';
