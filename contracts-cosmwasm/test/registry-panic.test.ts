// Panics in the registry wasm (cw-simulate): overflow checks are on in release builds, a panic reaches the VM as
// an abort carrying the panic message, and the long-lived instance keeps working afterwards.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toUtf8 } from '@cosmjs/encoding';
import { address, registryWorld } from './registry-fixture.ts';

describe('registry: panics', () => {
  it('an arithmetic overflow aborts with its message and the next message still works', async () => {
    const world = await registryWorld();
    const alice = address('alice');
    const node = await world.pendingNode(alice);
    // Corrupt the node counters so that approving underflows "pending" (a state the contract never writes itself).
    const storage = world.app.wasm.getContractStorage(world.contract) as unknown as {
      set(k: Uint8Array, v: Uint8Array): unknown;
    };
    const zeroCounts = { pending: 0, active: 0, suspended: 0, retired: 0, active_rated_power_w: 0 };
    world.app.wasm.setContractStorage(
      world.contract,
      storage.set(toUtf8('node_counts'), toUtf8(JSON.stringify(zeroCounts))) as never,
    );
    world.resyncVmStorage();
    await assert.rejects(world.as(world.operator).approveNode(node), (error: Error) => {
      assert.match(error.message, /abort: panicked at 'attempt to subtract with overflow'/);
      return true;
    });
    world.resyncVmStorage();
    assert.equal((await world.query.node(node)).status, 'pending', 'the aborted message changed nothing');
    const next = await world.pendingNode(alice);
    assert.equal((await world.query.node(next)).status, 'pending', 'the same instance serves the next message');
  });
});
