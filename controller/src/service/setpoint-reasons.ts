import type { AllowedRange, BoundSource } from '../control/allowed-range.ts';
import { connectionPointKey, type Narrowing } from '../control/range-book.ts';
import type { DeviceCommand } from '../control/device-commands.ts';
import type { OperatorTarget } from '../control/operator-setpoints.ts';
import type { CycleReport, WriteOutcome } from '../cycle/control-cycle.ts';

/** Who decided a value: the controller whose bound it sits on, or the dispatcher when it lies inside its range. */
export type DecidedBy = Exclude<BoundSource, 'unbounded'> | 'dispatcher';

/** A range for JSON: an open side is null (JSON has no Infinity). */
export interface RangeView {
  minW: number | null;
  maxW: number | null;
}

export interface SetpointReason {
  deviceId: string;
  /** The power dispatched, generation positive (PV cap, battery discharge +, miner consumption as a negative number). */
  powerW: number;
  /** What was sent to the device, in its nature's terms. */
  command: DeviceCommand | null;
  write: WriteOutcome['result'] | null;
  range: RangeView;
  decidedBy: DecidedBy;
  reason: string;
  /** Every controller's request on this device this cycle, in priority order. */
  trail: readonly Narrowing[];
}

export interface SetpointsReport {
  cycleIndex: number;
  atMs: number;
  plantState: CycleReport['plantState'];
  grid: {
    targetW: number;
    decidedBy: DecidedBy;
    reason: string;
    range: RangeView;
    operatorTarget: OperatorTarget | null;
  } | null;
  devices: SetpointReason[];
}

/** Values within this of a bound sit on it (setpoints are rounded to whole watts or 0.1 %). */
const ON_BOUND_W = 1;

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

function whoDecided(range: AllowedRange, valueW: number, freeReason: string): { decidedBy: DecidedBy; reason: string } {
  if (range.maxBoundBy !== 'unbounded' && Math.abs(valueW - range.maxW) <= ON_BOUND_W)
    return { decidedBy: range.maxBoundBy, reason: range.maxReason };
  if (range.minBoundBy !== 'unbounded' && Math.abs(valueW - range.minW) <= ON_BOUND_W)
    return { decidedBy: range.minBoundBy, reason: range.minReason };
  return { decidedBy: 'dispatcher', reason: freeReason };
}

/**
 * Why each setpoint of a cycle is what it is: the value sits on a bound (then the controller that set that bound,
 * highest priority first, "bound" it, with its reason) or strictly inside its range (then the dispatcher chose it
 * when sharing the balance by the allocation policy's split).
 */
export function setpointReasons(report: CycleReport, operatorTarget: OperatorTarget | null): SetpointsReport {
  const base = { cycleIndex: report.cycleIndex, atMs: report.atMs, plantState: report.plantState };
  if (!report.decision) {
    const devices = report.commands.map((command): SetpointReason => ({
      deviceId: command.deviceId,
      powerW: command.kind === 'battery' ? command.setpoint.powerW : 0,
      command,
      write: report.writes.find((w) => w.deviceId === command.deviceId)?.result ?? null,
      range: { minW: null, maxW: null },
      decidedBy: 'safety',
      reason: `plant ${report.plantState}: batteries held at 0 W, devices revert by their own timers`,
      trail: [],
    }));
    return { ...base, grid: null, devices };
  }
  const { ranges, dispatch } = report.decision;
  const devices: SetpointReason[] = [];
  for (const [deviceId, powerW] of Object.entries(dispatch.powersW)) {
    const entry = ranges[deviceId];
    if (!entry) continue;
    devices.push({
      deviceId,
      powerW,
      command: report.commands.find((c) => c.deviceId === deviceId) ?? null,
      write: report.writes.find((w) => w.deviceId === deviceId)?.result ?? null,
      range: { minW: finiteOrNull(entry.range.minW), maxW: finiteOrNull(entry.range.maxW) },
      ...whoDecided(
        entry.range,
        powerW,
        'inside its allowed range: its share of the balance by the allocation policy split',
      ),
      trail: entry.trail,
    });
  }
  const gridEntry = ranges[connectionPointKey];
  const grid = gridEntry
    ? {
        targetW: dispatch.gridTargetW,
        range: { minW: finiteOrNull(gridEntry.range.minW), maxW: finiteOrNull(gridEntry.range.maxW) },
        operatorTarget,
        ...whoDecided(gridEntry.range, dispatch.gridTargetW, "the allocation policy's export share of the surplus"),
      }
    : null;
  return { ...base, grid, devices };
}
