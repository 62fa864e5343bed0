import type { AllocationPolicy } from '@gridcoop/contracts/client/governance-types';
import { GOVERNANCE_LIMITS as L } from '@gridcoop/contracts/client/governance-types';

/** A field of the proposal form that is outside the contract's hard bounds, in words. */
export interface FieldProblem {
  field: string;
  message: string;
}

const ZONE_NAME = /^[a-z0-9-]{1,32}$/;

function range(field: string, label: string, value: number, min: number, max: number, out: FieldProblem[]): void {
  if (!Number.isInteger(value)) out.push({ field, message: `${label} must be a whole number.` });
  else if (value < min || value > max) out.push({ field, message: `${label} must be between ${min} and ${max}.` });
}

/**
 * The same bounds the governance contract checks (contracts/governance/src/policy.rs and limits.rs), checked as the
 * member types, so a proposal outside them is caught before it is signed. The contract checks them again.
 */
export function policyProblems(policy: AllocationPolicy): FieldProblem[] {
  const out: FieldProblem[] = [];
  range(
    'battery_reserve_pct',
    'Battery reserve',
    policy.battery_reserve_pct,
    L.minBatteryReservePct,
    L.maxBatteryReservePct,
    out,
  );
  const split = policy.surplus_split;
  range('surplus_split.battery_pct', 'Surplus to batteries', split.battery_pct, 0, 100, out);
  range('surplus_split.miners_pct', 'Surplus to miners', split.miners_pct, 0, 100, out);
  range('surplus_split.export_pct', 'Surplus exported', split.export_pct, 0, 100, out);
  const sum = split.battery_pct + split.miners_pct + split.export_pct;
  if (Number.isFinite(sum) && sum !== 100)
    out.push({
      field: 'surplus_split',
      message: `The surplus split adds up to ${sum} %; it must add up to exactly 100 %.`,
    });
  range('miner_flexibility_pct', 'Miner flexibility', policy.miner_flexibility_pct, 0, 100, out);
  for (const kind of ['pv', 'battery', 'flexible_load'] as const)
    range(
      `reward_multipliers.kind_bps.${kind}`,
      `The ${kind.replace('_', ' ')} multiplier`,
      policy.reward_multipliers.kind_bps[kind],
      0,
      L.maxMultiplierBps,
      out,
    );
  if (policy.reward_multipliers.flexibility_bps !== undefined)
    range(
      'reward_multipliers.flexibility_bps',
      'The flexibility multiplier',
      policy.reward_multipliers.flexibility_bps,
      0,
      L.maxMultiplierBps,
      out,
    );
  const zones = policy.reward_multipliers.zone_bps;
  if (zones.length > L.maxZones) out.push({ field: 'zones', message: `At most ${L.maxZones} zones.` });
  const seen = new Set<string>();
  zones.forEach(([zone, bps], i) => {
    if (!ZONE_NAME.test(zone))
      out.push({
        field: `zone.${i}.name`,
        message: `Zone name "${zone}" must be 1 to ${L.maxZoneNameChars} lower-case letters, digits or dashes.`,
      });
    if (seen.has(zone)) out.push({ field: `zone.${i}.name`, message: `Zone "${zone}" is listed twice.` });
    seen.add(zone);
    range(`zone.${i}.bps`, `The multiplier of zone ${zone || i + 1}`, bps, 0, L.maxMultiplierBps, out);
  });
  return out;
}

export function textProblems(title: string, description: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const titleChars = [...title].length;
  if (titleChars < L.minTitleChars || titleChars > L.maxTitleChars)
    out.push({
      field: 'title',
      message: `The title needs ${L.minTitleChars} to ${L.maxTitleChars} characters (now ${titleChars}).`,
    });
  const descriptionChars = [...description].length;
  if (descriptionChars > L.maxDescriptionChars)
    out.push({
      field: 'description',
      message: `The description has ${descriptionChars} characters; at most ${L.maxDescriptionChars}.`,
    });
  return out;
}
