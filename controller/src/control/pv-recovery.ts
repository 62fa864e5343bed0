import type { ControlInputs } from './control-inputs.ts';
import type { ControllableDevice } from './controllable-devices.ts';
import { pvRatedPowerW } from './controllable-devices.ts';

/** How close to its cap a PV inverter must produce to count as having shown all the room it was given. */
const DELIVERED_TOLERANCE_PCT_OF_RATED = 0.2;

/**
 * How much of a deficit PV held back by its caps may be trusted to cover this cycle, instead of the batteries.
 * An inverter's available power is unknown while it is capped, so the room is found by probing: an inverter whose
 * cap was raised last cycle above what it then produced, and which now produces right at that cap, has shown all
 * the room it was given; it is trusted with twice that room next (the batteries discharge that much less and its
 * cap rises by it). Doubling gets back a large curtailment in a few cycles (the caps' own rise rate still bounds
 * it), and a wrong guess costs at most one cycle of deviation the size of the last room shown (the inverter then
 * produces below its cap and the probe stops). Falling or steady sun never looks like that, so it never bets.
 */
export function pvRecoveryProbeW(inputs: ControlInputs, pvs: readonly ControllableDevice[]): number {
  let probeW = 0;
  for (const device of pvs) {
    if (device.kind !== 'pv-inverter') continue;
    const id = device.spec.id;
    const lastCapW = inputs.lastCommandsW[id];
    const previousOutputW = inputs.previousPvOutputW[id];
    const outputW = device.reading.powerW;
    if (lastCapW === undefined || previousOutputW === undefined || outputW === null) continue;
    const toleranceW = (DELIVERED_TOLERANCE_PCT_OF_RATED / 100) * pvRatedPowerW(device);
    const roomGivenW = lastCapW - previousOutputW;
    const showedAllOfIt = outputW >= lastCapW - toleranceW;
    if (roomGivenW > toleranceW && showedAllOfIt) probeW += 2 * roomGivenW;
  }
  return probeW;
}
