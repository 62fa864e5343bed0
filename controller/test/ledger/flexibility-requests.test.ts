import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  FlexibilityRequests,
  baselineWh,
  type FlexibilityClaim,
  type FlexibilityHistory,
} from '../../src/ledger/index.ts';
import type { ClosedInterval } from '../../src/metering/index.ts';

const INTERVAL_S = 900;
const T0_S = 1_800_000_000 - (1_800_000_000 % INTERVAL_S);

/** A node's history: energies of the intervals before T0 + 8 intervals, and claims by interval start. */
function history(energies: number[], claims = new Map<number, FlexibilityClaim>()): FlexibilityHistory {
  return {
    intervals: (_nodeId, fromS, toS) =>
      energies
        .map((energyInWh, i) => ({
          intervalStartS: T0_S + i * INTERVAL_S,
          intervalS: INTERVAL_S,
          energyInWh,
          rejected: false,
        }))
        .filter((r) => r.intervalStartS >= fromS && r.intervalStartS < toS),
    claimAt: (_nodeId, startS) => claims.get(startS) ?? null,
  };
}

function closed(interval: number, energyInWh: number): ClosedInterval {
  return {
    deviceId: 'miner-1',
    nodeId: 7,
    intervalStartS: T0_S + interval * INTERVAL_S,
    intervalS: INTERVAL_S,
    energyInWh,
    energyOutWh: 0,
    counterInWh: 100_000,
    counterOutWh: 0,
    samplesHash: 'a'.repeat(64),
    sampleCount: 30,
    estimated: false,
  };
}

/** Asks `watts` every 30 s over the part [fromShare, toShare) of interval `interval`, then closes it. */
function ask(
  requests: FlexibilityRequests,
  interval: number,
  watts: number,
  fromShare = 0,
  toShare = 1,
): FlexibilityRequests {
  const startMs = (T0_S + interval * INTERVAL_S) * 1000;
  for (let s = fromShare * INTERVAL_S; s <= toShare * INTERVAL_S; s += 30)
    requests.observe('miner-1', startMs + s * 1000, watts);
  return requests;
}

const node = { deviceId: 'miner-1', nodeId: 7, ratedPowerW: 3_000 };
const eight = (wh: number) => Array<number>(8).fill(wh);

describe("a miner's flexibility claims from what the controller asked", () => {
  test('the baseline is the median the registry takes: lower middle for down, upper middle for up', () => {
    assert.equal(baselineWh([500, 500, 500, 500, 750, 750, 750, 750], 'down'), 500);
    assert.equal(baselineWh([500, 500, 500, 500, 750, 750, 750, 750], 'up'), 750);
  });

  test('asked to consume more than its baseline: a request up, delivered what it consumed above it', () => {
    const requests = ask(new FlexibilityRequests(INTERVAL_S, [node], history(eight(200))), 8, 2_800);
    assert.deepEqual(requests.claimFor(closed(8, 690)), {
      direction: 'up',
      requestStartS: T0_S + 8 * INTERVAL_S,
      baselineWh: 200,
      deliveredWh: 490,
    });
  });

  test('asked for about what it does anyway (within 5 % of rated energy) is no request, so no claim', () => {
    const requests = ask(new FlexibilityRequests(INTERVAL_S, [node], history(eight(500))), 8, 1_900);
    assert.equal(requests.claimFor(closed(8, 475)), null);
  });

  test('no claim without all 8 baseline intervals, nor when the controller knew its request for less than half', () => {
    const short = ask(new FlexibilityRequests(INTERVAL_S, [node], history(eight(500).slice(1))), 8, 800);
    assert.equal(short.claimFor(closed(8, 200)), null);
    const partly = ask(new FlexibilityRequests(INTERVAL_S, [node], history(eight(500))), 8, 800, 0.6, 1);
    assert.equal(partly.claimFor(closed(8, 200)), null);
    const half = ask(new FlexibilityRequests(INTERVAL_S, [node], history(eight(500))), 8, 800, 0.5, 1);
    assert.equal(half.claimFor(closed(8, 200))?.deliveredWh, 300);
  });

  test('a request continues with its baseline from the claim before it, for less than a day', () => {
    const claims = new Map<number, FlexibilityClaim>();
    const before: FlexibilityClaim = {
      direction: 'down',
      requestStartS: T0_S + 8 * INTERVAL_S,
      baselineWh: 600,
      deliveredWh: 400,
    };
    claims.set(T0_S + 20 * INTERVAL_S, before);
    const continued = ask(new FlexibilityRequests(INTERVAL_S, [node], history(eight(500), claims)), 21, 800);
    assert.deepEqual(continued.claimFor(closed(21, 200)), { ...before, deliveredWh: 400 });
    // a day after its start the request ends; a new one needs its own 8 intervals before it (not held here)
    const dayLater = 8 + 86_400 / INTERVAL_S;
    claims.set(T0_S + (dayLater - 1) * INTERVAL_S, before);
    const ended = ask(new FlexibilityRequests(INTERVAL_S, [node], history(eight(500), claims)), dayLater, 800);
    assert.equal(ended.claimFor(closed(dayLater, 200)), null);
  });

  test('garbage requests are ignored, and an interval that was estimated or of another length gets no claim', () => {
    const requests = new FlexibilityRequests(INTERVAL_S, [node], history(eight(500)));
    for (const garbage of [Number.NaN, Number.POSITIVE_INFINITY, -5, null])
      ask(requests, 8, garbage as unknown as number);
    assert.equal(requests.claimFor(closed(8, 200)), null);
    ask(requests, 9, 800);
    assert.equal(requests.claimFor({ ...closed(9, 200), estimated: true }), null);
    ask(requests, 10, 800);
    assert.equal(requests.claimFor({ ...closed(10, 200), energyInWh: Number.NaN }), null);
  });
});
