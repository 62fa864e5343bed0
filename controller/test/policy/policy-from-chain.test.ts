import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GovernanceClient, GovernanceQueryClient, RegistryClient, proposalIdFrom } from '@gridcoop/contracts';
import { defaultAllocationPolicy } from '../../src/policy/allocation-policy.ts';
import { PolicyWatcher } from '../../src/policy/policy-watcher.ts';
import { demoSite } from '../cycle/demo-site.ts';
import { registryWasm, signer, startRecordingChain } from '../ledger/chain-fixture.ts';

const GOVERNANCE_WASM = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../contracts-cosmwasm/artifacts/gridcoop_governance.wasm',
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a policy passed on chain reaches the controller and changes its behaviour at the effective time, not before', async () => {
  // the chain's block clock runs from the wall clock plus an offset the test moves past the voting period and timelock
  let offsetMs = 0;
  registryWasm(); // builds the contracts when their wasm is missing
  const {
    chain,
    registryAddress,
    oracle: operator,
  } = await startRecordingChain([{ kind: 'battery', ratedPowerW: 5_000, energyCapacityWh: 10_000 }], {
    now: () => Date.now() + offsetMs,
  });
  const advance = async (ms: number) => {
    offsetMs += ms;
    await sleep(150); // a few blocks, so queries see the new time
  };
  try {
    const member = await signer(chain, 1); // owns the battery node: all the voting power
    const anyone = await signer(chain, 2);
    const upload = await operator.wasm.upload(operator.address, new Uint8Array(readFileSync(GOVERNANCE_WASM)), 'auto');
    const { contractAddress: governanceAddress } = await operator.wasm.instantiate(
      operator.address,
      upload.codeId,
      {
        registry: registryAddress,
        council: operator.address,
        threshold: { threshold: { majority: {} }, quorum: { percent_bps: 3_000 } },
        min_voting_period_seconds: 60,
        max_voting_period_seconds: 3_600,
        timelock_seconds: 600,
        allow_revoting: false,
        deposit: null,
        initial_policy: defaultAllocationPolicy,
      },
      'governance',
      'auto',
    );
    await new RegistryClient(operator.wasm, registryAddress, operator.address).updateConfig({
      governance: governanceAddress,
    });

    // the controller: a site short of power whose battery (30 % SoC) helps while above the reserve
    const site = demoSite({ loadW: 6_000, pvAvailableW: 0, socPct: 30 });
    const watcher = new PolicyWatcher(
      new GovernanceQueryClient(operator.wasm, governanceAddress),
      (p) => site.cycle.setPolicy(p),
      () => Date.now() + offsetMs,
    );
    await site.connect();
    let status = await watcher.pollOnce();
    assert.equal(status.lastError, null);
    assert.equal(status.inForce?.version, 1);
    for (let i = 0; i < 5; i++) await site.step();
    assert.ok(site.battery.setpointW > 0, 'with the 20 % reserve in force the battery discharges');

    const voter = new GovernanceClient(member.wasm, member.address, governanceAddress);
    const proposal = proposalIdFrom(
      await voter.propose('Keep 40 % for outages', 'Storm season: raise the battery reserve.', {
        ...defaultAllocationPolicy,
        battery_reserve_pct: 40,
      }),
    );
    await voter.castVote(proposal, 'yes', 'outages last week');
    await advance(61_000); // past the minimum voting period: the sole member's yes decides it

    status = await watcher.pollOnce();
    assert.equal(status.pending?.proposalId, proposal, 'the passed change is visible while it waits in its timelock');
    assert.equal(status.pending?.policy.battery_reserve_pct, 40);
    assert.equal(status.inForce?.version, 1, 'not yet in force');
    await assert.rejects(
      new GovernanceClient(anyone.wasm, anyone.address, governanceAddress).executeProposal(proposal),
      /timelock|not executable|veto/i,
    );
    for (let i = 0; i < 5; i++) await site.step();
    assert.ok(site.battery.setpointW > 0, 'the controller keeps the policy in force until the change takes effect');

    await advance(601_000);
    await new GovernanceClient(anyone.wasm, anyone.address, governanceAddress).executeProposal(proposal);
    status = await watcher.pollOnce();
    assert.equal(status.inForce?.version, 2);
    assert.equal(status.inForce?.policy.battery_reserve_pct, 40);
    assert.equal(status.pending, null);
    assert.equal(site.cycle.policyInForce.version, 2, 'the controller reports the version it runs');
    for (let i = 0; i < 10; i++) await site.step();
    assert.equal(site.battery.setpointW, 0, 'at 30 % SoC and a 40 % reserve the battery no longer discharges');
    assert.match(site.cycle.lastReport!.decision!.ranges['battery-1']!.range.maxReason, /reserve 40 %/);
    await site.cycle.stop();
  } finally {
    await chain.stop();
  }
});

