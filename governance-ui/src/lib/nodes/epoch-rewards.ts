import type { RegistryQueryClient } from '@gridcoop/contracts/client/registry-client';
import type { EpochResponse, NodeEpochResponse } from '@gridcoop/contracts/client/registry-types';

export interface EpochRewardRow {
  epoch: EpochResponse;
  node: NodeEpochResponse;
  /** the node's part of the epoch's total reward weight, 0..1 */
  share: number;
}

/** An epoch's totals and the node's part of it (weight, claimable, claimed), for each epoch asked. */
export async function epochRewards(
  registry: RegistryQueryClient,
  nodeId: number,
  epochs: readonly number[],
): Promise<EpochRewardRow[]> {
  return Promise.all(
    epochs.map(async (e) => {
      const [epoch, node] = await Promise.all([registry.epoch(e), registry.nodeEpoch(nodeId, e)]);
      const total = BigInt(epoch.total_weight);
      // share in parts per million, then as a fraction: weights are too large for a float division to be exact
      const share = total === 0n ? 0 : Number((BigInt(node.reward_weight) * 1_000_000n) / total) / 1_000_000;
      return { epoch, node, share };
    }),
  );
}
