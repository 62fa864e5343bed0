import { parseArgs } from 'node:util';
import { startLocalChain, type LocalChain } from './local-chain.ts';

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
  --dev-accounts N      how many development accounts a new chain funds (default 3)
  --allow-time-travel   development only: answer dev_advance_time {seconds}, which moves the block clock forward
  --json                print one JSON line {"ready": {...}} when the RPC answers, instead of the text below
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
      'dev-accounts': { type: 'string' },
      'allow-time-travel': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
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

const devAccountCount = values['dev-accounts'] === undefined ? undefined : Number(values['dev-accounts']);
if (
  devAccountCount !== undefined &&
  (!Number.isInteger(devAccountCount) || devAccountCount < 1 || devAccountCount > 100)
)
  fail(`--dev-accounts must be an integer between 1 and 100, got ${values['dev-accounts']}`);

let chain: LocalChain;
try {
  chain = await startLocalChain({
    port,
    host: values.host,
    dataDir: values['data-dir'],
    reset: values.reset,
    corsAllowedOrigins: values['cors-origin'],
    allowTimeTravel: values['allow-time-travel'],
    ...(blockTimeMs !== undefined ? { blockTimeMs } : {}),
    ...(values['chain-id'] ? { chainId: values['chain-id'] } : {}),
    ...(devAccountCount !== undefined ? { genesis: { devAccountCount } } : {}),
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    console.error(
      `port ${port} on ${values.host} is already in use (another chain running?); pick another with --port`,
    );
  else if (code === 'EADDRNOTAVAIL' || code === 'EACCES')
    console.error(`cannot listen on ${values.host}:${port}: ${code}`);
  else console.error(`the chain did not start: ${(error as Error).message}`);
  process.exit(1);
}
if (values.json) {
  // one line a parent process reads (startChainProcess); the mnemonics are the well-known development ones
  console.log(
    JSON.stringify({
      ready: {
        rpcUrl: chain.rpcUrl,
        chainId: chain.chainId,
        denom: chain.denom,
        prefix: chain.prefix,
        minGasPrice: chain.minGasPrice,
        gasPrice: chain.gasPrice,
        devAccounts: chain.devAccounts,
        pid: process.pid,
      },
    }),
  );
} else {
  console.log(
    `GridCoop local chain ${chain.chainId} at ${chain.rpcUrl} (height ${chain.height()}, data in ${values['data-dir']})`,
  );
  console.log(`denom ${chain.denom}, prefix ${chain.prefix}, minimum gas price ${chain.gasPrice}`);
  if (values['cors-origin'].length) console.log(`browser pages allowed from: ${values['cors-origin'].join(', ')}`);
  for (const [i, account] of chain.devAccounts.entries()) {
    console.log(`dev account ${i}: ${account.address}\n  mnemonic: ${account.mnemonic}`);
  }
  if (values['allow-time-travel']) console.log('time travel on: dev_advance_time {seconds} moves the block clock');
}
const shutdown = async () => {
  await chain.stop();
  process.exit(0);
};
// a parent that dies without stopping us closes our stdin: stop with it rather than hold the port
if (values.json) {
  process.stdin.on('end', () => void shutdown());
  process.stdin.resume();
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
