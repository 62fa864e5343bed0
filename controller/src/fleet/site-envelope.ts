import type {
  FlexibilityEnvelope,
  FlexibilitySource,
  BatteryFlexModel,
  EnvelopeForecastStep,
} from '@gridcoop/fleet-protocol';
import type { ControlInputs } from '../control/control-inputs.ts';
import { controllableDevices, minerPowerRangeW, pvRatedPowerW } from '../control/controllable-devices.ts';
import type { Dispatch } from '../control/dispatcher.ts';
import { effectiveReservePct } from '../control/safety-controller.ts';
import type { Plan } from '../planner/plan.ts';

/** How many plan steps the envelope forecasts (2 h of 15-min steps): enough for the aggregator's next dispatches. */
const FORECAST_STEPS = 8;
/**
 * A battery offers only the power it can hold this long (one planner step): a battery 0.1 % below full could charge
 * at its full rating for a second, which is no flexibility an aggregator can dispatch.
 */
const HOLD_AT_LEAST_S = 900;

const clamp = (valueW: number, loW: number, hiW: number): number => Math.min(hiW, Math.max(loW, valueW));
const none: FlexibilitySource = { raiseW: 0, lowerW: 0, raiseForS: null, lowerForS: null };

/**
 * The site's flexibility envelope at its connection point, from the same inputs the control cycle decided on.
 *
 * `baseline` is the dispatch under the site's local policy (no VPP target): each device's room is measured from its
 * setpoint there to the limits local safety keeps (ratings, reserve and maximum SoC with the policy's reserve, a
 * battery that is not running, a miner's switch and its minimum on/off times, a PV inverter's floor); a battery
 * offers the power it can hold for at least HOLD_AT_LEAST_S. Per-cycle ramp
 * limits are left out: the envelope says what can be held, the ramp only how fast the site gets there. The grid range
 * is then bounded by the connection's caps, which always win.
 */
export function siteEnvelope(inputs: ControlInputs, baseline: Dispatch, plan: Plan | null): FlexibilityEnvelope {
  const importCapW = inputs.plant.importCapW;
  const exportCapW = inputs.plant.exportCapW;
  const battery = { raiseW: 0, lowerW: 0, chargeWh: 0, dischargeWh: 0, chargeW: 0, dischargeW: 0 };
  const batteryModel = { socWh: 0, reserveWh: 0, maxWh: 0, capacityWh: 0, chargeMaxW: 0, dischargeMaxW: 0 };
  const miners = { raiseW: 0, lowerW: 0 };
  const pv = { raiseW: 0, lowerW: 0 };

  for (const device of controllableDevices(inputs)) {
    const setpointW = baseline.powersW[device.spec.id] ?? 0;
    if (device.kind === 'battery') {
      const { spec, reading } = device;
      const socPct = reading.socPct;
      const running = (inputs.batteryStates[spec.id] ?? 'standby') === 'running';
      if (socPct === null) continue;
      const reservePct = effectiveReservePct(inputs, spec, reading);
      const chargeMaxW = Math.min(spec.maxChargeW, reading.maxChargeW ?? Infinity);
      const dischargeMaxW = Math.min(spec.maxDischargeW, reading.maxDischargeW ?? Infinity);
      const whPerPct = spec.capacityWh / 100;
      batteryModel.socWh += socPct * whPerPct;
      batteryModel.reserveWh += reservePct * whPerPct;
      batteryModel.maxWh += spec.maxSocPct * whPerPct;
      batteryModel.capacityWh += spec.capacityWh;
      if (!running) continue; // held at 0 W by safety: no flexibility, but its energy still counts in the model
      batteryModel.chargeMaxW += chargeMaxW;
      batteryModel.dischargeMaxW += dischargeMaxW;
      const roomWh = Math.max(0, spec.maxSocPct - socPct) * whPerPct;
      const energyWh = Math.max(0, socPct - reservePct) * whPerPct;
      const chargeW = Math.min(chargeMaxW, (roomWh * 3600) / HOLD_AT_LEAST_S);
      const dischargeW = Math.min(dischargeMaxW, (energyWh * 3600) / HOLD_AT_LEAST_S);
      const minOutputW = -chargeW;
      const maxOutputW = dischargeW;
      // Raising grid power = the battery's output going down (more charge); lowering = more discharge.
      battery.raiseW += Math.max(0, setpointW - minOutputW);
      battery.lowerW += Math.max(0, maxOutputW - setpointW);
      battery.chargeWh += roomWh;
      battery.dischargeWh += energyWh;
      battery.chargeW += chargeW;
      battery.dischargeW += dischargeW;
    } else if (device.kind === 'flexible-load') {
      const position = inputs.minerSwitches[device.spec.id] ?? 'off-locked';
      if (device.reading.state === 'fault' || position === 'off-locked') continue;
      const { minW, maxW } = minerPowerRangeW(device);
      // Output convention: consumption negative. on-locked may not pause (minimum on time): it keeps its minimum.
      const minOutputW = -maxW;
      const maxOutputW = position === 'on-locked' ? -minW : 0;
      miners.raiseW += Math.max(0, setpointW - minOutputW);
      miners.lowerW += Math.max(0, maxOutputW - setpointW);
    } else {
      const ratedW = pvRatedPowerW(device);
      const floorW = (device.spec.minPowerLimitPct / 100) * ratedW;
      const producingW = Math.max(0, device.reading.powerW ?? 0);
      // Curtailing down to the floor raises grid power by what is produced above it.
      pv.raiseW += Math.max(0, producingW - floorW);
    }
  }
  // PV held back now could be released: that lowers grid power by the curtailed amount.
  pv.lowerW = Math.max(0, baseline.curtailedW);

  const baselineW = clamp(baseline.gridTargetW + baseline.shortfallW, -exportCapW, importCapW);
  const raiseW = battery.raiseW + miners.raiseW + pv.raiseW;
  const lowerW = battery.lowerW + miners.lowerW + pv.lowerW;
  const batteryRaiseForS = battery.chargeW > 0 ? (battery.chargeWh * 3600) / battery.chargeW : null;
  const batteryLowerForS = battery.dischargeW > 0 ? (battery.dischargeWh * 3600) / battery.dischargeW : null;

  return {
    baselineW,
    minGridW: clamp(baselineW - lowerW, -exportCapW, importCapW),
    maxGridW: clamp(baselineW + raiseW, -exportCapW, importCapW),
    // The batteries are the only energy-limited source: the full range holds as long as they can.
    raiseForS: battery.raiseW > 0 ? batteryRaiseForS : null,
    lowerForS: battery.lowerW > 0 ? batteryLowerForS : null,
    sources: {
      battery: {
        raiseW: battery.raiseW,
        lowerW: battery.lowerW,
        raiseForS: batteryRaiseForS,
        lowerForS: batteryLowerForS,
      },
      miners: { ...none, raiseW: miners.raiseW, lowerW: miners.lowerW },
      pvCurtailment: { ...none, raiseW: pv.raiseW, lowerW: pv.lowerW },
    },
    battery: batteryModelOf(batteryModel),
    forecast: forecastOf(plan, inputs.image.atMs, batteryModel, miners, importCapW, exportCapW),
  };
}

