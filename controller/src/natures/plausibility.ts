import type { BatteryReading } from './battery.ts';
import type { FlexibleLoadReading } from './flexible-load.ts';
import type { PvInverterReading, PvInverterState } from './pv-inverter.ts';

/**
 * What the installer's spec says a device can do (the larger of spec and reading is used: these are sanity bounds,
 * not safety limits). A reading outside what
 * its nature can do in the state it reports is not taken as true: a PV inverter in MPPT that reads -45 % of its
 * rating is a decoding or meter fault, and taking it as true shifts the computed site load by that much.
 */
/** A point set to unknown, and why (for the process image's failure and the logs). */
export interface ImplausiblePoint {
  point: string;
  value: number;
  reason: string;
}

/** Headroom over a rating: inverters briefly exceed it a little (cos phi, measuring tolerance), never by much. */
const OVER_RATING = 1.1;
/** An inverter's own consumption at night (tare, fans) is a small fraction of its rating. */
const TARE_FRACTION = 0.02;
/** States in which an inverter feeds in, or may (starting, fault and unknown get the same wide bounds). */
const IDLE_STATES: ReadonlySet<PvInverterState> = new Set(['off', 'sleeping', 'standby']);
/** An idle inverter may still show the tail of its last output while its state register has already changed. */
const IDLE_OUTPUT_FRACTION = 0.1;

function check(
  out: ImplausiblePoint[],
  point: string,
  value: number | null,
  loW: number,
  hiW: number,
  what: string,
): number | null {
  if (value === null || (value >= loW && value <= hiW)) return value;
  out.push({
    point,
    value,
    reason: `${point} ${value} W implausible for ${what} (${Math.round(loW)}..${Math.round(hiW)} W)`,
  });
  return null;
}

/** A PV inverter's output: never much below zero (tare only), at most a little over its rating, little when idle. */
export function plausiblePvReading(
  reading: PvInverterReading,
  limits: { ratedPowerW: number },
): { reading: PvInverterReading; implausible: ImplausiblePoint[] } {
  // A sanity bound, not a safety limit: the larger of spec and reported rating (an installer may derate an inverter).
  const ratedW = Math.max(limits.ratedPowerW, reading.ratedPowerW ?? 0);
  const loW = -TARE_FRACTION * ratedW;
  const idle = IDLE_STATES.has(reading.state);
  const hiW = (idle ? IDLE_OUTPUT_FRACTION : OVER_RATING) * ratedW;
  const implausible: ImplausiblePoint[] = [];
  const powerW = check(
    implausible,
    'powerW',
    reading.powerW,
    loW,
    hiW,
    `a PV inverter rated ${ratedW} W in state ${reading.state}`,
  );
  return { reading: implausible.length > 0 ? { ...reading, powerW } : reading, implausible };
}

/** A battery's power: within its charge and discharge ratings (with a little headroom). */
export function plausibleBatteryReading(
  reading: BatteryReading,
  limits: { maxChargeW: number; maxDischargeW: number },
): { reading: BatteryReading; implausible: ImplausiblePoint[] } {
  const chargeW = Math.max(limits.maxChargeW, reading.maxChargeW ?? 0);
  const dischargeW = Math.max(limits.maxDischargeW, reading.maxDischargeW ?? 0);
  const implausible: ImplausiblePoint[] = [];
  const powerW = check(
    implausible,
    'powerW',
    reading.powerW,
    -OVER_RATING * chargeW,
    OVER_RATING * dischargeW,
    `a battery rated -${chargeW}..${dischargeW} W in state ${reading.state}`,
  );
  return { reading: implausible.length > 0 ? { ...reading, powerW } : reading, implausible };
}

/** A miner's consumption (positive): never negative beyond noise, at most a little over its maximum. */
export function plausibleFlexibleLoadReading(
  reading: FlexibleLoadReading,
  limits: { maxPowerW: number },
): { reading: FlexibleLoadReading; implausible: ImplausiblePoint[] } {
  const maxW = Math.max(limits.maxPowerW, reading.maxPowerW ?? 0);
  const implausible: ImplausiblePoint[] = [];
  const powerW = check(
    implausible,
    'powerW',
    reading.powerW,
    -TARE_FRACTION * maxW,
    OVER_RATING * maxW,
    `a flexible load of at most ${maxW} W in state ${reading.state}`,
  );
  return { reading: implausible.length > 0 ? { ...reading, powerW } : reading, implausible };
}
