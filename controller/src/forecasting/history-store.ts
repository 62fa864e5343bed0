import { HOUR_MS, HourlySeries } from './hourly-series.ts';

/**
 * Where the controller keeps what it measured, hour by hour, per named series ("site-load", "pv"): the controller
 * fills it from its process images; the forecast service reads windows of it to train and to forecast.
 */
export interface HistoryPoint {
  /** Start of the hour, UTC epoch ms. */
  hourStartMs: number;
  value: number;
  temperatureC?: number | null;
  holiday?: boolean;
}

export interface HistoryStore {
  /** Adds or replaces hours of `seriesName`; a later write for the same hour wins. */
  append(seriesName: string, points: readonly HistoryPoint[]): void;
  /** The hours in [fromMs, toMs) as a series; hours never written are unknown (NaN). */
  read(seriesName: string, fromMs: number, toMs: number): HourlySeries;
  /** The latest hour written, or null. */
  lastHourMs(seriesName: string): number | null;
}

export class HistoryError extends Error {
  override readonly name = 'HistoryError';
}

/** Refuses points that would corrupt a training set, naming the series and the hour; nothing is written then. */
export function validatePoints(seriesName: string, points: readonly HistoryPoint[]): void {
  for (const p of points) {
    const where = `series "${seriesName}" at ${Number.isFinite(p.hourStartMs) ? new Date(p.hourStartMs).toISOString() : String(p.hourStartMs)}`;
    if (!Number.isFinite(p.hourStartMs) || p.hourStartMs % HOUR_MS !== 0)
      throw new HistoryError(`${where}: hourStartMs must be a whole UTC hour`);
    if (!Number.isFinite(p.value))
      throw new HistoryError(`${where}: value ${p.value} is not a finite number (leave unknown hours out)`);
    if (p.temperatureC !== undefined && p.temperatureC !== null && !Number.isFinite(p.temperatureC)) {
      throw new HistoryError(`${where}: temperatureC ${p.temperatureC} is not finite`);
    }
  }
}

/** Builds a series over [fromMs, toMs) from points (any order; unknown hours NaN). */
export function seriesFromPoints(points: readonly HistoryPoint[], fromMs: number, toMs: number): HourlySeries {
  const startMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const length = Math.max(0, Math.ceil((toMs - startMs) / HOUR_MS));
  const values = new Array<number>(length).fill(Number.NaN);
  const temperatures = new Array<number>(length).fill(Number.NaN);
  const holidays = new Array<boolean>(length).fill(false);
  let anyTemperature = false;
  let anyHoliday = false;
  for (const p of points) {
    const i = (p.hourStartMs - startMs) / HOUR_MS;
    if (i < 0 || i >= length) continue;
    values[i] = p.value;
    if (p.temperatureC !== undefined && p.temperatureC !== null) {
      temperatures[i] = p.temperatureC;
      anyTemperature = true;
    }
    if (p.holiday !== undefined) {
      holidays[i] = p.holiday;
      anyHoliday = true;
    }
  }
  return new HourlySeries({
    startMs,
    values,
    temperatureC: anyTemperature ? temperatures : null,
    holiday: anyHoliday ? holidays : null,
  });
}

export class InMemoryHistoryStore implements HistoryStore {
  private readonly series = new Map<string, Map<number, HistoryPoint>>();

  append(seriesName: string, points: readonly HistoryPoint[]): void {
    validatePoints(seriesName, points);
    const hours = this.series.get(seriesName) ?? new Map<number, HistoryPoint>();
    for (const p of points) hours.set(p.hourStartMs, { ...p });
    this.series.set(seriesName, hours);
  }

  read(seriesName: string, fromMs: number, toMs: number): HourlySeries {
    const hours = this.series.get(seriesName);
    const points = hours ? [...hours.values()].filter((p) => p.hourStartMs >= fromMs && p.hourStartMs < toMs) : [];
    return seriesFromPoints(points, fromMs, toMs);
  }

  lastHourMs(seriesName: string): number | null {
    const hours = this.series.get(seriesName);
    return hours && hours.size ? Math.max(...hours.keys()) : null;
  }
}
