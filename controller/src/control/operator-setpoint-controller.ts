import type { ControlInputs } from './control-inputs.ts';
import type { Controller } from './controller.ts';
import type { RangeBook } from './range-book.ts';

/**
 * Priority 3: the grid operator's target at the connection point (live call or schedule), already resolved against
 * its expiry by OperatorSetpoints. It narrows the connection point to that one value; if the target lies outside the
 * caps, the caps win (they came first) and the nearest cap is what the plant holds.
 */
export const operatorSetpointController: Controller = {
  name: 'operator-setpoint',
  apply(inputs: ControlInputs, book: RangeBook): void {
    const target = inputs.operatorTarget;
    if (!target) return;
    // Say what is actually held: a target beyond a cap is held at the cap, and the reason names both values.
    const caps = book.gridRange();
    const heldW = Math.min(caps.maxW, Math.max(caps.minW, target.gridW));
    const reason =
      heldW === target.gridW
        ? `operator ${target.source} target ${target.gridW} W`
        : `operator ${target.source} target ${target.gridW} W is beyond the ${heldW < target.gridW ? 'import' : 'export'} cap: holding ${heldW} W`;
    book.narrowGrid({ minW: target.gridW, maxW: target.gridW }, 'operator-setpoint', reason);
  },
};
