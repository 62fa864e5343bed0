/**
 * Where the controller gets tomorrow's weather: a provider answers with hourly values for a window, each for the hour
 * that starts at `hourStartMs` (UTC). A value the source does not carry is null (a CSV without irradiance, a model
 * run that ends early). Providers only translate a source's format; the WeatherFeed keeps what they answered and
 * decides whether it is fresh enough to forecast with.
 */
export interface WeatherHour {
  hourStartMs: number;
  temperatureC: number | null;
  /** Total cloud cover, 0-100 %. */
  cloudCoverPct: number | null;
  /** Global horizontal irradiance, mean over the hour, W/m². */
  irradianceWm2: number | null;
}

export interface WeatherProvider {
  /** For logs and the API ("open-meteo 52.52,13.41", "csv weather.csv"). */
  readonly name: string;
  /** Hours of [fromMs, toMs); rejects with a WeatherProviderError when the source cannot answer. */
  fetchHours(fromMs: number, toMs: number): Promise<WeatherHour[]>;
}

export class WeatherProviderError extends Error {
  override readonly name = 'WeatherProviderError';
  constructor(
    readonly provider: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${provider}: ${message}`, options);
  }
}

export const HOUR_MS = 3_600_000;
