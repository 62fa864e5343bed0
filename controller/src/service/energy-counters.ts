import type { NatureKind } from '../natures/index.ts';

/** The lifetime energy counters each nature reports, by the names of its reading (controller/src/natures). */
export const COUNTER_POINTS: Readonly<Record<NatureKind, readonly string[]>> = {
  'pv-inverter': ['energyWh'],
  battery: ['energyInWh', 'energyOutWh'],
  meter: ['energyImportedWh', 'energyExportedWh'],
  'flexible-load': ['energyWh'],
};

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
