import { FaultSwitch } from '../../../devices/src/faults/fault.ts';
import { MinerModel, type MinerConfig } from '../../../devices/src/models/miner.ts';
import { startMinerServer, type MinerServer } from '../../../devices/src/opcua/miner-server.ts';
import type { ManualClock } from '../../../devices/src/sim/clock.ts';

export interface TestMiner {
  model: MinerModel;
  faults: FaultSwitch;
}

/** A simulated miner fleet gateway for driver tests: real OPC UA on 127.0.0.1, a port the OS picks. */
export async function startTestFleet(
  clock: ManualClock,
  ids: string[],
  config: Partial<MinerConfig> = {},
): Promise<{ server: MinerServer; miners: Map<string, TestMiner> }> {
  const miners = new Map<string, TestMiner>();
  for (const id of ids) {
    const model = new MinerModel({
      id,
      minPowerW: 1000,
      maxPowerW: 3000,
      pauseRampS: 10,
      resumeRampS: 10,
      minOnS: 0,
      minOffS: 0,
      startMs: clock.now(),
      ...config,
    });
    miners.set(id, { model, faults: new FaultSwitch() });
  }
  const server = await startMinerServer({ miners: [...miners.values()], clock, port: 0 });
  return { server, miners };
}

/**
 * Retries `probe` until it returns without throwing and passes `accept`, or fails after `withinMs`: subscriptions and
 * reconnections deliver asynchronously, so a test waits for the state it expects instead of sleeping a fixed time.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  withinMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${withinMs} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The error `work` rejects with, or a failure if it resolves. */
export async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
