/**
 * Members with voting power for governance tests: dev accounts register a node each with CosmJS (as a script would)
 * and the operator approves it, so their power is real rated power on the real registry.
 */
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import { RegistryClient } from '@gridcoop/contracts';
import type { UiTestSystem } from './system.ts';

export async function registryAs(
  system: UiTestSystem,
  index: number,
): Promise<{ registry: RegistryClient; close(): void }> {
  const account = system.account(index);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: system.chain.prefix });
  const client = await SigningCosmWasmClient.connectWithSigner(system.chain.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(system.chain.gasPrice),
    broadcastPollIntervalMs: 100,
  });
  return {
    registry: new RegistryClient(client, system.registryAddress, account.address),
    close: () => client.disconnect(),
  };
}

/** Gives each dev account a node of `ratedPowerW`, approved by the operator (dev 0). Returns the node ids. */
export async function giveVotingPower(
  system: UiTestSystem,
  members: { index: number; ratedPowerW: number }[],
): Promise<number[]> {
  const operator = await registryAs(system, 0);
  const ids: number[] = [];
  try {
    for (const member of members) {
      const owner = await registryAs(system, member.index);
      try {
        await owner.registry.registerNode({
          kind: 'pv',
          ratedPowerW: member.ratedPowerW,
          zone: 'members',
          metadata: [],
        });
        const { nodes } = await owner.registry.nodes({ owner: system.account(member.index).address, limit: 30 });
        const id = nodes.at(-1)!.id;
        await operator.registry.approveNode(id);
        ids.push(id);
      } finally {
        owner.close();
      }
    }
  } finally {
    operator.close();
  }
  return ids;
}
