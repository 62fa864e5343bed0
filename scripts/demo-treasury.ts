/**
 * The demo's reward treasury: funds every reward epoch of the registry as it begins, from its own account, so
 * rewards are never 0 in a demo and an owner can claim within minutes of `npm start`. A real deployment funds
 * epochs from its DAO's treasury by governance or a multisig; this stands in for that, on the local chain only.
 */
import { RegistryClient } from '@gridcoop/contracts';
import { DEMO_TREASURY_ACCOUNT, signer, type DemoChain } from './demo-ledger.ts';

/** What each epoch gets: 100 GRID (the fee denom doubles as the reward denom on the local chain). */
export const DEMO_EPOCH_REWARD = { denom: 'ugrid', amount: '100000000' };
const CHECK_EVERY_MS = 5_000;

export interface DemoTreasury {
  /** epochs funded so far */
  funded(): number[];
  stop(): Promise<void>;
}

export async function startDemoTreasury(options: {
  chain: DemoChain;
  registryAddress: string;
  log: (line: string) => void;
}): Promise<DemoTreasury> {
  const treasury = await signer(options.chain, DEMO_TREASURY_ACCOUNT);
  const registry = new RegistryClient(treasury.client, options.registryAddress, treasury.address);
  const { epoch_length_s: epochLengthS } = await registry.config();
  const funded = new Set<number>();
  let busy: Promise<void> = Promise.resolve();
  let stopped = false;

  const fundCurrentEpoch = async (): Promise<void> => {
    const block = await treasury.client.getBlock();
    const epoch = Math.floor(Date.parse(block.header.time) / 1000 / epochLengthS);
    if (funded.has(epoch)) return;
    await registry.fundEpoch(epoch, [DEMO_EPOCH_REWARD]);
    funded.add(epoch);
    options.log(`demo treasury funded reward epoch ${epoch} with 100 GRID`);
  };
  const tick = (): void => {
    busy = busy
      .then(fundCurrentEpoch)
      .catch((error: unknown) =>
        options.log(`demo treasury: ${error instanceof Error ? error.message : String(error)}`),
      );
  };
  tick();
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, CHECK_EVERY_MS);
  return {
    funded: () => [...funded].sort((a, b) => a - b),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
      treasury.client.disconnect();
    },
  };
}