function batteryModelOf(model: {
  socWh: number;
  reserveWh: number;
  maxWh: number;
  capacityWh: number;
  chargeMaxW: number;
  dischargeMaxW: number;
}): BatteryFlexModel | null {
  if (model.capacityWh <= 0) return null;
  const pct = (wh: number): number => Math.min(100, Math.max(0, (wh / model.capacityWh) * 100));
  return {
    socPct: pct(model.socWh),
    socMinPct: Math.min(pct(model.reserveWh), pct(model.maxWh)),
    socMaxPct: pct(model.maxWh),
    energyCapacityWh: model.capacityWh,
    chargeMaxW: model.chargeMaxW,
    dischargeMaxW: model.dischargeMaxW,
  };
}

/**
 * The plan's next steps as envelope steps: the plan's grid power is the baseline, and the room around it is what
 * the batteries (if the planned SoC leaves energy or room), the miners (between off and full) and PV curtailment
 * (down to 10 % of the forecast, a conservative floor) could add. A forecast, so only as good as the plan's.
 */
function forecastOf(
  plan: Plan | null,
  nowMs: number,
  battery: { reserveWh: number; maxWh: number; capacityWh: number; chargeMaxW: number; dischargeMaxW: number },
  miners: { raiseW: number; lowerW: number },
  importCapW: number,
  exportCapW: number,
): EnvelopeForecastStep[] {
  if (plan === null) return [];
  const upcoming = plan.steps.filter((step) => step.startMs + plan.stepMs > nowMs).slice(0, FORECAST_STEPS);
  const minerMaxW = miners.raiseW + miners.lowerW;
  return upcoming.map((step) => {
    const socWh = battery.capacityWh > 0 ? (step.socPct / 100) * battery.capacityWh : 0;
    const chargeW = socWh < battery.maxWh ? battery.chargeMaxW : 0;
    const dischargeW = socWh > battery.reserveWh ? battery.dischargeMaxW : 0;
    const baselineW = clamp(step.gridW, -exportCapW, importCapW);
    const raiseW = chargeW + step.batteryPowerW + Math.max(0, minerMaxW - step.minerPowerW) + 0.9 * step.pvForecastW;
    const lowerW = dischargeW - step.batteryPowerW + step.minerPowerW + step.pvCurtailW;
    return {
      startMs: step.startMs,
      durationS: plan.stepMs / 1000,
      baselineW,
      minGridW: clamp(baselineW - Math.max(0, lowerW), -exportCapW, importCapW),
      maxGridW: clamp(baselineW + Math.max(0, raiseW), -exportCapW, importCapW),
    };
  });
}
