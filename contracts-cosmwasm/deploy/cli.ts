import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deployContracts, deploymentPath } from './deploy-contracts.ts';
import { networkPreset } from './networks.ts';
import { readDeployPlan } from './plan.ts';

// `GRIDCOOP_MNEMONIC="..." npm run deploy -- [--network local|pion-1|constantine-3] [--rpc URL] [--plan file]
//   [--role admin=ADDR ...] [--out-dir .gridcoop/deployments]` — writes <out-dir>/<chain-id>.json

const USAGE = `usage: GRIDCOOP_MNEMONIC="..." npm run deploy -- [options]
  --network NAME     local | pion-1 (Neutron testnet) | constantine-3 (Archway testnet); default local
  --rpc URL          the node's RPC, instead of the preset's
  --gas-price P      e.g. 0.0053untrn, instead of the preset's
  --plan FILE        the deploy plan; default contracts-cosmwasm/deploy/gridcoop-local.plan.json
  --role NAME=ADDR   the address of a role the plan names (admin, operator, oracle, council, migrate_admin);
                     repeat per role, or set GRIDCOOP_ROLE_<NAME>=ADDR. Addresses only: no role key is read.
  --out-dir DIR      where <chain-id>.json is written; default .gridcoop/deployments
  -h, --help         show this help
GRIDCOOP_MNEMONIC is the deployer's key: it uploads, instantiates and wires, then hands each contract's migrate
right to its planned admin, so it holds nothing afterwards. The local chain's development keys are refused on any
other chain.`;

const options = {
  network: { type: 'string', default: 'local' },
  rpc: { type: 'string' },
  'gas-price': { type: 'string' },
  plan: { type: 'string', default: join(import.meta.dirname, 'gridcoop-local.plan.json') },
  role: { type: 'string', multiple: true, default: [] as string[] },
  'out-dir': { type: 'string', default: '.gridcoop/deployments' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
try {
  ({ values } = parseArgs({ options }));
} catch (error) {
  console.error(`${(error as Error).message.split('\n')[0]}\n(see npm run deploy -- --help)`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  const preset = networkPreset(values.network);
  const network = {
    ...preset,
    ...(values.rpc ? { rpcUrl: values.rpc } : {}),
    ...(values['gas-price'] ? { gasPrice: values['gas-price'] } : {}),
  };
  const plan = readDeployPlan(values.plan);
  const roleAddresses: Record<string, string> = {};
  for (const role of plan.roles) {
    const fromEnv = process.env[`GRIDCOOP_ROLE_${role.toUpperCase()}`];
    if (fromEnv) roleAddresses[role] = fromEnv;
  }
  for (const given of values.role) {
    const match = /^([a-z][a-z_]*)=(\S+)$/.exec(given);
    if (!match) {
      console.error(`--role ${given}: expected NAME=ADDRESS, e.g. --role oracle=neutron1...`);
      process.exit(2);
    }
    roleAddresses[match[1]!] = match[2]!;
  }
  const outFile = deploymentPath(values['out-dir'], network.chainId);
  const deployment = await deployContracts({
    network,
    mnemonic: process.env.GRIDCOOP_MNEMONIC,
    ...plan,
    roleAddresses,
    outFile,
  });
  for (const [name, c] of Object.entries(deployment.contracts))
    console.log(
      `${name}: code ${c.codeId}, address ${c.address}, migrate admin ${c.migrateAdmin ?? deployment.deployer}`,
    );
  if (plan.then.some((step) => 'propose_admin' in step.msg))
    console.log(`registry: the admin ${roleAddresses.admin ?? ''} must now send {"accept_admin":{}} to take the role`);
  console.log(`deployment written to ${outFile}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