test('a chain that cannot be reached leaves the policy in force and says why', async () => {
  const site = demoSite();
  const applied: number[] = [];
  const watcher = new PolicyWatcher(
    {
      policy: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
      pendingPolicy: () => Promise.resolve(null),
    },
    (p) => applied.push(p.version),
  );
  const status = await watcher.pollOnce();
  assert.match(status.lastError ?? '', /ECONNREFUSED/);
  assert.equal(status.inForce, null);
  assert.deepEqual(applied, []);
  assert.equal(site.cycle.policyInForce.version, 0, 'the local default stays');
});

test('a policy from chain outside the bounds is not applied', async () => {
  const applied: number[] = [];
  const watcher = new PolicyWatcher(
    {
      policy: () =>
        Promise.resolve({
          version: 7,
          policy: { ...defaultAllocationPolicy, battery_reserve_pct: 95 },
          effective_from: '0',
        }),
      pendingPolicy: () => Promise.resolve(null),
    },
    (p) => applied.push(p.version),
  );
  const status = await watcher.pollOnce();
  assert.match(status.lastError ?? '', /battery_reserve_pct/);
  assert.deepEqual(applied, []);
});

test('a pending-policy query that fails does not stop the watcher following the policy in force', async () => {
  const applied: number[] = [];
  const watcher = new PolicyWatcher(
    {
      policy: () =>
        Promise.resolve({
          version: 3,
          policy: { ...defaultAllocationPolicy, battery_reserve_pct: 40 },
          effective_from: '0',
        }),
      // what a real node answers when a query runs past its gas limit
      pendingPolicy: () => Promise.reject(new Error('query wasm contract failed: out of gas in location: ReadFlat')),
    },
    (p) => applied.push(p.version),
  );
  const status = await watcher.pollOnce();
  assert.deepEqual(applied, [3], 'the policy in force is applied');
  assert.equal(status.inForce?.policy.battery_reserve_pct, 40);
  assert.equal(status.pending, null);
  assert.match(status.lastError ?? '', /^pending policy: .*out of gas/);
});

test("a version the chain put in force applies by the chain's clock when the chain runs ahead of the controller's", async () => {
  const controllerNowMs = 1_800_000_000_000;
  const executedAtMs = controllerNowMs + 180_000; // the chain is three minutes ahead
  const inForce = {
    version: 2,
    policy: { ...defaultAllocationPolicy, battery_reserve_pct: 30 },
    effective_from: String(BigInt(executedAtMs) * 1_000_000n),
  };
  const behind: number[] = [];
  const withoutChainClock = new PolicyWatcher(
    { policy: () => Promise.resolve(inForce), pendingPolicy: () => Promise.resolve(null) },
    (p) => behind.push(p.version),
    () => controllerNowMs,
  );
  await withoutChainClock.pollOnce();
  assert.deepEqual(behind, [], "by the controller's own clock alone the version is not in force yet");

  const applied: number[] = [];
  const watcher = new PolicyWatcher(
    {
      policy: () => Promise.resolve(inForce),
      pendingPolicy: () => Promise.resolve(null),
      latestBlockTimeMs: () => Promise.resolve(executedAtMs + 1_000),
    },
    (p) => applied.push(p.version),
    () => controllerNowMs,
  );
  const status = await watcher.pollOnce();
  assert.deepEqual(applied, [2]);
  assert.equal(status.inForce?.policy.battery_reserve_pct, 30);
});
