import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryClient, RegistryQueryClient } from '@gridcoop/contracts';
import { ORACLE_MNEMONIC_ENV } from '@gridcoop/controller/config/index';
import type { LocalChain } from '../../../contracts-cosmwasm/chain/local-chain.ts';
import { startLocalChain } from '../../../contracts-cosmwasm/chain/local-chain.ts';
import { registryWasm, signer } from '../../../controller/test/ledger/chain-fixture.ts';
import {
  smallPlant,
  startControllerFixture,
  type ControllerFixture,
} from '../../../controller/test/service/controller-fixture.ts';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { TestHost } from '../support/test-host.ts';

// Two real site controllers (simulated plants over Modbus TCP and OPC UA, manual clocks), each its own registry site
// with its own oracle key, recording 60-s intervals on a local chain, linked through a real Mosquitto that is stopped
// while an interval closes and started again later.
const INTERVAL_S = 60;
const PASSWORD_ENV = 'TEST_FLEET_PASSWORD';
const SITES = ['site-a', 'site-b'] as const;
const TARGET_VALID_S = 40;

let chain: LocalChain;
let registryAddress: string;
let fleet: TestBroker;
let host: TestHost;
let dir: string;
/** CosmJS clients keep their HTTP connections open: each one made here is disconnected at the end. */
const clients: Array<{ disconnect(): void }> = [];
async function chainSigner(index: number) {
  const made = await signer(chain, index);
  clients.push(made.wasm, made.bank);
  return made;
}
const sites = new Map<string, { fixture: ControllerFixture; nodes: Record<string, number> }>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gridcoop-broker-restart-'));
  chain = await startLocalChain({ blockTimeMs: 50 });
  const admin = await chainSigner(0); // also site-a's oracle (the registry's default site)
  const owner = await chainSigner(1);
  const siteBOracle = chain.devAccounts[2]!;
  const upload = await admin.wasm.upload(admin.address, registryWasm(), 'auto');
  ({ contractAddress: registryAddress } = await admin.wasm.instantiate(
    admin.address,
    upload.codeId,
    {
      admin: null,
      operator: admin.address,
      governance: null,
      oracles: [admin.address],
      default_site: 'site-a',
      sites: [{ site: 'site-b', oracles: [siteBOracle.address] }],
      reward_denom: chain.denom,
      interval_s: INTERVAL_S,
      epoch_length_s: 86_400,
      settlement_delay_s: 3_600,
      reward_policy: null,
    },
    'registry',
    'auto',
  ));
  const asOwner = new RegistryClient(owner.wasm, registryAddress, owner.address);
  const asOperator = new RegistryClient(admin.wasm, registryAddress, admin.address);
  const nodesOf: Record<string, Record<string, number>> = {};
  for (const siteId of SITES) {
    nodesOf[siteId] = {};
    for (const node of [
      { deviceId: 'pv-1', kind: 'pv' as const, ratedPowerW: 15_000 },
      { deviceId: 'battery-1', kind: 'battery' as const, ratedPowerW: 10_000, energyCapacityWh: 20_000 },
    ]) {
      const { deviceId, ...registration } = node;
      await asOwner.registerNode({ ...registration, zone: `zone-${siteId}` });
      const { nodes } = await asOwner.nodes({ owner: owner.address, limit: 30 });
      const id = nodes.at(-1)!.id;
      await asOperator.approveNode(id, siteId);
      nodesOf[siteId]![deviceId] = id;
    }
  }
  fleet = await startTestBroker([...SITES], { persistence: true });
  host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
  for (const [index, siteId] of SITES.entries()) {
    const fixture = await startControllerFixture({
      plant: { ...smallPlant, miners: [] },
      config: {
        planner: { enabled: false },
        fleet: { siteId, zone: `zone-${siteId}`, brokerUrl: fleet.broker.url, passwordEnv: PASSWORD_ENV },
        ledger: {
          mode: 'cosmwasm',
          chain: {
            rpcUrl: chain.rpcUrl,
            chainId: chain.chainId,
            prefix: chain.prefix,
            gasPrice: chain.gasPrice,
            broadcastPollIntervalMs: 20,
          },
          registryAddress,
          intervalS: INTERVAL_S,
          outboxPath: join(dir, `${siteId}-outbox.sqlite`),
          retryInitialMs: 100,
          nodes: nodesOf[siteId]!,
        },
      },
      env: {
        [PASSWORD_ENV]: fleet.credentials.sites[siteId]!.password,
        [ORACLE_MNEMONIC_ENV]: chain.devAccounts[index === 0 ? 0 : 2]!.mnemonic,
      },
    });
    sites.set(siteId, { fixture, nodes: nodesOf[siteId]! });
    await fixture.untilOnline();
  }
});

