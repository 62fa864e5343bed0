/**
 * The system the browser tests run against: the real demo system (UI server, local chain with the contracts deployed
 * by the demo plan, and, unless `withoutPlant`, the simulated plant and the controller recording on chain), with the
 * chain's clock under the test's control, so voting periods, timelocks and epochs pass without waiting them out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSystem, type DemoSystem } from '../../../scripts/demo-system.ts';

export interface UiTestSystem extends DemoSystem {
  /** moves the chain's clock forward; the next block carries the new time */
  advanceChainTime(seconds: number): Promise<void>;
  /** dev account mnemonics and addresses of the demo chain (0 operator/council, 1 plant owner, 2-4 members) */
  account(index: number): { address: string; mnemonic: string };
}

export async function startUiTestSystem(
  options: { withoutPlant?: boolean; fleet?: boolean } = {},
): Promise<UiTestSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridcoop-ui-test-'));
  let offsetMs = 0;
  const system = await startDemoSystem({
    dataDir,
    chainNow: () => Date.now() + offsetMs,
    withoutPlant: options.withoutPlant ?? false,
    // the fleet (broker, aggregator, home sites) only for the tests that look at it: it costs the others start time
    fleet: options.fleet ?? false,
  });
  const heightNow = (): number => system.localChain!.height();
  return {
    ...system,
    async advanceChainTime(seconds) {
      offsetMs += seconds * 1000;
      // wait for a block made on the new clock, so queries see the new time
      const height = heightNow();
      while (heightNow() < height + 2) await new Promise((r) => setTimeout(r, 50));
    },
    account(index) {
      const account = system.chain.devAccounts[index];
      if (!account) throw new Error(`the demo chain has no dev account ${index}`);
      return account;
    },
    async stop() {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
