import { sunElevationSine } from './solar-position.ts';

/** Where the plant is: what shapes its sunny day. */
export interface PlantLocation {
  latitudeDeg: number;
  longitudeDeg: number;
}

/** Global horizontal irradiance of a clear sky (W/m2), Haurwitz's model: 1098 cos z exp(-0.057 / cos z). */
function clearSkyIrradiance(cosZenith: number): number {
  return cosZenith <= 0 ? 0 : 1098 * cosZenith * Math.exp(-0.057 / cosZenith);
}

/** Standard test conditions: a panel's rating is its output at 1,000 W/m2. */
const STC_IRRADIANCE = 1_000;
/** Losses between panel rating and AC output on a good day (temperature, wiring, inverter, soiling). */
const PERFORMANCE_RATIO = 0.85;
/** Samples per step: enough for the average of a smooth curve over 15 minutes to an hour. */
const SAMPLES_PER_STEP = 6;

/**
 * PV output of a plant under a clear sky, averaged over each step: zero at night, the sun's daily arc by day, at
 * most the plant's AC rating. It is the physical shape a forecast without history falls back to; how cloudy the day
 * is comes from the measurement it is scaled by (see freshStartForecast).
 */
export function clearSkyPvW(
  location: PlantLocation,
  ratedW: number,
  fromMs: number,
  steps: number,
  stepMs: number,
): number[] {
  return Array.from({ length: steps }, (_, step) => {
    let sumW = 0;
    for (let k = 0; k < SAMPLES_PER_STEP; k++) {
      const atMs = fromMs + step * stepMs + ((k + 0.5) * stepMs) / SAMPLES_PER_STEP;
      const irradiance = clearSkyIrradiance(sunElevationSine(atMs, location.latitudeDeg, location.longitudeDeg));
      sumW += Math.min(ratedW, (ratedW * PERFORMANCE_RATIO * irradiance) / STC_IRRADIANCE);
    }
    return sumW / SAMPLES_PER_STEP;
  });
}
