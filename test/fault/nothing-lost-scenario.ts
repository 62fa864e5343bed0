// The nothing-lost world: a simulated plant (real Modbus servers) on a sped-up clock in this process, the local
// chain (real registry wasm, CosmJS over HTTP) in this process, and the real controller command line
// (npm run controller) with its outbox in a child process on the same simulated clock (its `clock` configuration).
// Shared by test/fault/nothing-lost.test.ts and test/bench/chain-outage-recovery.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromPlant } from '../../scripts/config-from-plant.ts';
import { ScaledScheduler } from '@gridcoop/controller/cycle/scaled-scheduler';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import type { PlantConfigInput } from '@gridcoop/devices/plant/plant-config';
import type { LocalChain } from '../../contracts-cosmwasm/chain/local-chain.ts';
import { ControllerChild } from './nothing-lost-controller-child.ts';
import { ModelCounterLog } from './nothing-lost-counters.ts';
import {
  RECORDING_INTERVAL_S,
  restartRegistryChain,
  startRegistryChain,
  type RecordingChainSetup,
  type RegistryNodeSpec,
} from './nothing-lost-chain.ts';
import { readOutbox, type OutboxTally } from './nothing-lost-ledger-check.ts';

/** 10:00 in Melbourne on a summer day of the vendored PV data: the sun is up. Far in the past, so every interval
 * ends long before the chain's (real-time) block time, which the registry requires. */
const SIM_START_MS = Date.UTC(2013, 11, 1, 0, 0);

export interface ScenarioOptions {
  /** Simulated ms per real ms. */
  speed: number;
  /** Records per transaction. */
  batchSize?: number;
  /** The submitter's back-off after a failed send, in real ms (it sleeps on the wall clock). */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

const PLANT: PlantConfigInput = {
  site: { loadPeakW: 6_000 },
  pvInverters: [
    { id: 'pv-1', ratedPowerW: 10_000 },
    { id: 'pv-2', ratedPowerW: 6_000 },
  ],
  // The battery runs at exactly the rating the registry knows, 3 kW: its whole-Wh counter may show 51 Wh for a
  // 50 Wh minute, and the meter must hold that back rather than have the registry refuse the interval.
  batteries: [{ id: 'battery-1', capacityWh: 10_000, maxChargeW: 3_000, maxDischargeW: 3_000, initialSocPct: 50 }],
  miners: [],
};

/** What the registry knows of each metered device (its nameplate). */
export const NODES: ReadonlyArray<RegistryNodeSpec & { model: 'pv' | 'battery' }> = [
  { deviceId: 'pv-1', kind: 'pv', ratedPowerW: 10_000, model: 'pv' },
  { deviceId: 'pv-2', kind: 'pv', ratedPowerW: 6_000, model: 'pv' },
  { deviceId: 'battery-1', kind: 'battery', ratedPowerW: 3_000, energyCapacityWh: 10_000, model: 'battery' },
];

export class NothingLostScenario {
  readonly intervalS = RECORDING_INTERVAL_S;
  /** Simulated length of one control cycle: the meters see one sample per cycle. */
  readonly cyclePeriodMs: number;

  private constructor(
    readonly dir: string,
    readonly clock: ScaledScheduler,
    readonly plant: RunningPlant,
    readonly setup: RecordingChainSetup,
    public chain: LocalChain | null,
    readonly controller: ControllerChild,
    readonly counters: ModelCounterLog,
    readonly outboxPath: string,
    cyclePeriodMs: number,
  ) {
    this.cyclePeriodMs = cyclePeriodMs;
  }

  static async start(options: ScenarioOptions): Promise<NothingLostScenario> {
    const dir = mkdtempSync(join(tmpdir(), 'gridcoop-nothing-lost-'));
    const chainDir = join(dir, 'chain');
    const outboxPath = join(dir, 'outbox.sqlite');
    const clock = ScaledScheduler.startingAt(SIM_START_MS, options.speed);
    // A cycle every 300 real ms whatever the speed: each read and write gets 40 % of it, enough on a loaded machine.
    const periodMs = Math.min(60_000, Math.round(300 * options.speed));
    const plant = await startPlant(PLANT, { clock, backgroundTickMs: 100 });
    let setup: RecordingChainSetup | null = null;
    try {
      setup = await startRegistryChain(chainDir, [...NODES]);
      const config = configFromPlant(plant.endpoints, PLANT, {
        cycle: {
          periodMs,
          readTimeoutMs: Math.floor(periodMs * 0.4),
          writeTimeoutMs: Math.floor(periodMs * 0.4),
          connectTimeoutMs: Math.round(3_000 * options.speed),
        },
        deviceRetry: { backoffStepMs: periodMs, backoffCapMs: 4 * periodMs, staleReadsBeforeFault: 3 },
        // Planning is not what this scenario checks; it would only take CPU from the cycle on two shared cores.
        planner: { enabled: false },
        api: { port: 0 },
        logging: { level: 'error' },
        ledger: {
          mode: 'cosmwasm',
          chain: {
            rpcUrl: setup.chain.rpcUrl,
            chainId: setup.chain.chainId,
            prefix: setup.chain.prefix,
            gasPrice: setup.chain.gasPrice,
            broadcastPollIntervalMs: 20,
          },
          registryAddress: setup.registryAddress,
          governanceAddress: null,
          outboxPath,
          intervalS: RECORDING_INTERVAL_S,
          batchSize: options.batchSize ?? 50,
          retryInitialMs: options.retryInitialMs ?? 100,
          retryMaxMs: options.retryMaxMs ?? 1_000,
          nodes: setup.nodeIds,
        },
      });
      // The controller runs on the plant's clock: the same anchor, given in its configuration file.
      const configPath = join(dir, 'controller.json');
      writeFileSync(configPath, JSON.stringify({ ...config, clock: clock.time }, null, 2));
      const controller = new ControllerChild(configPath, setup.oracleMnemonic);
      const counters = new ModelCounterLog(
        plant,
        NODES.map((n) => ({ deviceId: n.deviceId, kind: n.model })),
      );
      counters.start(20);
      return new NothingLostScenario(dir, clock, plant, setup, setup.chain, controller, counters, outboxPath, periodMs);
    } catch (error) {
      await setup?.chain.stop();
      await plant.stop();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  outbox(): OutboxTally {
    return readOutbox(this.outboxPath);
  }

  async stopChain(): Promise<void> {
    const chain = this.chain;
    this.chain = null;
    await chain?.stop();
  }

  async restartChain(): Promise<void> {
    if (this.chain) return;
    this.chain = await restartRegistryChain(join(this.dir, 'chain'), this.setup.port);
  }

  /** Every device stops accepting connections: the controller gets no fresh samples, so no interval closes any more. */
  silenceDevices(): void {
    for (const endpoint of this.plant.endpoints) this.plant.fault(endpoint.id).inject({ kind: 'refuse-connections' });
  }

  async stop(): Promise<void> {
    this.counters.stop();
    await this.controller.kill();
    await this.chain?.stop();
    this.chain = null;
    await this.plant.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls (real time) until `condition` holds; the bound only keeps a broken run from hanging. */
export async function until(condition: () => boolean, what: string, boundMs = 60_000, everyMs = 50): Promise<void> {
  for (let waited = 0; !condition(); waited += everyMs) {
    if (waited > boundMs) throw new Error(`still waiting until ${what} after ${boundMs} ms`);
    await realDelay(everyMs);
  }
}
