/**
 * The controllers, in their fixed priority order. A controller earlier in this list always wins over a later one:
 * a later controller can only narrow the ranges an earlier one allowed (see RangeBook.narrow).
 */
export const controllerPriority = [
  'safety',
  'grid-limits',
  'operator-setpoint',
  'allocation-policy',
  'plan-following',
] as const;

export type ControllerName = (typeof controllerPriority)[number];

/** Who set a bound: a controller, or nobody yet. */
export type BoundSource = ControllerName | 'unbounded';

/**
 * The power a device may be commanded to, generation positive (W at its terminals): a PV inverter's power cap,
 * a battery's discharge (+) / charge (-), a miner's consumption as a negative number. For the connection point it is
 * the grid power, import positive. Each bound remembers which controller set it and why.
 */
export interface AllowedRange {
  minW: number;
  maxW: number;
  minBoundBy: BoundSource;
  maxBoundBy: BoundSource;
  minReason: string;
  maxReason: string;
}

export const unboundedRange: AllowedRange = Object.freeze({
  minW: Number.NEGATIVE_INFINITY,
  maxW: Number.POSITIVE_INFINITY,
  minBoundBy: 'unbounded',
  maxBoundBy: 'unbounded',
  minReason: '',
  maxReason: '',
});

/** What a controller asks for: either side may be left open. */
export interface RangeRequest {
  minW?: number;
  maxW?: number;
}

/**
 * Intersects `current` with the request. A bound moves only if the request is strictly tighter, so the bound keeps
 * the name of the controller that really set it. If the request lies wholly outside `current`, the earlier
 * controller wins: the range collapses onto its nearest edge, and both controllers are named on that point.
 */
export function narrowRange(
  current: AllowedRange,
  request: RangeRequest,
  by: ControllerName,
  reason: string,
): AllowedRange {
  const requestedMin = request.minW ?? Number.NEGATIVE_INFINITY;
  const requestedMax = request.maxW ?? Number.POSITIVE_INFINITY;
  if (Number.isNaN(requestedMin) || Number.isNaN(requestedMax) || requestedMin > requestedMax) {
    throw new RangeError(`${by} asked for an empty range [${requestedMin}, ${requestedMax}] (${reason})`);
  }
  if (requestedMin > current.maxW) {
    return { ...current, minW: current.maxW, minBoundBy: by, minReason: reason };
  }
  if (requestedMax < current.minW) {
    return { ...current, maxW: current.minW, maxBoundBy: by, maxReason: reason };
  }
  const next = { ...current };
  if (requestedMin > current.minW) Object.assign(next, { minW: requestedMin, minBoundBy: by, minReason: reason });
  if (requestedMax < current.maxW) Object.assign(next, { maxW: requestedMax, maxBoundBy: by, maxReason: reason });
  return next;
}

/** The point of a range nearest to `valueW`. */
export function clampToRange(range: Pick<AllowedRange, 'minW' | 'maxW'>, valueW: number): number {
  return Math.min(range.maxW, Math.max(range.minW, valueW));
}
