import { HOUR_MS, WeatherProviderError, type WeatherHour, type WeatherProvider } from './weather-provider.ts';

/**
 * Open-Meteo's forecast API (https://open-meteo.com/en/docs): GET /v1/forecast with latitude, longitude,
 * `hourly=temperature_2m,cloud_cover,shortwave_radiation`, `timezone=GMT`, `start_date`/`end_date`, answering
 *   { utc_offset_seconds, hourly_units: {...}, hourly: { time: ["2024-06-01T00:00", ...], temperature_2m: [...],
 *     cloud_cover: [...], shortwave_radiation: [...] } }
 * with null where a value is missing, or { error: true, reason } with HTTP 400. As documented there,
 * temperature_2m and cloud_cover are instantaneous at the time given, shortwave_radiation is the mean of the hour
 * before it: the hour starting at t takes temperature and cloud cover at t and the radiation labelled t + 1 h.
 * Past days of the same endpoint (start_date in the past, up to three months back) give the history to train on.
 */
export interface OpenMeteoOptions {
  latitudeDeg: number;
  longitudeDeg: number;
  /** Default https://api.open-meteo.com/v1/forecast; tests point it at a local server. */
  baseUrl?: string;
  timeoutMs?: number;
}

export class OpenMeteoProvider implements WeatherProvider {
  readonly name: string;
  private readonly baseUrl: string;

  constructor(private readonly options: OpenMeteoOptions) {
    this.name = `open-meteo ${options.latitudeDeg},${options.longitudeDeg}`;
    this.baseUrl = options.baseUrl ?? 'https://api.open-meteo.com/v1/forecast';
  }

  url(fromMs: number, toMs: number): string {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const params = new URLSearchParams({
      latitude: String(this.options.latitudeDeg),
      longitude: String(this.options.longitudeDeg),
      hourly: 'temperature_2m,cloud_cover,shortwave_radiation',
      timezone: 'GMT',
      start_date: day(fromMs),
      // One hour more than asked: the radiation of the last hour is labelled with the hour after it.
      end_date: day(toMs),
    });
    return `${this.baseUrl}?${params.toString()}`;
  }

  async fetchHours(fromMs: number, toMs: number): Promise<WeatherHour[]> {
    let response: Response;
    try {
      response = await fetch(this.url(fromMs, toMs), { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    } catch (cause) {
      throw new WeatherProviderError(this.name, `cannot reach the API: ${(cause as Error).message}`, { cause });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new WeatherProviderError(this.name, `HTTP ${response.status}: the answer is not JSON`, { cause });
    }
    if (!response.ok) {
      const reason = (body as { reason?: unknown } | null)?.reason;
      throw new WeatherProviderError(
        this.name,
        `HTTP ${response.status}: ${typeof reason === 'string' ? reason : 'error'}`,
      );
    }
    return parseOpenMeteoHourly(body, this.name).filter((h) => h.hourStartMs >= fromMs && h.hourStartMs < toMs);
  }
}

/** Parses an Open-Meteo forecast answer (see OpenMeteoProvider); refuses anything not in that shape. */
export function parseOpenMeteoHourly(body: unknown, provider = 'open-meteo'): WeatherHour[] {
  const fail = (message: string): never => {
    throw new WeatherProviderError(provider, message);
  };
  if (typeof body !== 'object' || body === null) return fail('the answer is not a JSON object');
  const { hourly, utc_offset_seconds: offsetS } = body as { hourly?: unknown; utc_offset_seconds?: unknown };
  if (typeof hourly !== 'object' || hourly === null) return fail('the answer has no "hourly" object');
  const columns = hourly as Record<string, unknown>;
  const times = columns.time;
  if (!Array.isArray(times)) return fail('hourly.time is not a list');
  const column = (name: string): (number | null)[] => {
    const values = columns[name];
    if (values === undefined) return times.map(() => null);
    if (!Array.isArray(values) || values.length !== times.length)
      return fail(`hourly.${name} is not a list as long as hourly.time`);
    return values.map((v, i) => {
      if (v === null) return null;
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`hourly.${name}[${i}] is not a number`);
      return v;
    });
  };
  const offsetMs = (typeof offsetS === 'number' ? offsetS : 0) * 1000;
  const instants = times.map((t, i) => {
    const ms = typeof t === 'number' ? t * 1000 : typeof t === 'string' ? Date.parse(`${t}Z`) - offsetMs : Number.NaN;
    if (!Number.isFinite(ms) || ms % HOUR_MS !== 0) return fail(`hourly.time[${i}] "${String(t)}" is not a whole hour`);
    return ms;
  });
  const temperature = column('temperature_2m');
  const cloud = column('cloud_cover');
  const radiation = column('shortwave_radiation');
  const radiationEndingAt = new Map(instants.map((ms, i) => [ms, radiation[i] ?? null]));
  return instants.map((ms, i) => ({
    hourStartMs: ms,
    temperatureC: temperature[i] ?? null,
    cloudCoverPct: cloud[i] ?? null,
    irradianceWm2: radiationEndingAt.get(ms + HOUR_MS) ?? null,
  }));
}
