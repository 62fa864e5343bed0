import { readFile } from 'node:fs/promises';
import { HOUR_MS, WeatherProviderError, type WeatherHour, type WeatherProvider } from './weather-provider.ts';

/**
 * A weather forecast written to a CSV file by something else (a national service's feed, a cron job):
 *   time,temperature_c,cloud_cover_pct,irradiance_wm2
 *   2024-06-01T00:00:00Z,14.2,80,0
 * `time` is the start of the hour in ISO 8601 with an offset (or Z); the other columns may be missing or empty.
 * The file is read again on every fetch, so whoever writes it only has to replace it (write and rename).
 */
export class CsvWeatherProvider implements WeatherProvider {
  readonly name: string;

  constructor(private readonly path: string) {
    this.name = `csv ${path}`;
  }

  async fetchHours(fromMs: number, toMs: number): Promise<WeatherHour[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (cause) {
      throw new WeatherProviderError(this.name, `cannot read: ${(cause as Error).message}`, { cause });
    }
    return parseWeatherCsv(text, this.name).filter((h) => h.hourStartMs >= fromMs && h.hourStartMs < toMs);
  }
}

export function parseWeatherCsv(text: string, provider = 'csv'): WeatherHour[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const at = (name: string) => header.indexOf(name);
  const [ti, tc, cc, ir] = [at('time'), at('temperature_c'), at('cloud_cover_pct'), at('irradiance_wm2')];
  if (ti < 0) throw new WeatherProviderError(provider, `line 1: no "time" column (columns: ${header.join(', ')})`);
  return lines.slice(1).map((line, n) => {
    const cells = line.split(',').map((c) => c.trim());
    const where = `line ${n + 2}`;
    const timeText = cells[ti] ?? '';
    const ms = /(Z|[+-]\d\d:?\d\d)$/.test(timeText) ? Date.parse(timeText) : Number.NaN;
    if (!Number.isFinite(ms) || ms % HOUR_MS !== 0)
      throw new WeatherProviderError(provider, `${where}: "${timeText}" is not a whole hour with an offset`);
    const number = (index: number, name: string): number | null => {
      const cell = index < 0 ? '' : (cells[index] ?? '');
      if (cell === '') return null;
      const value = Number(cell);
      if (!Number.isFinite(value))
        throw new WeatherProviderError(provider, `${where}: ${name} "${cell}" is not a number`);
      return value;
    };
    return {
      hourStartMs: ms,
      temperatureC: number(tc, 'temperature_c'),
      cloudCoverPct: number(cc, 'cloud_cover_pct'),
      irradianceWm2: number(ir, 'irradiance_wm2'),
    };
  });
}
