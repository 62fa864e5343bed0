// Cycles of a plant with flexible loads, as the control cycle hands them to the ledger: a process image with each
// miner's lifetime consumption counter, and the dispatch's requested power (consumption negative).
import type { ProcessImage } from '../../src/cycle/process-image.ts';
import type { FlexibleLoadReading } from '../../src/natures/index.ts';
import type { RequestedPowersW } from '../../src/ledger/index.ts';

export const CYCLE_MS = 30_000;

/** One miner: what it consumes and what the controller asks of it, per interval index (W). */
export interface MinerScript {
  deviceId: string;
  consumedW: (interval: number) => number;
  /** null: the controller asked nothing (no decision). */
  requestedW: (interval: number) => number | null;
  /** A reading that is garbage at this cycle, or undefined for an honest one. */
  garbage?: (cycle: number) => Partial<FlexibleLoadReading> | undefined;
}

export function minerReading(energyWh: number, powerW: number): FlexibleLoadReading {
  return {
    powerW,
    powerTargetW: powerW,
    minPowerW: 0,
    maxPowerW: 3_000,
    hashrateThs: 100,
    temperatureC: 60,
    energyWh,
    state: 'running',
  };
}

/**
 * The cycles from `fromMs` (inclusive) to `toMs` (exclusive), every CYCLE_MS: each miner's counter integrates its
 * consumption exactly (W*s kept whole, so boundaries fall on whole Wh), starting from `counterStartWh` at `t0Ms`.
 */
export function* cycles(
  miners: readonly MinerScript[],
  t0Ms: number,
  intervalS: number,
  fromMs: number,
  toMs: number,
  counterStartWh = 40_000,
): Generator<{ image: ProcessImage; requestedW: RequestedPowersW }> {
  const intervalMs = intervalS * 1000;
  for (let atMs = fromMs, index = Math.round((fromMs - t0Ms) / CYCLE_MS); atMs < toMs; atMs += CYCLE_MS, index++) {
    const devices: Record<string, ProcessImage['devices'][string]> = {};
    const requested: Record<string, number> = {};
    for (const miner of miners) {
      const interval = Math.floor((atMs - t0Ms) / intervalMs);
      let wattSeconds = 0;
      for (let i = 0; i < interval; i++) wattSeconds += miner.consumedW(i) * intervalS;
      wattSeconds += (miner.consumedW(interval) * (atMs - t0Ms - interval * intervalMs)) / 1000;
      const honest = minerReading(counterStartWh + wattSeconds / 3600, miner.consumedW(interval));
      const reading = { ...honest, ...(miner.garbage?.(index) ?? {}) } as FlexibleLoadReading;
      devices[miner.deviceId] = {
        id: miner.deviceId,
        kind: 'flexible-load',
        health: 'online',
        fresh: true,
        readAtMs: atMs,
        reading,
        failure: null,
      };
      const asked = miner.requestedW(interval);
      if (asked !== null) requested[miner.deviceId] = -asked;
    }
    yield { image: { cycleIndex: index, atMs, devices }, requestedW: requested };
  }
}
