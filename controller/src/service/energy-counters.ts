import type { NatureKind } from '../natures/index.ts';

/** A lifetime energy counter: the name its nature's reading gives it, and what it counts (the metrics' label). */
export interface CounterPoint {
  point: string;
  counts: 'produced' | 'charged' | 'discharged' | 'consumed' | 'imported' | 'exported';
}

/** The lifetime energy counters each nature reports (controller/src/natures): the history and the metrics read these. */
export const COUNTER_POINTS: Readonly<Record<NatureKind, readonly CounterPoint[]>> = {
  'pv-inverter': [{ point: 'energyWh', counts: 'produced' }],
  battery: [
    { point: 'energyInWh', counts: 'charged' },
    { point: 'energyOutWh', counts: 'discharged' },
  ],
  meter: [
    { point: 'energyImportedWh', counts: 'imported' },
    { point: 'energyExportedWh', counts: 'exported' },
  ],
  'flexible-load': [{ point: 'energyWh', counts: 'consumed' }],
};

/** Each counter of a reading with its value as the device reported it (null: not reported). */
export function countersOf(kind: NatureKind, reading: object): Array<CounterPoint & { valueWh: number | null }> {
  const values = reading as Record<string, number | null | undefined>;
  return COUNTER_POINTS[kind].map((counter) => ({ ...counter, valueWh: values[counter.point] ?? null }));
}

const MINUTE_MS = 60_000;

/** The energy one counter counted over a span, from its value at the end of each stored minute. */
export interface CounterEnergy {
  /** where counting starts: the end of the first stored minute (the span's start when the minute before it is stored) */
  sinceMs: number;
  /** the rise of the counter since then; a counter that went backwards (a device restarted) counts on from its new value */
  risenWh: number;
  /** the counter's last stored value, so a live reader can count on from it without a gap */
  lastWh: number;
  /** the end of the minute that value closed */
  lastAtMs: number;
}

/**
 * A counter's energy from its minute values in time order (`[minute start ms, value Wh]`), the first of which may be
 * the minute just before the span (its closing value is the counter at the span's start). Lifetime counters make a
 * gap harmless: what a device counted while the controller was down is in the next value. A decrease is never
 * negative energy: it starts a new base, as a restarted device's counter does.
 */
export function counterEnergy(minutes: ReadonlyArray<readonly [number, number]>): CounterEnergy | null {
  const first = minutes[0];
  if (!first) return null;
  let risenWh = 0;
  let previous = first[1];
  for (const [, value] of minutes.slice(1)) {
    if (value >= previous) risenWh += value - previous;
    previous = value;
  }
  const last = minutes[minutes.length - 1]!;
  return { sinceMs: first[0] + MINUTE_MS, risenWh, lastWh: last[1], lastAtMs: last[0] + MINUTE_MS };
}

/** A device's counters over a span, as GET /api/energy answers them. */
export interface DeviceEnergy {
  deviceId: string;
  kind: NatureKind;
  counters: Record<string, CounterEnergy>;
}
