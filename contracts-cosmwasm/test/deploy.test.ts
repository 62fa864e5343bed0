import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { RegistryQueryClient } from '../client/registry-client.ts';
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
    chain = await startLocalChain({ blockTimeMs: 50 });
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

  test("GridCoop's own plan deploys the registry and governance and wires governance into the registry", async () => {
    const outFile = join(dir, 'gridcoop.json');
    const plan = readDeployPlan(fileURLToPath(new URL('../deploy/gridcoop-local.plan.json', import.meta.url)));
    for (const contract of plan.contracts) if (!existsSync(contract.wasmPath)) buildContracts();
    const deployment = await deployContracts({
      network,
      mnemonic: chain.devAccounts[0]!.mnemonic,
      ...plan,
      outFile,
      broadcastPollIntervalMs: 50,
    });
    const client = await CosmWasmClient.connect(chain.rpcUrl);
    const registry = new RegistryQueryClient(client, deployment.contracts.registry!.address);
    const governance = new GovernanceQueryClient(client, deployment.contracts.governance!.address);
    assert.equal((await registry.config()).governance, deployment.contracts.governance!.address);
    assert.equal((await governance.config()).registry, deployment.contracts.registry!.address);
    assert.equal((await governance.policy()).version, 1);
    assert.deepEqual(readDeployment(outFile).contracts.governance, deployment.contracts.governance);
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
      4,
      'no code was uploaded by the refused deploys',
    );
  });
});
