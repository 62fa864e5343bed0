/**
 * The registry's flexibility rule (contracts-cosmwasm/contracts/registry/src/flexibility.rs), computed on the
 * controller's side so that every claim it sends is one the registry recomputes to the same numbers: the baseline of
 * a request is the median energy_in of the node's own records of the BASELINE_INTERVALS intervals just before the
 * request started (lower middle value for a request down, upper for a request up), and the flexibility delivered in
 * an interval is how far the node's energy_in moved from that baseline in the requested direction (never below 0).
 */

export type FlexDirection = 'down' | 'up';

/** The flexibility a flexible load delivered in one interval on the controller's request, as the registry takes it. */
export interface FlexibilityClaim {
  direction: FlexDirection;
  /** Start of the request (aligned, at or before the interval, less than MAX_REQUEST_SPAN_S before it). */
  requestStartS: number;
  baselineWh: number;
  deliveredWh: number;
}

/** How many intervals before a request make its baseline (the registry's BASELINE_INTERVALS). */
export const BASELINE_INTERVALS = 8;
/** A request lasts less than a day (the registry's MAX_REQUEST_SPAN_S). */
export const MAX_REQUEST_SPAN_S = 86_400;

/** The median of the baseline window's energies, as the registry picks it for `direction`. */
export function baselineWh(energiesInWh: readonly number[], direction: FlexDirection): number {
  if (energiesInWh.length === 0) throw new RangeError('a baseline needs at least one interval');
  const sorted = [...energiesInWh].sort((a, b) => a - b);
  return sorted[direction === 'down' ? (sorted.length - 1) >> 1 : sorted.length >> 1]!;
}

/** down: baseline - energy_in; up: energy_in - baseline; never below 0. */
export function deliveredWh(direction: FlexDirection, baseline: number, energyInWh: number): number {
  return Math.max(0, direction === 'down' ? baseline - energyInWh : energyInWh - baseline);
}

/** A claim in the registry's message shape (snake_case), for the record it rides with. */
export function toRegistryClaim(claim: FlexibilityClaim): {
  direction: FlexDirection;
  request_start: number;
  baseline_wh: number;
  delivered_wh: number;
} {
  return {
    direction: claim.direction,
    request_start: claim.requestStartS,
    baseline_wh: claim.baselineWh,
    delivered_wh: claim.deliveredWh,
  };
}
