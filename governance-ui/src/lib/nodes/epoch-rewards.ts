import type { RegistryQueryClient } from '@gridcoop/contracts/client/registry-client';
import type {
  EpochResponse,
  NodeEpochResponse,
  RegistryNode,
  RewardPolicy,
} from '@gridcoop/contracts/client/registry-types';

export interface EpochRewardRow {
  epoch: EpochResponse;
  node: NodeEpochResponse;
  /** the node's part of the epoch's total reward weight, 0..1 */
  share: number;
  /** Flexibility the node delivered on the controller's request in this epoch (flexible loads), Wh. */
  flexibilityWh: number;
  /**
   * The part of the node's share of the pool that its flexibility earned (pool units): all of it for a node with no
   * output, else its flexibility weight at the reward policy in force (the registry weighs each record at the
   * policy of its block). 0 when the epoch has no weight yet.
   */
  flexibilityReward: bigint;
}

/** The weight the registry gives flexibility: Wh x flexibility_bps x zone_bps (10,000 when absent or unlisted). */
export function flexibilityWeight(policy: RewardPolicy, zone: string, flexibilityWh: number): bigint {
  const zoneBps = policy.zone_bps.find(([z]) => z === zone)?.[1] ?? 10_000;
  return BigInt(flexibilityWh) * BigInt(policy.flexibility_bps ?? 10_000) * BigInt(zoneBps);
}

/** The node's pool amount for its flexibility in one epoch (see EpochRewardRow.flexibilityReward). */
export function flexibilityRewardOf(
  epoch: Pick<EpochResponse, 'pool' | 'total_weight'>,
  node: Pick<NodeEpochResponse, 'reward_weight' | 'totals'>,
  policy: RewardPolicy,
  zone: string,
): bigint {
  const total = BigInt(epoch.total_weight);
  const weight = BigInt(node.reward_weight);
  const flexibilityWh = node.totals.flexibility_wh ?? 0;
  if (total === 0n || weight === 0n || flexibilityWh === 0) return 0n;
  const fromFlexibility =
    node.totals.energy_out_wh === 0 ? weight : minBig(weight, flexibilityWeight(policy, zone, flexibilityWh));
  return (BigInt(epoch.pool) * fromFlexibility) / total;
}

const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** An epoch's totals and the node's part of it (weight, claimable, claimed, flexibility), for each epoch asked. */
export async function epochRewards(
  registry: RegistryQueryClient,
  nodeId: number,
  epochs: readonly number[],
): Promise<EpochRewardRow[]> {
  const [policy, facts]: [RewardPolicy, RegistryNode] = await Promise.all([
    registry.rewardPolicy(),
    registry.node(nodeId),
  ]);
  return Promise.all(
    epochs.map(async (e) => {
      const [epoch, node] = await Promise.all([registry.epoch(e), registry.nodeEpoch(nodeId, e)]);
      const total = BigInt(epoch.total_weight);
      // share in parts per million, then as a fraction: weights are too large for a float division to be exact
      const share = total === 0n ? 0 : Number((BigInt(node.reward_weight) * 1_000_000n) / total) / 1_000_000;
      return {
        epoch,
        node,
        share,
        flexibilityWh: node.totals.flexibility_wh ?? 0,
        flexibilityReward: flexibilityRewardOf(epoch, node, policy, facts.zone),
      };
    }),
  );
}
