import { allocationPolicyController } from './allocation-policy-controller.ts';
import { controllerPriority } from './allowed-range.ts';
import type { Controller } from './controller.ts';
import { gridLimitsController } from './grid-limits-controller.ts';
import { operatorSetpointController } from './operator-setpoint-controller.ts';
import { planFollowingController } from './plan-following-controller.ts';
import { safetyController } from './safety-controller.ts';

/** The controllers in their fixed priority order (safety first). */
export const controllerChain: readonly Controller[] = Object.freeze([
  safetyController,
  gridLimitsController,
  operatorSetpointController,
  allocationPolicyController,
  planFollowingController,
]);

// The chain and the declared priority must agree, or "who wins" in the API would be a lie.
if (controllerChain.map((c) => c.name).join() !== controllerPriority.join()) {
  throw new Error('controllerChain is not in controllerPriority order');
}
