import type { ControlInputs } from './control-inputs.ts';
import type { Controller } from './controller.ts';
import { controllableDevices } from './controllable-devices.ts';
import type { RangeBook } from './range-book.ts';

/**
 * Priority 5: follow the planner's step in force (null plan or no step: nothing to follow).
 * - Battery SoC path: below the planned end-of-step SoC (beyond a dead band) the batteries may not discharge, so the
 *   energy the plan keeps for later stays; above it they may not charge, so surplus goes where the plan wants it.
 *   Within the band, real-time balancing is free to correct forecast error both ways.
 * - Miner schedule: running miners together consume at most the planned miner power (shared by their maximum).
 */
export const planFollowingController: Controller = {
  name: 'plan-following',
  apply(inputs: ControlInputs, book: RangeBook): void {
    const step = inputs.planStep;
    if (!step) return;
    const devices = controllableDevices(inputs);

    let energyWh = 0;
    let capacityWh = 0;
    for (const device of devices) {
      if (device.kind !== 'battery' || device.reading.socPct === null) continue;
      energyWh += (device.reading.socPct / 100) * device.spec.capacityWh;
      capacityWh += device.spec.capacityWh;
    }
    if (capacityWh > 0) {
      const socPct = (energyWh / capacityWh) * 100;
      const band = inputs.tuning.planSocDeadbandPct;
      for (const device of devices) {
        if (device.kind !== 'battery') continue;
        if (socPct < step.socPct - band) {
          book.narrow(
            device.spec.id,
            { maxW: 0 },
            'plan-following',
            `SoC ${socPct.toFixed(1)} % below plan ${step.socPct} %: no discharge`,
          );
        } else if (socPct > step.socPct + band) {
          book.narrow(
            device.spec.id,
            { minW: 0 },
            'plan-following',
            `SoC ${socPct.toFixed(1)} % above plan ${step.socPct} %: no charge`,
          );
        }
      }
    }

    const miners = devices.filter((d) => d.kind === 'flexible-load');
    const totalMaxW = miners.reduce((sum, d) => sum + (d.kind === 'flexible-load' ? d.spec.maxPowerW : 0), 0);
    if (totalMaxW <= 0) return;
    for (const miner of miners) {
      if (miner.kind !== 'flexible-load') continue;
      const shareW = (step.minerPowerW * miner.spec.maxPowerW) / totalMaxW;
      book.narrow(
        miner.spec.id,
        { minW: -shareW },
        'plan-following',
        `plan: miners ${step.minerPowerW} W in this step`,
      );
    }
  },
};
