import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deployContracts, deploymentPath } from './deploy-contracts.ts';
import { networkPreset } from './networks.ts';
import { readDeployPlan } from './plan.ts';

// `GRIDCOOP_MNEMONIC="..." npm run deploy -- [--network local|pion-1|constantine-3] [--rpc URL] [--plan file]
//   [--out-dir .gridcoop/deployments]` — writes <out-dir>/<chain-id>.json

const USAGE = `usage: GRIDCOOP_MNEMONIC="..." npm run deploy -- [options]
  --network NAME     local | pion-1 (Neutron testnet) | constantine-3 (Archway testnet); default local
  --rpc URL          the node's RPC, instead of the preset's
  --gas-price P      e.g. 0.0053untrn, instead of the preset's
  --plan FILE        the deploy plan; default contracts-cosmwasm/deploy/gridcoop-local.plan.json
  --out-dir DIR      where <chain-id>.json is written; default .gridcoop/deployments
  -h, --help         show this help`;

const options = {
  network: { type: 'string', default: 'local' },
  rpc: { type: 'string' },
  'gas-price': { type: 'string' },
  plan: { type: 'string', default: join(import.meta.dirname, 'gridcoop-local.plan.json') },
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
  const outFile = deploymentPath(values['out-dir'], network.chainId);
  const deployment = await deployContracts({ network, mnemonic: process.env.GRIDCOOP_MNEMONIC, ...plan, outFile });
  for (const [name, c] of Object.entries(deployment.contracts))
    console.log(`${name}: code ${c.codeId}, address ${c.address}`);
  console.log(`deployment written to ${outFile}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
