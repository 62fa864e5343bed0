import { parseArgs } from 'node:util';
import { startLocalChain } from './local-chain.ts';

// `npm run chain -- [--port 26657] [--data-dir .gridcoop/chain] [--reset] [--block-ms 1000] [--chain-id ...]
//                   [--cors-origin http://127.0.0.1:5173 ...]`

const usage = `Usage: npm run chain -- [options]

Runs GridCoop's local development chain: a CometBFT 0.38-style JSON-RPC node with CosmWasm, on 127.0.0.1.

Options:
  --port N              RPC port (default 26657; 0 lets the OS pick)
  --host ADDRESS        address to listen on (default 127.0.0.1)
  --data-dir DIR        where genesis.json and blocks.jsonl live (default .gridcoop/chain)
  --reset               start a fresh chain even if DIR holds one
  --block-ms N          block time in milliseconds (default 1000)
  --chain-id ID         chain id of a new chain (default gridcoop-local-1)
  --cors-origin ORIGIN  let browser pages from ORIGIN call the RPC (repeatable; "*" for any; none by default)
  -h, --help            show this help`;

function fail(message: string): never {
  console.error(`${message}\n(see npm run chain -- --help)`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '26657' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: '.gridcoop/chain' },
      reset: { type: 'boolean', default: false },
      'block-ms': { type: 'string' },
      'chain-id': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be an integer between 0 and 65535, got ${values.port}`);
const blockTimeMs = values['block-ms'] === undefined ? undefined : Number(values['block-ms']);
if (blockTimeMs !== undefined && (!Number.isInteger(blockTimeMs) || blockTimeMs <= 0))
  fail(`--block-ms must be a positive integer, got ${values['block-ms']}`);
for (const origin of values['cors-origin']) {
  if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin))
    fail(`--cors-origin must be "*" or a scheme and host such as http://127.0.0.1:5173, got ${origin}`);
}

const chain = await startLocalChain({
  port,
  host: values.host,
  dataDir: values['data-dir'],
  reset: values.reset,
  corsAllowedOrigins: values['cors-origin'],
  ...(blockTimeMs !== undefined ? { blockTimeMs } : {}),
  ...(values['chain-id'] ? { chainId: values['chain-id'] } : {}),
});
console.log(
  `GridCoop local chain ${chain.chainId} at ${chain.rpcUrl} (height ${chain.height()}, data in ${values['data-dir']})`,
);
console.log(`denom ${chain.denom}, prefix ${chain.prefix}, minimum gas price ${chain.gasPrice}`);
if (values['cors-origin'].length) console.log(`browser pages allowed from: ${values['cors-origin'].join(', ')}`);
for (const [i, account] of chain.devAccounts.entries()) {
  console.log(`dev account ${i}: ${account.address}\n  mnemonic: ${account.mnemonic}`);
}
const shutdown = async () => {
  await chain.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
