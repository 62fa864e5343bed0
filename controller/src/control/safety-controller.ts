import type { BatteryReading } from '../natures/index.ts';
import type { BatterySpec } from '../plant/plant-spec.ts';
import type { ControlInputs } from './control-inputs.ts';
import type { Controller } from './controller.ts';
import { controllableDevices, minerPowerRangeW, pvRatedPowerW } from './controllable-devices.ts';
import type { RangeBook } from './range-book.ts';

/** The effective reserve: the stricter of the policy's, the installer's and the battery's own. */
export function effectiveReservePct(inputs: ControlInputs, spec: BatterySpec, reading: BatteryReading): number {
  return Math.max(inputs.policy.battery_reserve_pct, spec.minReservePct, reading.minReservePct ?? 0);
}

/** Seconds a battery needs to ramp from its highest rated power to 0 W: the tail of a command after the cycle. */
function rampDownS(spec: BatterySpec, maxChargeW: number, maxDischargeW: number): number {
  return spec.rampWPerS > 0 ? Math.max(maxChargeW, maxDischargeW) / spec.rampWPerS : 0;
}

/**
 * Priority 1: what no policy, forecast or operator call may override. Device ratings; a battery's state of charge
 * stays between its reserve and its maximum (and it is held at 0 W unless its state machine says running); battery
 * setpoints change no faster than the ramp limit; a PV cap never goes below its floor (never 0 %) and rises no faster
 * than the cap rise rate; a miner's switch position (with its minimum on/off times) decides whether it may run.
 */
export const safetyController: Controller = {
  name: 'safety',
  apply(inputs: ControlInputs, book: RangeBook): void {
    const cycleS = inputs.cycleS;
    for (const device of controllableDevices(inputs)) {
      const id = device.spec.id;
      const lastW = inputs.lastCommandsW[id];
      if (device.kind === 'pv-inverter') {
        const ratedW = pvRatedPowerW(device);
        const floorW = (device.spec.minPowerLimitPct / 100) * ratedW;
        book.narrow(
          id,
          { minW: floorW, maxW: ratedW },
          'safety',
          `rating ${ratedW} W, floor ${device.spec.minPowerLimitPct} %`,
        );
        if (lastW !== undefined) {
          const riseW = (inputs.tuning.pvCapRiseRatePctPerS / 100) * ratedW * cycleS;
          book.narrow(
            id,
            { maxW: lastW + riseW },
            'safety',
            `cap rise limit ${inputs.tuning.pvCapRiseRatePctPerS} %/s`,
          );
        }
      } else if (device.kind === 'battery') {
        const state = inputs.batteryStates[id] ?? 'standby';
        if (state !== 'running') {
          book.narrow(id, { minW: 0, maxW: 0 }, 'safety', `battery ${state}: held at 0 W`);
          continue;
        }
        const socPct = device.reading.socPct;
        if (socPct === null) {
          book.narrow(id, { minW: 0, maxW: 0 }, 'safety', 'state of charge unknown: held at 0 W');
          continue;
        }
        const maxChargeW = Math.min(device.spec.maxChargeW, device.reading.maxChargeW ?? Number.POSITIVE_INFINITY);
        const maxDischargeW = Math.min(
          device.spec.maxDischargeW,
          device.reading.maxDischargeW ?? Number.POSITIVE_INFINITY,
        );
        book.narrow(
          id,
          { minW: -maxChargeW, maxW: maxDischargeW },
          'safety',
          `rating -${maxChargeW}..${maxDischargeW} W`,
        );

        // Energy limits that taper: a command may be in force for a whole cycle and then needs the ramp-down time
        // to come off, so the room left to the reserve or the maximum must last that long at the commanded power.
        // Otherwise the BMS stops the battery by itself between two cycles and the connection point jumps by its
        // power until the next cycle (export past the cap as a battery fills up, import as it empties).
        const reservePct = effectiveReservePct(inputs, device.spec, device.reading);
        const whPerPct = device.spec.capacityWh / 100;
        const horizonS = cycleS + rampDownS(device.spec, maxChargeW, maxDischargeW);
        const dischargeRoomW = (Math.max(0, socPct - reservePct) * whPerPct * 3600) / horizonS;
        book.narrow(
          id,
          { maxW: dischargeRoomW },
          'safety',
          `reserve ${reservePct} % (SoC ${socPct} %, tapered over ${horizonS} s)`,
        );
        const chargeRoomW = (Math.max(0, device.spec.maxSocPct - socPct) * whPerPct * 3600) / horizonS;
        book.narrow(
          id,
          { minW: -chargeRoomW },
          'safety',
          `maximum SoC ${device.spec.maxSocPct} % (SoC ${socPct} %, tapered over ${horizonS} s)`,
        );

        const fromW = lastW ?? device.reading.powerW ?? 0;
        const stepW = device.spec.rampWPerS * cycleS;
        book.narrow(
          id,
          { minW: fromW - stepW, maxW: fromW + stepW },
          'safety',
          `ramp ${device.spec.rampWPerS} W/s from ${Math.round(fromW)} W`,
        );
      } else {
        const position = inputs.minerSwitches[id] ?? 'off-locked';
        if (device.reading.state === 'fault') {
          book.narrow(id, { minW: 0, maxW: 0 }, 'safety', 'miner reports a fault: paused');
        } else if (position === 'off' || position === 'off-locked') {
          const why = position === 'off-locked' ? 'paused (minimum off time)' : 'paused';
          book.narrow(id, { minW: 0, maxW: 0 }, 'safety', why);
        } else {
          const { minW, maxW } = minerPowerRangeW(device);
          const why = position === 'on-locked' ? 'mining (minimum on time)' : 'mining';
          book.narrow(id, { minW: -maxW, maxW: -minW }, 'safety', `${why}: ${minW}..${maxW} W`);
        }
      }
    }
  },
};
