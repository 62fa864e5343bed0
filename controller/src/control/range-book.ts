import {
  narrowRange,
  unboundedRange,
  type AllowedRange,
  type ControllerName,
  type RangeRequest,
} from './allowed-range.ts';

/** One step in the story of a range: who asked for what, and what the range became. */
export interface Narrowing {
  controller: ControllerName;
  requested: RangeRequest;
  reason: string;
  result: { minW: number; maxW: number };
}

/** The connection point's key in the book. Device ids cannot clash with it (they never start with '@'). */
export const connectionPointKey = '@grid';

/**
 * The allowed ranges of one cycle: one per controllable device plus the connection point. Controllers can only call
 * `narrow`, never set, so a later controller cannot widen what an earlier one allowed. Every call is kept in a
 * trail, which the API shows as "why is this setpoint what it is".
 */
export class RangeBook {
  private readonly ranges = new Map<string, AllowedRange>();
  private readonly trails = new Map<string, Narrowing[]>();

  constructor(deviceIds: readonly string[]) {
    for (const id of [...deviceIds, connectionPointKey]) {
      this.ranges.set(id, unboundedRange);
      this.trails.set(id, []);
    }
  }

  has(deviceId: string): boolean {
    return this.ranges.has(deviceId);
  }

  range(deviceId: string): AllowedRange {
    const range = this.ranges.get(deviceId);
    if (!range) throw new RangeError(`no allowed range for device ${deviceId}: it is not controllable this cycle`);
    return range;
  }

  /** The connection point's range: grid power, import positive. */
  gridRange(): AllowedRange {
    return this.range(connectionPointKey);
  }

  narrow(deviceId: string, request: RangeRequest, by: ControllerName, reason: string): AllowedRange {
    const next = narrowRange(this.range(deviceId), request, by, reason);
    this.ranges.set(deviceId, next);
    this.trails
      .get(deviceId)
      ?.push({ controller: by, requested: { ...request }, reason, result: { minW: next.minW, maxW: next.maxW } });
    return next;
  }

  narrowGrid(request: RangeRequest, by: ControllerName, reason: string): AllowedRange {
    return this.narrow(connectionPointKey, request, by, reason);
  }

  trail(deviceId: string): readonly Narrowing[] {
    return this.trails.get(deviceId) ?? [];
  }

  /** Every range and trail as plain data (for the process report and the API). */
  toJSON(): Record<string, { range: AllowedRange; trail: Narrowing[] }> {
    const out: Record<string, { range: AllowedRange; trail: Narrowing[] }> = {};
    for (const [id, range] of this.ranges) out[id] = { range: { ...range }, trail: [...(this.trails.get(id) ?? [])] };
    return out;
  }
}
