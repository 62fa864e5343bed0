// Gas of record_intervals on the local chain with contract metering on (the chain's figure: SDK ante + KV gas + the
// VM's instruction gas + 3 per metered block), for batches of 1, 10, 50 and 100 records of one node's consecutive
// intervals, against the block max gas assumed for the target chains. Simulated, so the chain's clock is all it needs.
// Run: node --import tsx contracts-cosmwasm/bench/chain-record-gas.ts
import { loadavg } from 'node:os';
import { toUtf8 } from '@cosmjs/encoding';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { RegistryClient } from '../client/registry-client.ts';
import { defaultGasLimits } from '../chain/gas-limits.ts';
import { startLocalChain } from '../chain/local-chain.ts';
import { signingClient } from '../test/chain-fixture.ts';
import { registryWasm, samplesHash } from '../test/registry-fixture.ts';

const intervalS = 900;
const chain = await startLocalChain({ blockTimeMs: 200 });
try {
  const { client, address } = await signingClient(chain, 0, 20);
  const { codeId } = await client.upload(address, registryWasm(), 'auto');
  const { contractAddress } = await client.instantiate(
    address,
    codeId,
    {
      admin: null,
      operator: address,
      governance: null,
      oracles: [address],
      reward_denom: chain.denom,
      interval_s: intervalS,
      epoch_length_s: 86_400,
      settlement_delay_s: 3_600,
      reward_policy: null,
    },
    'registry',
    'auto',
  );
  // counts what the VM charges (instructions, and metered blocks entered) so the figure can be broken down; the VM
  // runs in the chain's execution thread, which keeps the counts
  await chain.node.vmGasCounters();
  const registry = new RegistryClient(client, contractAddress, address);
  await registry.registerNode({ kind: 'pv', ratedPowerW: 5_000, zone: 'zone-a', metadata: [] });
  const { nodes } = await registry.nodes({ owner: address });
  const nodeId = nodes[0]!.id;
  await registry.approveNode(nodeId);
  const firstStart = Math.floor(Date.now() / 1000 / intervalS) * intervalS - 200 * intervalS;
  const records = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      node_id: nodeId,
      interval_start: firstStart + i * intervalS,
      interval_s: intervalS,
      energy_in_wh: 0,
      energy_out_wh: 100,
      counter_in_wh: 0,
      counter_out_wh: 100 * (i + 1),
      samples_hash: samplesHash(`bench ${i}`),
    }));
  console.log(
    `record_intervals gas on the local chain (metering on), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const n of [1, 10, 50, 100]) {
    const msg = {
      typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
      value: MsgExecuteContract.fromPartial({
        sender: address,
        contract: contractAddress,
        msg: toUtf8(JSON.stringify({ record_intervals: { records: records(n) } })),
      }),
    };
    await chain.node.vmGasCounters();
    const gas = await client.simulate(address, [msg], '');
    const { blocksEntered, instructionGas } = await chain.node.vmGasCounters();
    const share = ((gas / Number(defaultGasLimits.maxBlockGas)) * 100).toFixed(2);
    console.log(
      `  ${String(n).padStart(3)} records: ${gas.toLocaleString('en')} gas (${Math.round(gas / n).toLocaleString('en')}/record), ${share} % of a ${Number(defaultGasLimits.maxBlockGas).toLocaleString('en')}-gas block; ` +
        `wasm instructions ${Math.round(instructionGas).toLocaleString('en')}, blocks entered ${(3 * blocksEntered).toLocaleString('en')}, ` +
        `the rest storage, ante and events`,
    );
  }
  client.disconnect();
} finally {
  await chain.stop();
}
