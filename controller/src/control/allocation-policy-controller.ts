import type { ControlInputs } from './control-inputs.ts';
import type { Controller } from './controller.ts';
import { controllableDevices, minerPowerRangeW } from './controllable-devices.ts';
import type { RangeBook } from './range-book.ts';

/**
 * Priority 4: the DAO's allocation policy. Its bounds: a miner may be modulated only within `miner_flexibility_pct`
 * of its power range, measured down from its maximum (0 % = it mines at full power or not at all). The battery
 * reserve is enforced by safety (the stricter of policy and device), and the surplus split is a preference, not a
 * bound: the dispatcher uses it to share surplus once all ranges are known.
 */
export const allocationPolicyController: Controller = {
  name: 'allocation-policy',
  apply(inputs: ControlInputs, book: RangeBook): void {
    const flexibility = inputs.policy.miner_flexibility_pct / 100;
    for (const device of controllableDevices(inputs)) {
      if (device.kind !== 'flexible-load') continue;
      const range = book.range(device.spec.id);
      if (range.minW === 0 && range.maxW === 0) continue; // paused: nothing to modulate
      const { minW, maxW } = minerPowerRangeW(device);
      const leastConsumptionW = maxW - flexibility * (maxW - minW);
      book.narrow(
        device.spec.id,
        { maxW: -leastConsumptionW },
        'allocation-policy',
        `miner flexibility ${inputs.policy.miner_flexibility_pct} %`,
      );
    }
  },
};
