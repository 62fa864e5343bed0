import { clearSkyPvW, type PlantLocation } from './clear-sky-pv.ts';
import { seasonalLoadW } from './seasonal-load-shape.ts';

/** What the planner gets for one series when the forecasters have too little history. */
export interface FallbackForecast {
  values: number[];
  source: string;
}

/** The latest measurement the fallback is scaled by: its time and average powers. */
export interface LatestMeasurement {
  atMs: number;
  siteLoadW: number;
  pvW: number;
}

/** Below this share of the clear-sky output the sun is too low to tell how cloudy the day is. */
const DAYLIGHT_SHARE = 0.05;
/** A measured day darker than this is taken as this dark (an overcast morning may still clear). */
const MIN_CLEARNESS = 0.2;

/**
 * The forecast of a fresh plant, until the forecasters have history: PV follows the clear-sky arc of the plant's
 * location scaled to its AC rating (zero at night), dimmed by how the latest daylight measurement compares with the
 * clear sky at that moment; load follows a seasonal daily shape scaled to the latest measured load.
 */
export function freshStartForecast(
  series: 'load' | 'pv',
  options: { location: PlantLocation; pvRatedW: number; timeZone: string },
  latest: LatestMeasurement | null,
  fromMs: number,
  steps: number,
  stepMs: number,
): FallbackForecast {
  if (series === 'pv') {
    const clearSky = clearSkyPvW(options.location, options.pvRatedW, fromMs, steps, stepMs);
    let clearness = 1;
    if (latest) {
      const [clearNowW] = clearSkyPvW(options.location, options.pvRatedW, latest.atMs, 1, 60_000);
      if (clearNowW! > DAYLIGHT_SHARE * options.pvRatedW)
        clearness = Math.min(1, Math.max(MIN_CLEARNESS, latest.pvW / clearNowW!));
    }
    return {
      values: clearSky.map((w) => w * clearness),
      source: clearness < 1 ? `clear-sky-pv x ${clearness.toFixed(2)} (measured)` : 'clear-sky-pv',
    };
  }
  const load = seasonalLoadW(
    options.timeZone,
    latest ? { atMs: latest.atMs, loadW: latest.siteLoadW } : null,
    fromMs,
    steps,
    stepMs,
  );
  return load
    ? { values: load, source: 'seasonal-load-shape (scaled to the latest measurement)' }
    : { values: new Array<number>(steps).fill(0), source: 'nothing measured yet' };
}
