import type { Measured } from '../../natures/measured.ts';

/**
 * A decoded value as a measurement: strings, sentinels (already null) and values outside what the quantity can
 * physically be all become null. Devices under fault answer 0x7FFF watts or 6553.5 % state of charge; those must
 * never reach a controller as numbers.
 */
export function measured(value: number | string | null | undefined, min: number, max: number): Measured {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return value >= min && value <= max ? value : null;
}

/** Physical bounds for the quantities the natures carry. */
export const RANGE = {
  pct: [0, 100],
  frequencyHz: [40, 70],
  /** Phase or line voltage of a low- or medium-voltage connection. */
  voltageV: [0, 50_000],
  /** Any single device or connection point this project drives. */
  powerW: [-100e6, 100e6],
  ratingW: [1, 100e6],
  capacityWh: [1, 1e9],
  /** Lifetime counters. */
  energyWh: [0, 1e15],
} as const satisfies Record<string, readonly [number, number]>;

/**
 * Power measured against a rating: an inverter can briefly exceed its rating a little, never by half.
 * Without a rating the wide power bounds apply.
 */
export function measuredPower(value: number | string | null | undefined, ratingW: Measured): Measured {
  if (ratingW === null) return measured(value, RANGE.powerW[0], RANGE.powerW[1]);
  return measured(value, -1.5 * ratingW, 1.5 * ratingW);
}
