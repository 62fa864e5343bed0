import { HourlySeries } from '../hourly-series.ts';
import { HOUR_MS, WeatherProviderError, type WeatherHour, type WeatherProvider } from './weather-provider.ts';

const DAY_MS = 86_400_000;

export interface WeatherFeedOptions {
  provider: WeatherProvider;
  now: () => number;
  /** History fetched at the first refresh, to train weather models on (Open-Meteo serves up to 92 days back). */
  pastDays?: number;
  /** How far ahead each refresh asks. */
  aheadDays?: number;
  /** A forecast older than this is not used: the calendar model answers instead. */
  maxAgeMs?: number;
}

export interface WeatherFeedStatus {
  provider: string;
  lastOkAtMs: number | null;
  lastError: string | null;
  hours: number;
}

/**
 * The weather the forecasters may use: what a provider last answered, kept by hour (newer answers replace older
 * ones, so past hours end up as the provider's latest analysis and future hours as its latest forecast). A failed
 * refresh keeps what was there; `unavailable` says when the feed is too old or does not cover a forecast's hours,
 * and the forecast service then answers with its calendar model and says why.
 */
export class WeatherFeed {
  private readonly hours = new Map<number, WeatherHour>();
  private lastOkAtMs: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: WeatherFeedOptions) {}

  get name(): string {
    return this.options.provider.name;
  }

  /** Fetches from the provider; true when it answered. Never throws for a provider that is down. */
  async refresh(): Promise<boolean> {
    const nowMs = this.options.now();
    const hourMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const back = this.lastOkAtMs === null ? (this.options.pastDays ?? 92) : 2;
    try {
      const answer = await this.options.provider.fetchHours(
        hourMs - back * DAY_MS,
        hourMs + (this.options.aheadDays ?? 3) * DAY_MS,
      );
      for (const hour of answer) this.hours.set(hour.hourStartMs, hour);
      this.lastOkAtMs = nowMs;
      this.lastError = null;
      return true;
    } catch (error) {
      if (!(error instanceof WeatherProviderError)) throw error;
      this.lastError = error.message;
      return false;
    }
  }

  /** Why the weather cannot be used for [fromMs, toMs), or null when it can. */
  unavailable(fromMs: number, toMs: number, needs: 'temperature' | 'cloudCover'): string | null {
    const nowMs = this.options.now();
    if (this.lastOkAtMs === null)
      return `no weather from ${this.name} yet${this.lastError ? ` (${this.lastError})` : ''}`;
    const ageMs = nowMs - this.lastOkAtMs;
    if (ageMs > (this.options.maxAgeMs ?? 6 * HOUR_MS))
      return `weather from ${this.name} is ${(ageMs / HOUR_MS).toFixed(1)} h old${this.lastError ? ` (${this.lastError})` : ''}`;
    for (let t = Math.floor(fromMs / HOUR_MS) * HOUR_MS; t < toMs; t += HOUR_MS) {
      const value = needs === 'temperature' ? this.hours.get(t)?.temperatureC : this.hours.get(t)?.cloudCoverPct;
      if (value === null || value === undefined)
        return `${this.name} has no ${needs === 'temperature' ? 'temperature' : 'cloud cover'} for ${new Date(t).toISOString()}`;
    }
    return null;
  }

  /** The series with its temperature and cloud cover taken from the feed (unknown hours NaN). */
  withWeather(series: HourlySeries): HourlySeries {
    const data = series.toData();
    const length = data.values.length;
    const step = series.stepMs;
    const temperatureC = new Array<number>(length);
    const cloudCoverPct = new Array<number>(length);
    for (let i = 0; i < length; i++) {
      const hour = this.hours.get(Math.floor((series.startMs + i * step) / HOUR_MS) * HOUR_MS);
      temperatureC[i] = hour?.temperatureC ?? Number.NaN;
      cloudCoverPct[i] = hour?.cloudCoverPct ?? Number.NaN;
    }
    return new HourlySeries({ ...data, temperatureC, cloudCoverPct });
  }

  status(): WeatherFeedStatus {
    return { provider: this.name, lastOkAtMs: this.lastOkAtMs, lastError: this.lastError, hours: this.hours.size };
  }
}
