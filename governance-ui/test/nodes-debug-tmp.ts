import { writeFileSync } from 'node:fs';
import { startUiTestSystem } from './support/system.ts';
const system = await startUiTestSystem();
writeFileSync(
  '/tmp/nodesdbg/system.json',
  JSON.stringify({
    ui: system.ui.url,
    rpc: system.chain.rpcUrl,
    registry: system.registryAddress,
    m1: system.account(1).mnemonic,
  }),
);
console.log('READY', system.ui.url);
await new Promise((r) => setTimeout(r, 25 * 60_000));
await system.stop();
