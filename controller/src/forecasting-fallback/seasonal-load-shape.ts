import { LocalCalendar } from '../forecasting/local-calendar.ts';

/**
 * A site's consumption by local hour relative to its daily mean: low at night, a morning rise, a midday plateau and
 * an evening peak (the typical shape of mixed residential and small commercial demand, as in the Victorian demand
 * the demo plays). It only has to be better than a flat line until the site's own history exists.
 */
const HOURLY_SHAPE = [
  0.78, 0.72, 0.69, 0.67, 0.68, 0.74, 0.88, 1.02, 1.08, 1.08, 1.07, 1.06, 1.05, 1.04, 1.04, 1.06, 1.12, 1.24, 1.32, 1.3,
  1.2, 1.08, 0.96, 0.86,
];
/** Heating and cooling: the same site draws more in the middle of winter and of summer than in spring and autumn. */
const SEASON_AMPLITUDE = 0.08;

function shapeAt(calendar: LocalCalendar, atMs: number): number {
  const local = calendar.localTime(atMs);
  const hour = local.minuteOfDay / 60;
  const lower = HOURLY_SHAPE[Math.floor(hour) % 24]!;
  const upper = HOURLY_SHAPE[(Math.floor(hour) + 1) % 24]!;
  const daily = lower + (upper - lower) * (hour - Math.floor(hour));
  // Peaks in mid-January and mid-July, lowest in spring and autumn (twice a year: both hemispheres alike).
  const season = 1 + SEASON_AMPLITUDE * Math.cos((4 * Math.PI * (local.dayOfYear - 15)) / 365.25);
  return daily * season;
}

/**
 * Site load for each step: the shape above, scaled so that at `measured.atMs` it equals the measured load there.
 * Without a measurement (nothing read yet) there is nothing to scale by: null.
 */
export function seasonalLoadW(
  timeZone: string,
  measured: { atMs: number; loadW: number } | null,
  fromMs: number,
  steps: number,
  stepMs: number,
): number[] | null {
  if (!measured) return null;
  const calendar = new LocalCalendar(timeZone);
  const scale = Math.max(0, measured.loadW) / shapeAt(calendar, measured.atMs);
  return Array.from({ length: steps }, (_, i) => scale * shapeAt(calendar, fromMs + (i + 0.5) * stepMs));
}