after(async () => {
  for (const { fixture } of sites.values()) await fixture.stop().catch(() => undefined);
  await host?.close();
  await fleet?.close();
  for (const client of clients) client.disconnect();
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fixtures = (): ControllerFixture[] => [...sites.values()].map((site) => site.fixture);
const secondsIntoInterval = (fixture: ControllerFixture): number =>
  Math.floor(fixture.scheduler.now() / 1000) % INTERVAL_S;

async function until(what: string, done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 2_400 && !done(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.ok(done(), `never: ${what}`);
}

test('through a broker restart at an interval close: last targets held until expiry, reconnected, each interval on chain once', async () => {
  // Born, then on to 50 s into an interval.
  for (const fixture of fixtures()) await fixture.cycles(2);
  for (const siteId of SITES) await host.next('NBIRTH', (e) => e.siteId === siteId);
  // The first interval began before the devices were read: the controller records only whole intervals after it.
  for (const fixture of fixtures()) await fixture.cycles(INTERVAL_S);
  for (const fixture of fixtures()) {
    const to50 = (50 - secondsIntoInterval(fixture) + INTERVAL_S) % INTERVAL_S;
    if (to50 > 0) await fixture.cycles(to50);
  }
  const targets = new Map<string, number>();
  for (const [siteId, { fixture }] of sites) {
    const gridTargetW = 2_000;
    const nowMs = fixture.scheduler.now();
    targets.set(siteId, gridTargetW);
    await host.sendTarget(
      siteId,
      { targetId: `${siteId}-t1`, gridTargetW, issuedAtMs: nowMs, expiresAtMs: nowMs + TARGET_VALID_S * 1000 },
      nowMs,
    );
  }
  for (const { fixture } of sites.values()) {
    await until('the target accepted', () => fixture.logLines.some((line) => line.msg === 'VPP target accepted'));
    assert.equal((await fixture.cycles(1)).inputs?.operatorTarget?.source, 'vpp');
  }

  // The broker goes down 51 s into the interval; the interval closes while it is down.
  await fleet.broker.stop();
  for (const { fixture } of sites.values()) {
    await until('the link lost', () => fixture.controller.service.status().fleet?.connected === false);
  }
  const closedDuringOutage = new Map<string, number>();
  for (const [siteId, { fixture }] of sites) {
    const startedAtMs = fixture.scheduler.now();
    closedDuringOutage.set(siteId, Math.floor(startedAtMs / 1000 / INTERVAL_S) * INTERVAL_S);
    // Until the target's expiry (issued at 50 s, 40 s valid): the site keeps following its last target.
    for (let n = 0; n < TARGET_VALID_S - 3; n += 1) {
      const report = await fixture.cycles(1);
      assert.equal(report.inputs?.operatorTarget?.source, 'vpp', `cycle ${n} of the outage`);
      assert.equal(report.inputs?.operatorTarget?.gridW, targets.get(siteId));
    }
    // Past it: back to the local policy on its own, without a word from the (unreachable) aggregator.
    const report = await fixture.cycles(3);
    assert.equal(report.inputs?.operatorTarget, null);
    assert.ok(
      fixture.logLines.some((line) => line.msg === 'VPP target expired without a refresh: back to the local policy'),
    );
    assert.equal(fixture.controller.service.status().fleet?.connected, false, 'still cut off: the broker is down');
  }

  // Started again on the same port: every site reconnects and is born again with its next bdSeq.
  await fleet.broker.restart();
  await host.close();
  host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
  for (const [siteId, { fixture }] of sites) {
    await until(`${siteId} born again`, () => {
      const link = fixture.controller.service.status().fleet;
      return link?.connected === true && link.born === true && link.bdSeq === 1;
    });
    await host.next('NBIRTH', (e) => e.siteId === siteId && e.birth.bdSeq === 1);
  }
  // Two more intervals close with the broker up.
  for (const fixture of fixtures()) await fixture.cycles(2 * INTERVAL_S);

  for (const [siteId, { fixture, nodes }] of sites) {
    const ledger = () => fixture.controller.service.ledger();
    await until(`${siteId}'s outbox drained`, () => ledger().outbox!.pending === 0 && ledger().outbox!.done >= 4);
    assert.equal(ledger().outbox!.rejected, 0);
    const registry = new RegistryQueryClient((await chainSigner(1)).wasm, registryAddress);
    for (const [deviceId, nodeId] of Object.entries(nodes)) {
      const sent = fixture.controller.service
        .ledgerRecords({ nodeId, limit: 1_000 })
        .map((record) => record.intervalStartS)
        .sort((a, b) => a - b);
      const onChain = (await registry.records(nodeId, { limit: 100 })).records.map((r) => r.record.interval_start);
      assert.deepEqual(onChain, sent, `${siteId}/${deviceId}: exactly the intervals the controller closed`);
      assert.equal(new Set(onChain).size, onChain.length, 'each interval once');
      for (let i = 1; i < onChain.length; i += 1) assert.equal(onChain[i]! - onChain[i - 1]!, INTERVAL_S, 'no gap');
      const outageInterval = closedDuringOutage.get(siteId)!;
      assert.ok(onChain.includes(outageInterval), `the interval that closed during the outage (${outageInterval})`);
      assert.ok(onChain.includes(outageInterval + 2 * INTERVAL_S), 'and the ones after the restart');
    }
  }
});
