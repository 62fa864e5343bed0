import type { ControlInputs } from './control-inputs.ts';
import type { Controller } from './controller.ts';
import { controllableDevices } from './controllable-devices.ts';
import type { RangeBook } from './range-book.ts';

/**
 * Priority 5: follow the planner's step in force (null plan or no step: nothing to follow).
 * - Battery SoC path: below the planned end-of-step SoC (beyond a dead band) the batteries may not discharge, so the
 *   energy the plan keeps for later stays; above it they may not charge, so surplus goes where the plan wants it.
 *   Below it while the plan charges for an import-cap peak ahead (capNeedsBatteryAhead), they charge at the planned
 *   rate even against the operator's schedule: like OpenEMS's peak shaving recharging, but ahead of the peak.
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
      // Discharge the import cap needs this very cycle (PV as measured): the plan never stands in its way.
      const { uncontrolledLoadNowW, uncontrolledLoadSmoothedW } = inputs.estimates;
      const pvNowW = devices.reduce(
        (sum, d) => sum + (d.kind === 'pv-inverter' ? Math.max(0, d.reading.powerW ?? 0) : 0),
        0,
      );
      const capNeedsNowW = Math.max(
        0,
        Math.max(uncontrolledLoadNowW, uncontrolledLoadSmoothedW) - pvNowW - inputs.plant.importCapW,
      );
      const forCapsAhead = step.capNeedsBatteryAhead === true;
      for (const device of devices) {
        if (device.kind !== 'battery') continue;
        const share = device.spec.capacityWh / capacityWh;
        const capNowW = capNeedsNowW * share;
        const plannedW = step.batteryPowerW * share;
        if (socPct < step.socPct - band && forCapsAhead && plannedW < 0 && capNowW === 0) {
          // The plan stores this energy to hold the import cap later: charge as planned, even against the
          // operator's target. The import cap still bounds the charging (its controller came first).
          book.narrow(
            device.spec.id,
            { maxW: plannedW },
            'plan-following',
            `SoC ${socPct.toFixed(1)} % below plan ${step.socPct.toFixed(1)} %: charging ${Math.round(-plannedW)} W for the import cap ahead`,
          );
        } else if (socPct < step.socPct - band) {
          book.narrow(
            device.spec.id,
            { maxW: capNowW },
            'plan-following',
            `SoC ${socPct.toFixed(1)} % below plan ${step.socPct.toFixed(1)} %: no discharge${capNowW > 0 ? ` beyond ${Math.round(capNowW)} W for the import cap now` : ''}`,
          );
        } else if (forCapsAhead) {
          // Energy kept for a later import peak is not the schedule's: the dead band would let the schedule take
          // a band's worth below the path at every re-plan, a ratchet that empties the battery before the peak.
          const allowedW = Math.max(0, plannedW, capNowW);
          book.narrow(
            device.spec.id,
            { maxW: allowedW },
            'plan-following',
            `plan keeps energy for the import cap ahead: discharge at most ${Math.round(allowedW)} W`,
          );
        }
        if (socPct > step.socPct + band) {
          book.narrow(
            device.spec.id,
            { minW: 0 },
            'plan-following',
            `SoC ${socPct.toFixed(1)} % above plan ${step.socPct.toFixed(1)} %: no charge`,
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
