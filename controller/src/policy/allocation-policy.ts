import { z } from 'zod';

/**
 * The allocation policy: one shape everywhere (governance contract, registry rewards, controller, UI), JSON in
 * snake_case. The governance contract checks the same bounds; the controller checks them again because a policy
 * may also come from a local file.
 */
const bps = z.number().int().min(0).max(50_000);

export const allocationPolicySchema = z.object({
  /** The state of charge the controller never discharges below. */
  battery_reserve_pct: z.number().min(5).max(80),
  surplus_split: z
    .object({
      battery_pct: z.number().min(0).max(100),
      miners_pct: z.number().min(0).max(100),
      export_pct: z.number().min(0).max(100),
    })
    .refine((split) => split.battery_pct + split.miners_pct + split.export_pct === 100, {
      message: 'battery_pct + miners_pct + export_pct must be exactly 100',
    }),
  /** Share of the miners' power range (min..max) the controller may modulate. */
  miner_flexibility_pct: z.number().min(0).max(100),
  reward_multipliers: z.object({
    kind_bps: z.object({ pv: bps, battery: bps, flexible_load: bps }),
    zone_bps: z
      .array(z.tuple([z.string().regex(/^[a-z0-9-]{1,32}$/, 'zone names are 1..=32 chars of [a-z0-9-]'), bps]))
      .max(32),
  }),
});

export type AllocationPolicy = z.infer<typeof allocationPolicySchema>;

/** The policy in force and where it came from, as the API reports it. */
export interface PolicyInForce {
  /** The governance contract's version; 0 for the local default. */
  version: number;
  policy: AllocationPolicy;
}

export const defaultAllocationPolicy: AllocationPolicy = Object.freeze({
  battery_reserve_pct: 20,
  surplus_split: Object.freeze({ battery_pct: 50, miners_pct: 30, export_pct: 20 }),
  miner_flexibility_pct: 100,
  reward_multipliers: Object.freeze({
    kind_bps: Object.freeze({ pv: 10_000, battery: 10_000, flexible_load: 10_000 }),
    zone_bps: [],
  }),
}) as AllocationPolicy;

/** A policy outside its valid ranges; `issues` names each bad field. The policy in force stays as it was. */
export class AllocationPolicyError extends Error {
  override readonly name = 'AllocationPolicyError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid allocation policy: ${issues.join('; ')}`);
  }
}

export function parseAllocationPolicy(input: unknown): AllocationPolicy {
  const result = allocationPolicySchema.safeParse(input);
  if (!result.success) {
    throw new AllocationPolicyError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const zones = result.data.reward_multipliers.zone_bps.map(([zone]) => zone);
  const duplicate = zones.find((zone, index) => zones.indexOf(zone) !== index);
  if (duplicate !== undefined)
    throw new AllocationPolicyError([`reward_multipliers.zone_bps: zone ${duplicate} appears twice`]);
  return result.data;
}
