import type { FlexibilityEnvelope, FlexibilitySource } from '@gridcoop/fleet-protocol';
import { z } from 'zod';

/**
 * How much of the site the owner lends the VPP, after evcc's charge modes:
 * - `off`: opted out. The envelope is the baseline alone and VPP targets are refused.
 * - `min` ("minimum plus VPP"): the owner's minimums (the miners' power) are kept; the VPP may use the rest.
 * - `pv` (only surplus): the VPP may have the site soak up its own surplus (raise grid power up to 0 W, never into
 *   import) and release PV it curtails; no battery discharge or miner pause on the VPP's behalf.
 * - `now` ("follow VPP fully"): everything local safety allows; the owner's minimums are not held back.
 * The daily battery-cycle budget holds in every mode: it guards the battery's wear, not the owner's comfort.
 */
export const OWNER_MODES = ['off', 'min', 'pv', 'now'] as const;
export type OwnerMode = (typeof OWNER_MODES)[number];

/**
 * The owner's limits and their bounds, as the configuration (with defaults), PUT /api/fleet/owner (each optional)
 * and the kept state file (all required) check them: one place for what a valid say is.
 */
export const ownerLimitsSchema = z
  .object({
    mode: z.enum(OWNER_MODES),
    dailyBatteryCycles: z.number().min(0).max(100).nullable(),
    minerMinW: z.number().min(0),
  })
  .strict();

export interface OwnerLimits {
  mode: OwnerMode;
  /** Equivalent full battery cycles per day (UTC) the owner allows; once used, no battery flexibility. null = no cap. */
  dailyBatteryCycles: number | null;
  /** The miners' total power the owner wants kept (W >= 0), honoured in `min` and `pv` modes. */
  minerMinW: number;
}

/** What the site measured that the owner's limits are judged on. */
export interface OwnerLimitContext {
  /** Equivalent full cycles the batteries have done today (discharged energy / capacity). */
  batteryCyclesToday: number;
  /** The miners' power under the local policy's dispatch, W >= 0 (consumption). */
  minersBaselineW: number;
}

/** True when the owner's battery-cycle budget for today is used up. */
export function batteryBudgetUsed(limits: OwnerLimits, batteryCyclesToday: number): boolean {
  return limits.dailyBatteryCycles !== null && batteryCyclesToday >= limits.dailyBatteryCycles;
}

const NONE: FlexibilitySource = { raiseW: 0, lowerW: 0, raiseForS: null, lowerForS: null };

/**
 * The envelope the owner lets the fleet see: `envelope` (already within local safety and the connection's caps)
 * narrowed by the owner's mode and limits. It only ever narrows: the result's range lies inside the input's, around
 * the same baseline.
 */
export function applyOwnerLimits(
  envelope: FlexibilityEnvelope,
  limits: OwnerLimits,
  context: OwnerLimitContext,
): FlexibilityEnvelope {
  const { baselineW } = envelope;
  if (limits.mode === 'off') {
    return {
      ...envelope,
      minGridW: baselineW,
      maxGridW: baselineW,
      raiseForS: null,
      lowerForS: null,
      sources: { battery: NONE, miners: NONE, pvCurtailment: NONE },
      forecast: envelope.forecast.map((step) => ({ ...step, minGridW: step.baselineW, maxGridW: step.baselineW })),
    };
  }
  let battery = envelope.sources.battery;
  let miners = envelope.sources.miners;
  let pvCurtailment = envelope.sources.pvCurtailment;
  if (batteryBudgetUsed(limits, context.batteryCyclesToday)) battery = NONE;
  if (limits.mode === 'min' || limits.mode === 'pv') {
    // Pausing miners lowers grid power only down to the owner's minimum (or what they draw, if that is less).
    const spareW = Math.max(0, context.minersBaselineW - limits.minerMinW);
    miners = { ...miners, lowerW: Math.min(miners.lowerW, spareW) };
  }
  if (limits.mode === 'pv') {
    battery = { ...battery, lowerW: 0, lowerForS: null };
    miners = { ...miners, lowerW: 0 };
    // Raising is allowed only while the site exports: up to 0 W at the connection point, never into import.
    const raiseW = battery.raiseW + miners.raiseW + pvCurtailment.raiseW;
    const allowedW = Math.max(0, Math.min(raiseW, -baselineW));
    const scale = raiseW > 0 ? allowedW / raiseW : 0;
    battery = { ...battery, raiseW: battery.raiseW * scale };
    miners = { ...miners, raiseW: miners.raiseW * scale };
    pvCurtailment = { ...pvCurtailment, raiseW: pvCurtailment.raiseW * scale };
  }
  const raiseW = battery.raiseW + miners.raiseW + pvCurtailment.raiseW;
  const lowerW = battery.lowerW + miners.lowerW + pvCurtailment.lowerW;
  const forecast =
    limits.mode === 'pv'
      ? envelope.forecast.map((step) => ({
          ...step,
          minGridW: step.baselineW,
          maxGridW: Math.max(step.baselineW, Math.min(step.maxGridW, 0)),
        }))
      : envelope.forecast;
  return {
    ...envelope,
    minGridW: Math.max(envelope.minGridW, baselineW - lowerW),
    maxGridW: Math.min(envelope.maxGridW, baselineW + raiseW),
    // Only the batteries are energy-limited: without their part the range holds indefinitely.
    raiseForS: battery.raiseW > 0 ? envelope.raiseForS : null,
    lowerForS: battery.lowerW > 0 ? envelope.lowerForS : null,
    sources: { battery, miners, pvCurtailment },
    forecast,
  };
}
