import { parseArgs } from 'node:util';
import { startLocalChain } from './local-chain.ts';

// `npm run chain -- [--port 26657] [--data-dir .gridcoop/chain] [--reset] [--block-ms 1000] [--chain-id ...]`

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '26657' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: '.gridcoop/chain' },
    reset: { type: 'boolean', default: false },
    'block-ms': { type: 'string' },
    'chain-id': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer between 0 and 65535, got ${values.port}`);
  process.exit(2);
}
const blockTimeMs = values['block-ms'] === undefined ? undefined : Number(values['block-ms']);
if (blockTimeMs !== undefined && (!Number.isInteger(blockTimeMs) || blockTimeMs <= 0)) {
  console.error(`--block-ms must be a positive integer, got ${values['block-ms']}`);
  process.exit(2);
}

const chain = await startLocalChain({
  port,
  host: values.host,
  dataDir: values['data-dir'],
  reset: values.reset,
  ...(blockTimeMs !== undefined ? { blockTimeMs } : {}),
  ...(values['chain-id'] ? { chainId: values['chain-id'] } : {}),
});
console.log(
  `GridCoop local chain ${chain.chainId} at ${chain.rpcUrl} (height ${chain.height()}, data in ${values['data-dir']})`,
);
console.log(`denom ${chain.denom}, prefix ${chain.prefix}, minimum gas price ${chain.gasPrice}`);
for (const [i, account] of chain.devAccounts.entries()) {
  console.log(`dev account ${i}: ${account.address}\n  mnemonic: ${account.mnemonic}`);
}
const shutdown = async () => {
  await chain.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
