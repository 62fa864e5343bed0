import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';
import { deployContracts, readDeployment, DeployError } from '../deploy/deploy-contracts.ts';
import { readDeployPlan, DeployPlanError } from '../deploy/plan.ts';
import type { NetworkConfig } from '../deploy/networks.ts';
import { fileURLToPath } from 'node:url';
import { GovernanceQueryClient } from '../client/governance-client.ts';
import { RegistryClient, RegistryQueryClient } from '../client/registry-client.ts';
import { signingClient } from './chain-fixture.ts';
import { buildContracts } from '../scripts/build.ts';

// The deploy mechanics against the local chain. Until the GridCoop wasm artifacts exist, two cw-plus contracts stand
// in: cw20-base, then cw4-group whose admin is the first contract's address (a "$name" reference).

const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve('@oraichain/common-contracts-build/package.json')), 'data');
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-deploy-'));

describe('deploy command', () => {
  let chain: LocalChain;
  let network: NetworkConfig;

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 50, genesis: { devAccountCount: 6 } });
    network = {
      name: 'local',
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      bech32Prefix: chain.prefix,
      gasPrice: chain.gasPrice,
    };
  });
  after(async () => {
    await chain?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('contracts are uploaded and instantiated in order and their addresses written to the deployment file', async () => {
    const planFile = join(dir, 'plan.json');
    writeFileSync(
      planFile,
      JSON.stringify({
        contracts: [
          {
            name: 'token',
            wasm: join(wasmDir, 'cw20-base.wasm'),
            label: 'token',
            instantiateMsg: {
              name: 'Grid',
              symbol: 'GRID',
              decimals: 6,
              initial_balances: [{ address: '$deployer', amount: '5' }],
            },
          },
          {
            name: 'group',
            wasm: join(wasmDir, 'cw4-group.wasm'),
            label: 'group',
            instantiateMsg: { admin: '$token', members: [{ addr: '$deployer', weight: 1 }] },
          },
        ],
      }),
    );
    const outFile = join(dir, 'deployments', `${chain.chainId}.json`);
    const deployment = await deployContracts({
      network,
      mnemonic: chain.devAccounts[0]!.mnemonic,
      ...readDeployPlan(planFile),
      outFile,
      broadcastPollIntervalMs: 50,
    });
    const written = readDeployment(outFile);
    assert.deepEqual(written, deployment);
    assert.equal(written.deployer, chain.devAccounts[0]!.address);
    const reader = await CosmWasmClient.connect(chain.rpcUrl);
    try {
      assert.deepEqual(
        await reader.queryContractSmart(written.contracts.token!.address, { balance: { address: written.deployer } }),
        { balance: '5' },
      );
      assert.deepEqual(await reader.queryContractSmart(written.contracts.group!.address, { admin: {} }), {
        admin: written.contracts.token!.address,
      });
    } finally {
      reader.disconnect();
    }
  });

  /** dev accounts 1-5 as the five roles; the deployer (dev 0) holds none of them */
  const roleAddresses = () => ({
    admin: chain.devAccounts[1]!.address,
    operator: chain.devAccounts[2]!.address,
    oracle: chain.devAccounts[3]!.address,
    council: chain.devAccounts[4]!.address,
    migrate_admin: chain.devAccounts[5]!.address,
  });

  test("GridCoop's own plan gives each role its own key and leaves the deployer holding nothing", async () => {
    const outFile = join(dir, 'gridcoop.json');
    const plan = readDeployPlan(fileURLToPath(new URL('../deploy/gridcoop-local.plan.json', import.meta.url)));
    for (const contract of plan.contracts) if (!existsSync(contract.wasmPath)) buildContracts();
    const roles = roleAddresses();
    const deployment = await deployContracts({
      network,
      mnemonic: chain.devAccounts[0]!.mnemonic,
      ...plan,
      roleAddresses: roles,
      outFile,
      broadcastPollIntervalMs: 50,
    });
    const client = await CosmWasmClient.connect(chain.rpcUrl);
    const registryAddress = deployment.contracts.registry!.address;
    const registry = new RegistryQueryClient(client, registryAddress);
    const governance = new GovernanceQueryClient(client, deployment.contracts.governance!.address);
    const config = await registry.config();
    assert.equal(config.governance, deployment.contracts.governance!.address);
    assert.equal(config.operator, roles.operator);
    assert.deepEqual((await registry.oracles()).oracles, [roles.oracle]);
    assert.equal((await governance.config()).council, roles.council);
    assert.equal((await governance.config()).registry, registryAddress);
    assert.equal((await governance.policy()).version, 1);
    for (const name of ['registry', 'governance']) {
      const address = deployment.contracts[name]!.address;
      assert.equal((await client.getContract(address)).admin, roles.migrate_admin, `${name}'s migrate admin`);
      assert.equal(deployment.contracts[name]!.migrateAdmin, roles.migrate_admin);
    }
    // the registry's admin role waits for the admin key to accept it; until then the deployer still holds it
    assert.deepEqual(await registry.ownership(), { admin: deployment.deployer, pending_admin: roles.admin });
    const admin = await signingClient(chain, 1, 50);
    await new RegistryClient(admin.client, registryAddress, admin.address).acceptAdmin();
    assert.deepEqual(await registry.ownership(), { admin: roles.admin, pending_admin: null });
    admin.client.disconnect();
    assert.deepEqual(readDeployment(outFile).roles, roles);
    assert.ok(!readFileSync(outFile, 'utf8').includes(chain.devAccounts[0]!.mnemonic), 'no key in the file');
    client.disconnect();
  });

  test('a contract can be handed to the governance contract as its migrate admin', async () => {
    const plan = readDeployPlan(fileURLToPath(new URL('../deploy/gridcoop-local.plan.json', import.meta.url)));
    const contracts = plan.contracts.map((c) => ({ ...c, admin: '$governance' }));
    const deployment = await deployContracts({
      network,
      mnemonic: chain.devAccounts[0]!.mnemonic,
      ...plan,
      contracts,
      roleAddresses: roleAddresses(),
      outFile: join(dir, 'to-governance.json'),
      broadcastPollIntervalMs: 50,
    });
    const client = await CosmWasmClient.connect(chain.rpcUrl);
    const governance = deployment.contracts.governance!.address;
    for (const name of ['registry', 'governance'])
      assert.equal((await client.getContract(deployment.contracts[name]!.address)).admin, governance);
    client.disconnect();
  });

  test('roles are refused when missing or when the oracle shares a key; dev keys off the local chain in one line', async () => {
    const plan = readDeployPlan(fileURLToPath(new URL('../deploy/gridcoop-local.plan.json', import.meta.url)));
    const outFile = join(dir, 'refused.json');
    const mnemonic = chain.devAccounts[0]!.mnemonic;
    const { oracle: _oracle, ...withoutOracle } = roleAddresses();
    await assert.rejects(
      deployContracts({ network, mnemonic, ...plan, roleAddresses: withoutOracle, outFile }),
      (e: unknown) =>
        e instanceof DeployError && /the plan needs the oracle role's address: --role oracle=ADDRESS/.test(e.message),
    );
    const shared = { ...roleAddresses(), oracle: chain.devAccounts[2]!.address };
    await assert.rejects(
      deployContracts({ network, mnemonic, ...plan, roleAddresses: shared, outFile }),
      (e: unknown) =>
        e instanceof DeployError && /the oracle key must be its own key, but it is also the operator's/.test(e.message),
    );
    await assert.rejects(
      deployContracts({
        network: { ...network, chainId: 'pion-1' },
        mnemonic,
        ...plan,
        roleAddresses: roleAddresses(),
        outFile,
      }),
      (e: unknown) =>
        e instanceof DeployError &&
        e.message ===
          'GRIDCOOP_MNEMONIC is the well-known development key of dev account 0: it is accepted on the local chain gridcoop-local-1 only, not on pion-1',
    );
    assert.equal(existsSync(outFile), false);
  });

  test('a wiring step naming a contract that is not in the plan is refused when the plan is read', () => {
    const planFile = join(dir, 'bad-wiring.json');
    writeFileSync(
      planFile,
      JSON.stringify({
        contracts: [{ name: 'token', wasm: join(wasmDir, 'cw20-base.wasm'), label: 'token', instantiateMsg: {} }],
        then: [{ execute: 'registry', msg: { update_config: {} } }],
      }),
    );
    assert.throws(
      () => readDeployPlan(planFile),
      (e: unknown) => e instanceof DeployPlanError && /then: registry is not a contract/.test(e.message),
    );
  });

  test('a missing mnemonic, a missing wasm file and a bad plan are refused before anything is sent', async () => {
    const outFile = join(dir, 'never.json');
    const contracts = [{ name: 'registry', wasmPath: join(dir, 'no-such.wasm'), label: 'r', instantiateMsg: {} }];
    await assert.rejects(
      deployContracts({ network, mnemonic: undefined, contracts, outFile }),
      (e: unknown) => e instanceof DeployError && /GRIDCOOP_MNEMONIC/.test(e.message),
    );
    await assert.rejects(
      deployContracts({ network, mnemonic: chain.devAccounts[0]!.mnemonic, contracts, outFile }),
      (e: unknown) =>
        e instanceof DeployError && e.contract === 'registry' && /no-such\.wasm not found/.test(e.message),
    );
    const badPlan = join(dir, 'bad-plan.json');
    writeFileSync(badPlan, JSON.stringify({ contracts: [{ name: 'registry' }] }));
    assert.throws(
      () => readDeployPlan(badPlan),
      (e: unknown) => e instanceof DeployPlanError && /contracts\.0\.wasm/.test(e.message),
    );
    assert.equal(existsSync(outFile), false);
    assert.equal(
      (await (await CosmWasmClient.connect(chain.rpcUrl)).getCodes()).length,
      6,
      'no code was uploaded by the refused deploys',
    );
  });
});
